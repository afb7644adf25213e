package io.hyperrec.enrichment.service;

import io.hyperrec.enrichment.EnrichmentException;
import java.util.Objects;

/**
 * The outcome for one item of a batch: its {@link Enrichment}, or the {@link EnrichmentException}
 * that stopped it. Exactly one of the two is non-null. {@link Enricher#enrichAll} answers one per
 * input item, in input order, so a failing item never hides or drops the others.
 *
 * @param item the item id the outcome is for
 * @param enrichment the enrichment, or null when the item failed
 * @param error the failure, naming the item and the stage (tagging or embedding), or null when the
 *     item was enriched
 */
public record EnrichmentResult(String item, Enrichment enrichment, EnrichmentException error) {
    public EnrichmentResult {
        Objects.requireNonNull(item, "item");
        if ((enrichment == null) == (error == null)) {
            throw new IllegalArgumentException(
                    "exactly one of enrichment and error must be given for item '" + item + "'");
        }
        if (enrichment != null && !enrichment.item().equals(item)) {
            throw new IllegalArgumentException(
                    "enrichment of item '"
                            + enrichment.item()
                            + "' given as the result of item '"
                            + item
                            + "'");
        }
    }

    /** The result of an enriched item. */
    public static EnrichmentResult success(Enrichment enrichment) {
        return new EnrichmentResult(enrichment.item(), enrichment, null);
    }

    /** The result of an item that failed with {@code error}. */
    public static EnrichmentResult failure(String item, EnrichmentException error) {
        return new EnrichmentResult(item, null, Objects.requireNonNull(error, "error"));
    }

    /** Whether the item was enriched. */
    public boolean isSuccess() {
        return enrichment != null;
    }

    /**
     * The enrichment.
     *
     * @throws EnrichmentException the item's failure, when it failed
     */
    public Enrichment get() {
        if (error != null) {
            throw error;
        }
        return enrichment;
    }
}
