package io.hyperrec.enrichment.service;

import io.hyperrec.enrichment.EnrichmentException;
import io.hyperrec.enrichment.ItemText;
import io.hyperrec.enrichment.TagEdge;
import io.hyperrec.enrichment.Tagger;
import io.hyperrec.enrichment.Tagging;
import java.util.List;

/**
 * A test-only stand-in for the LLM tagger: fails with {@value #FAILURE} for items whose id starts
 * with {@code flaky-} or {@code bad-}, and answers a fixed valid tagging otherwise.
 */
final class FlakyLlmTagger implements Tagger {
    static final String NAME = "llm:test";
    static final String FAILURE = "the LLM is down";

    @Override
    public Tagging tag(ItemText item) {
        if (item.item().startsWith("flaky-") || item.item().startsWith("bad-")) {
            throw new EnrichmentException(FAILURE);
        }
        return tagging();
    }

    static Tagging tagging() {
        return new Tagging(
                "Wireless over-ear headphones.",
                List.of(List.of("electronics"), List.of("audio"), List.of("headphones")),
                List.of(new TagEdge("electronics", "audio"), new TagEdge("audio", "headphones")),
                NAME,
                false,
                null);
    }

    @Override
    public String name() {
        return NAME;
    }
}
