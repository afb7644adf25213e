package io.hyperrec.enrichment.service;

import io.hyperrec.enrichment.ItemText;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client that also owns what its enricher was built from (encoder, reply cache): closing it
 * closes the client, then those in reverse order. The in-process factories hand these out.
 */
public final class OwningClient implements EnrichmentClient {
    private static final Logger LOG = LoggerFactory.getLogger(OwningClient.class);

    private final EnrichmentClient inner;
    private final List<AutoCloseable> owned;

    OwningClient(EnrichmentClient inner, List<AutoCloseable> owned) {
        this.inner = inner;
        this.owned = List.copyOf(owned);
    }

    @Override
    public CompletableFuture<Enrichment> enrich(ItemText item) {
        return inner.enrich(item);
    }

    @Override
    public void close() {
        inner.close();
        closeAll(owned);
    }

    /** Closes {@code resources} last to first, logging (not throwing) what fails. */
    public static void closeAll(List<AutoCloseable> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn(
                        "closing {}: {}",
                        resources.get(i).getClass().getSimpleName(),
                        e.toString());
            }
        }
    }
}
