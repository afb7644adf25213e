package io.hyperrec.enrichment;

/**
 * Tags an item: the LLM tagger over an OpenAI-compatible chat API, or the offline tagger.
 * Implementations are thread-safe.
 */
public interface Tagger {
    /**
     * Tags one item.
     *
     * @return a tagging that passes {@code TaggingValidator}
     * @throws EnrichmentException when the item cannot be tagged (after the tagger's own retries)
     */
    Tagging tag(ItemText item);

    /** The tagger's name as recorded in {@link Tagging#tagger()}. */
    String name();
}
