package io.hyperrec.enrichment.service;

import io.hyperrec.enrichment.Tagging;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One item's enrichment: its tagging, its text embedding and where they came from.
 *
 * <p>The embedding is the {@link io.hyperrec.enrichment.TextEmbedder}'s vector of the item's {@link
 * io.hyperrec.enrichment.ItemText#document() document} (title, attributes sorted by key, text;
 * never the tagging's summary), L2-normalised (its Euclidean norm is 1 within {@link
 * Enricher#NORM_TOLERANCE}). The array is copied on the way in and out, so an instance is
 * immutable; {@link #equals} and {@link #hashCode} compare the embedding's contents.
 *
 * @param item the item id (non-blank)
 * @param tagging the tagging, valid by {@link io.hyperrec.enrichment.TaggingValidator}
 * @param embedding the text embedding, L2-normalised (non-empty)
 * @param textEncoder the encoder's name, as on {@code ItemEnriched.textEncoder}
 * @param contentHash SHA-256 of the embedded document's UTF-8 bytes, 64 lower-case hex digits: two
 *     enrichments with the same hash embedded the same text
 * @param taggingMillis how long tagging this item took, in milliseconds (queueing excluded)
 * @param embeddingMillis how long the embedder call that embedded this item took, in milliseconds;
 *     in a batch every item carries the one batched call's time
 */
public record Enrichment(
        String item,
        Tagging tagging,
        float[] embedding,
        String textEncoder,
        String contentHash,
        long taggingMillis,
        long embeddingMillis) {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public Enrichment {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(tagging, "tagging");
        Objects.requireNonNull(embedding, "embedding");
        Objects.requireNonNull(textEncoder, "textEncoder");
        Objects.requireNonNull(contentHash, "contentHash");
        if (item.isBlank()) {
            throw new IllegalArgumentException("item id must not be blank");
        }
        if (embedding.length == 0) {
            throw new IllegalArgumentException("embedding of item '" + item + "' is empty");
        }
        if (!SHA256_HEX.matcher(contentHash).matches()) {
            throw new IllegalArgumentException(
                    "contentHash must be 64 lower-case hex digits, got '" + contentHash + "'");
        }
        if (taggingMillis < 0 || embeddingMillis < 0) {
            throw new IllegalArgumentException(
                    "timings must be >= 0, got taggingMillis="
                            + taggingMillis
                            + ", embeddingMillis="
                            + embeddingMillis);
        }
        embedding = embedding.clone();
    }

    /** A copy of the L2-normalised text embedding. */
    @Override
    public float[] embedding() {
        return embedding.clone();
    }

    /** The embedding's dimension. */
    public int dim() {
        return embedding.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Enrichment e
                && item.equals(e.item)
                && tagging.equals(e.tagging)
                && Arrays.equals(embedding, e.embedding)
                && textEncoder.equals(e.textEncoder)
                && contentHash.equals(e.contentHash)
                && taggingMillis == e.taggingMillis
                && embeddingMillis == e.embeddingMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(item, tagging, textEncoder, contentHash, taggingMillis, embeddingMillis)
                        * 31
                + Arrays.hashCode(embedding);
    }

    /** Every field but the embedding's values, of which only the dimension is shown. */
    @Override
    public String toString() {
        return "Enrichment{item="
                + item
                + ", tagging="
                + tagging
                + ", embedding=float["
                + embedding.length
                + "], textEncoder="
                + textEncoder
                + ", contentHash="
                + contentHash
                + ", taggingMillis="
                + taggingMillis
                + ", embeddingMillis="
                + embeddingMillis
                + "}";
    }
}
