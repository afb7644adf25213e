package io.hyperrec.enrichment.service;

import io.hyperrec.enrichment.EnrichmentException;
import io.hyperrec.enrichment.ItemText;
import io.hyperrec.enrichment.TagEdge;
import io.hyperrec.enrichment.Tagger;
import io.hyperrec.enrichment.Tagging;
import java.util.List;
import java.util.Locale;

/**
 * A test-only offline tagger: a valid three-level tagging ({@code products} → the item's {@code
 * category} attribute, or {@code general} → {@code catalogue item}) whose summary is the title and
 * a full stop. Items whose id starts with {@code bad-} fail with an {@link EnrichmentException}.
 */
final class StubOfflineTagger implements Tagger {
    static final String NAME = "offline:test";

    @Override
    public Tagging tag(ItemText item) {
        if (item.item().startsWith("bad-")) {
            throw new EnrichmentException("cannot tag item '" + item.item() + "'");
        }
        return tagging(item);
    }

    /** The tagging of an item that does not fail. */
    static Tagging tagging(ItemText item) {
        String category =
                item.attributes().getOrDefault("category", "general").toLowerCase(Locale.ROOT);
        String summary = item.title().isEmpty() ? "An item." : item.title() + ".";
        return new Tagging(
                summary,
                List.of(List.of("products"), List.of(category), List.of("catalogue item")),
                List.of(new TagEdge("products", category), new TagEdge(category, "catalogue item")),
                NAME,
                true,
                null);
    }

    @Override
    public String name() {
        return NAME;
    }
}
