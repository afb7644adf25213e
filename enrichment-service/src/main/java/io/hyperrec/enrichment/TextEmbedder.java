package io.hyperrec.enrichment;

import java.util.List;

/**
 * Turns texts into dense vectors: the in-process MiniLM encoder, or an OpenAI-compatible embeddings
 * endpoint. Implementations are thread-safe and batch internally.
 */
public interface TextEmbedder extends AutoCloseable {
    /**
     * Embeds texts, one vector of {@link #dim()} floats per text, L2-normalised, in input order.
     *
     * @throws EnrichmentException when the texts cannot be embedded
     */
    List<float[]> embed(List<String> texts);

    /** The vectors' dimension. */
    int dim();

    /** The encoder's name as recorded on {@code ItemEnriched.textEncoder}. */
    String name();

    @Override
    default void close() {}
}
