package io.hyperrec.enrichment.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyperrec.enrichment.EnrichmentException;
import io.hyperrec.enrichment.ItemText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InProcessEnrichmentClientTest {
    private Enricher enricher;
    private InProcessEnrichmentClient client;

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        if (enricher != null) {
            enricher.close();
        }
    }

    private void start(
            io.hyperrec.enrichment.Tagger tagger, int enricherThreads, int clientThreads) {
        enricher =
                new Enricher(
                        tagger,
                        new HashingEmbedder(),
                        EnricherOptions.builder().parallelism(enricherThreads).build());
        client = new InProcessEnrichmentClient(enricher, clientThreads);
    }

    private static ItemText item(String id) {
        return new ItemText(id, "Title of " + id, "", Map.of());
    }

    private static Throwable failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the future to fail, it completed with " + f.join());
    }

    @Test
    void completesEveryFutureOfManyCallingThreads() throws Exception {
        start(new StubOfflineTagger(), 4, 4);
        List<CompletableFuture<Enrichment>> futures = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            threads.add(
                    new Thread(
                            () -> {
                                for (int i = 0; i < 25; i++) {
                                    CompletableFuture<Enrichment> f =
                                            client.enrich(item("t" + thread + "-" + i));
                                    synchronized (futures) {
                                        futures.add(f);
                                    }
                                }
                            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }

        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .get(30, TimeUnit.SECONDS);
        assertThat(futures).hasSize(100);
        assertThat(futures.stream().map(f -> f.join().item()).distinct()).hasSize(100);
        assertThat(enricher.stats().enriched()).isEqualTo(100);
    }

    @Test
    void enrichesAtMostParallelismItemsAtOnce() throws Exception {
        GatedTagger tagger = new GatedTagger();
        start(tagger, 8, 3);
        List<CompletableFuture<Enrichment>> futures = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            futures.add(client.enrich(item("i" + i)));
        }

        assertThat(tagger.awaitEntered(3)).isTrue();
        tagger.openForGood();

        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .get(30, TimeUnit.SECONDS);
        assertThat(tagger.maxInFlight()).isEqualTo(3);
        assertThat(futures).allMatch(f -> !f.isCompletedExceptionally());
    }

    @Test
    void anItemThatCannotBeEnrichedCompletesExceptionallyWithItsError() throws Exception {
        start(new StubOfflineTagger(), 1, 1);

        assertThat(failure(client.enrich(item("bad-1"))))
                .isInstanceOf(EnrichmentException.class)
                .hasMessage(
                        "item 'bad-1': tagging by offline:test failed: cannot tag item 'bad-1'");
        assertThat(client.enrich(item("ok")).get(10, TimeUnit.SECONDS).item()).isEqualTo("ok");
    }

    @Test
    void closingFailsEveryPendingFutureAndLaterCalls() throws Exception {
        GatedTagger tagger = new GatedTagger();
        start(tagger, 1, 1);
        CompletableFuture<Enrichment> running = client.enrich(item("a"));
        CompletableFuture<Enrichment> queued = client.enrich(item("b"));
        assertThat(tagger.awaitEntered(1)).isTrue();

        client.close();

        assertThat(failure(running))
                .isInstanceOf(EnrichmentException.class)
                .hasMessage("item 'a': the enrichment client was closed before it was enriched");
        assertThat(failure(queued))
                .hasMessage("item 'b': the enrichment client was closed before it was enriched");
        assertThat(failure(client.enrich(item("c"))))
                .hasMessage("item 'c': the enrichment client was closed before it was enriched");
        assertThat(enricher.isClosed()).isFalse();
    }

    @Test
    void rejectsAParallelismOutsideItsRange() {
        start(new StubOfflineTagger(), 1, 1);

        assertThatThrownBy(() -> new InProcessEnrichmentClient(enricher, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parallelism must be in [1, 1024], got 0");
    }
}
