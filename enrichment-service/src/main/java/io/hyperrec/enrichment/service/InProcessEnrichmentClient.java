package io.hyperrec.enrichment.service;

import io.hyperrec.enrichment.EnrichmentException;
import io.hyperrec.enrichment.ItemText;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link EnrichmentClient} over an {@link Enricher} in the same JVM: each {@link #enrich} runs
 * {@link Enricher#enrich} on one of {@code parallelism} threads of this client, so at most that
 * many items are enriched at once through it (and the enricher's own parallelism bounds tagging
 * across all its callers). Items beyond that wait in an unbounded queue: the caller bounds the
 * items in flight (Flink's async operator does, by its capacity).
 *
 * <p>Thread-safe. The enricher is not owned: {@link #close} stops this client's threads and fails
 * its pending futures; whoever created the enricher closes it, after this.
 */
public final class InProcessEnrichmentClient implements EnrichmentClient {
    /** The largest parallelism accepted. */
    public static final int MAX_PARALLELISM = 1024;

    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final Enricher enricher;
    private final int parallelism;
    private final ExecutorService executor;
    private final Map<CompletableFuture<Enrichment>, String> pending = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * A client; its threads start on first use.
     *
     * @param enricher the enricher to call
     * @param parallelism items enriched at once through this client: 1 to {@value #MAX_PARALLELISM}
     */
    public InProcessEnrichmentClient(Enricher enricher, int parallelism) {
        this.enricher = Objects.requireNonNull(enricher, "enricher");
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException(
                    "parallelism must be in [1, " + MAX_PARALLELISM + "], got " + parallelism);
        }
        this.parallelism = parallelism;
        String prefix = "enrichment-client-" + CLIENTS.incrementAndGet() + "-";
        AtomicInteger n = new AtomicInteger();
        this.executor =
                Executors.newFixedThreadPool(
                        parallelism,
                        r -> {
                            Thread t = new Thread(r, prefix + n.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
    }

    /** Items enriched at once through this client. */
    public int parallelism() {
        return parallelism;
    }

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException when {@code item} is null
     */
    @Override
    public CompletableFuture<Enrichment> enrich(ItemText item) {
        Objects.requireNonNull(item, "item");
        CompletableFuture<Enrichment> f = new CompletableFuture<>();
        pending.put(f, item.item());
        if (closed) {
            fail(f, item.item());
            return f;
        }
        try {
            executor.execute(() -> run(item, f));
        } catch (RejectedExecutionException e) {
            fail(f, item.item());
        }
        return f;
    }

    private void run(ItemText item, CompletableFuture<Enrichment> f) {
        try {
            if (!f.isDone()) {
                f.complete(enricher.enrich(item));
            }
        } catch (EnrichmentException e) {
            f.completeExceptionally(e);
        } catch (RuntimeException e) {
            f.completeExceptionally(
                    new EnrichmentException(
                            "item '" + item.item() + "': in-process enrichment failed: " + e, e));
        } finally {
            pending.remove(f);
        }
    }

    private void fail(CompletableFuture<Enrichment> f, String item) {
        pending.remove(f);
        f.completeExceptionally(
                new EnrichmentException(
                        "item '"
                                + item
                                + "': the enrichment client was closed before it was"
                                + " enriched"));
    }

    /**
     * Stops this client's threads (interrupting running enrichments) and fails every future not yet
     * complete. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        // Failed first, so an interrupted enrichment cannot complete its future with its own
        // "interrupted" error in between: every pending future reads "closed".
        pending.forEach(this::fail);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "InProcessEnrichmentClient{" + enricher + ", parallelism=" + parallelism + "}";
    }
}
