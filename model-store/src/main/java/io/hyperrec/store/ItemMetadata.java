package io.hyperrec.store;

import java.util.List;
import java.util.Objects;

/**
 * What the store knows about an item beyond its embedding: the catalogue's title (from {@code
 * items.new}), the enrichment's summary and tags (from {@code items.enriched}) and the first model
 * version that gave it a point. Fields arrive from different topics at different times, so each may
 * still be missing.
 *
 * @param item the item id
 * @param title the display title; null until the item's creation event was seen
 * @param summary the short summary; null until the item was enriched
 * @param tagLevels tags by level, coarse to fine; empty until the item was enriched
 * @param introducedIn the first model version with a point for the item (published or upserted);
 *     null while it has none
 * @param inCurrentVersion whether the currently served version has a point for the item
 * @param hidden whether the item is hidden from recommendations
 */
public record ItemMetadata(
        String item,
        String title,
        String summary,
        List<List<String>> tagLevels,
        Long introducedIn,
        boolean inCurrentVersion,
        boolean hidden) {
    /** Validates and copies. */
    public ItemMetadata {
        Objects.requireNonNull(item, "item");
        tagLevels = tagLevels.stream().map(List::copyOf).toList();
    }
}
