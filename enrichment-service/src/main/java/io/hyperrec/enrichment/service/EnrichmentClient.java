package io.hyperrec.enrichment.service;

import io.hyperrec.enrichment.ItemText;
import java.util.concurrent.CompletableFuture;

/**
 * Enriches items asynchronously: what the Flink onboarding job's async function calls, either over
 * HTTP ({@link HttpEnrichmentClient}, the enrichment service as its own process) or in the same JVM
 * ({@link InProcessEnrichmentClient}, wrapping an {@link Enricher}).
 *
 * <p>A client is created per Flink subtask, in the async function's {@code open()}, by an {@link
 * EnrichmentClientFactory} (which is what the job graph serialises), and closed in its {@code
 * close()}; so a client holds threads and connections freely and need not be {@code Serializable}.
 *
 * <p>Implementations are thread-safe: any number of threads may call {@link #enrich} at once.
 */
public interface EnrichmentClient extends AutoCloseable {
    /**
     * Enriches one item.
     *
     * @param item the item (non-null)
     * @return completes with the enrichment, or exceptionally with an {@link
     *     io.hyperrec.enrichment.EnrichmentException} (not wrapped) naming the item: the item could
     *     not be enriched, the service could not be reached or answered an error, or the client was
     *     closed first. The call itself does not block and does not throw for these.
     */
    CompletableFuture<Enrichment> enrich(ItemText item);

    /**
     * Releases the client's threads. Futures not yet complete complete exceptionally; later calls
     * answer failed futures. Idempotent.
     */
    @Override
    void close();
}
