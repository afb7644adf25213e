package io.hyperrec.enrichment.service;

import java.io.Serializable;
import java.time.Duration;

/**
 * Creates an {@link EnrichmentClient}: the {@code Serializable} part a Flink job ships to its
 * subtasks, each of which calls {@link #create()} once, in its async function's {@code open()}.
 * Implementations hold only configuration (URLs, timeouts, paths), never a client or a thread.
 *
 * <p>{@link #http} is the one for a separate enrichment service. A job that enriches in its own JVM
 * writes a factory that builds its {@link Enricher} (tagger, embedder) and wraps it in an {@link
 * InProcessEnrichmentClient}; that factory's client then owns the enricher, tagger and embedder and
 * closes them.
 */
@FunctionalInterface
public interface EnrichmentClientFactory extends Serializable {
    /** A new client, owned and closed by the caller. */
    EnrichmentClient create();

    /**
     * A factory of {@link HttpEnrichmentClient}s; the arguments are validated now, so a bad URL
     * fails when the job is built rather than in every subtask.
     *
     * @param baseUrl the service's root, e.g. {@code http://enrichment:8081}
     * @param timeout the limit on one call
     * @throws IllegalArgumentException naming the value, when either is invalid
     */
    static EnrichmentClientFactory http(String baseUrl, Duration timeout) {
        return new HttpClientFactory(baseUrl, timeout);
    }
}
