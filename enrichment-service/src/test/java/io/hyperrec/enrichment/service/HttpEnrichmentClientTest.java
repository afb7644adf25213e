package io.hyperrec.enrichment.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyperrec.enrichment.EnrichmentException;
import io.hyperrec.enrichment.ItemText;
import io.hyperrec.enrichment.TaggingValidator;
import io.hyperrec.enrichment.llm.FallbackTagger;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpEnrichmentClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ItemText HEADPHONES =
            new ItemText(
                    "sku-1",
                    "Sony WH-1000XM5",
                    "Wireless over-ear headphones, “noise cancelling”, 30 h.",
                    Map.of("brand", "Sony", "category", "Audio"));

    private Enricher enricher;
    private EnrichmentServer server;
    private HttpEnrichmentClient client;

    @BeforeEach
    void setUp() {
        enricher =
                new Enricher(
                        new FallbackTagger(
                                new FlakyLlmTagger(),
                                new StubOfflineTagger(),
                                TaggingValidator.defaults()),
                        new HashingEmbedder(),
                        EnricherOptions.builder().parallelism(4).build());
        server = start(enricher);
        client = HttpEnrichmentClient.create(baseUrl(server) + "/", TIMEOUT);
    }

    @AfterEach
    void tearDown() {
        client.close();
        server.close();
        enricher.close();
    }

    private static EnrichmentServer start(Enricher enricher) {
        return EnrichmentServer.start(
                enricher, EnrichmentServerOptions.builder().host("127.0.0.1").port(0).build());
    }

    private static String baseUrl(EnrichmentServer server) {
        return "http://127.0.0.1:" + server.port();
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
    void returnsTheServersEnrichmentWithTheEmbeddingBitForBit() throws Exception {
        Enrichment e = client.enrich(HEADPHONES).get(10, TimeUnit.SECONDS);

        Enrichment local = enricher.enrich(HEADPHONES);
        assertThat(e.item()).isEqualTo("sku-1");
        assertThat(e.tagging()).isEqualTo(local.tagging());
        assertThat(e.embedding()).containsExactly(local.embedding());
        assertThat(e.textEncoder()).isEqualTo(HashingEmbedder.NAME);
        assertThat(e.contentHash()).isEqualTo(local.contentHash());
    }

    @Test
    void carriesAFallbackTaggingsReason() throws Exception {
        ItemText mug = new ItemText("flaky-1", "Mug", "", Map.of());

        Enrichment e = client.enrich(mug).get(10, TimeUnit.SECONDS);

        assertThat(e.tagging())
                .isEqualTo(
                        StubOfflineTagger.tagging(mug)
                                .asFallback("llm:test failed: the LLM is down"));
    }

    @Test
    void surfacesA400WithItsStatusAndTheServersMessage() throws Exception {
        String longId = "x".repeat(300);

        Throwable t = failure(client.enrich(new ItemText(longId, "", "", Map.of())));

        String serverError =
                "item must be a non-blank string of at most 256 characters without control"
                        + " characters, got \""
                        + "x".repeat(79)
                        + "…";
        assertThat(t)
                .isInstanceOf(EnrichmentHttpException.class)
                .hasMessage(
                        "POST "
                                + baseUrl(server)
                                + "/v1/enrich for item '"
                                + longId
                                + "' answered 400: "
                                + serverError);
        assertThat(((EnrichmentHttpException) t).status()).isEqualTo(400);
        assertThat(((EnrichmentHttpException) t).serverError()).isEqualTo(serverError);
    }

    @Test
    void surfacesAnItemTheServiceCannotEnrichAsA500() throws Exception {
        Throwable t = failure(client.enrich(new ItemText("bad-1", "", "", Map.of())));

        assertThat(t)
                .isInstanceOf(EnrichmentHttpException.class)
                .hasMessage(
                        "POST "
                                + baseUrl(server)
                                + "/v1/enrich for item 'bad-1' answered 500: item 'bad-1':"
                                + " tagging by llm:test|fallback:offline:test failed: cannot tag"
                                + " item 'bad-1'");
        assertThat(((EnrichmentHttpException) t).status()).isEqualTo(500);
    }

    @Test
    void timesOutNamingTheUrlAndTheTimeout() throws Exception {
        GatedTagger slow = new GatedTagger();
        try (Enricher e = Enricher.create(slow, new HashingEmbedder());
                EnrichmentServer s = start(e);
                HttpEnrichmentClient c =
                        HttpEnrichmentClient.create(baseUrl(s), Duration.ofMillis(300))) {
            try {
                Throwable t = failure(c.enrich(new ItemText("slow", "", "", Map.of())));

                assertThat(t)
                        .isInstanceOf(EnrichmentException.class)
                        .hasMessage(
                                "POST "
                                        + baseUrl(s)
                                        + "/v1/enrich for item 'slow' timed out after 300 ms"
                                        + " (timeout PT0.3S)");
            } finally {
                slow.openForGood();
            }
        }
    }

    @Test
    void failsNamingTheUrlWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (HttpEnrichmentClient c =
                HttpEnrichmentClient.create("http://127.0.0.1:" + port, TIMEOUT)) {
            Throwable t = failure(c.enrich(HEADPHONES));

            assertThat(t)
                    .isInstanceOf(EnrichmentException.class)
                    .hasMessageStartingWith(
                            "POST http://127.0.0.1:"
                                    + port
                                    + "/v1/enrich for item 'sku-1' failed: java.net.ConnectException");
        }
    }

    @Test
    void servesManyThreadsThroughOneClient() throws Exception {
        List<CompletableFuture<Enrichment>> futures = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            threads.add(
                    new Thread(
                            () -> {
                                for (int i = 0; i < 10; i++) {
                                    CompletableFuture<Enrichment> f =
                                            client.enrich(
                                                    new ItemText(
                                                            "t" + thread + "-" + i,
                                                            "Title " + i,
                                                            "",
                                                            Map.of()));
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
        assertThat(futures).hasSize(40);
        assertThat(futures.stream().map(f -> f.join().item()).distinct()).hasSize(40);
        assertThat(enricher.stats().enriched()).isEqualTo(40);
    }

    @Test
    void closingFailsTheCallsNotYetAnswered() throws Exception {
        GatedTagger slow = new GatedTagger();
        try (Enricher e = Enricher.create(slow, new HashingEmbedder());
                EnrichmentServer s = start(e)) {
            HttpEnrichmentClient c = HttpEnrichmentClient.create(baseUrl(s), TIMEOUT);
            try {
                CompletableFuture<Enrichment> f = c.enrich(new ItemText("held", "", "", Map.of()));
                assertThat(slow.awaitEntered(1)).isTrue();

                c.close();

                assertThat(failure(f))
                        .isInstanceOf(EnrichmentException.class)
                        .hasMessage(
                                "POST "
                                        + baseUrl(s)
                                        + "/v1/enrich for item 'held': the enrichment client was"
                                        + " closed before it was answered");
                assertThat(failure(c.enrich(HEADPHONES)))
                        .hasMessageEndingWith("closed before it was answered");
            } finally {
                slow.openForGood();
            }
        }
    }

    @Test
    void rejectsBadBaseUrlsNamingThem() {
        assertThatThrownBy(() -> HttpEnrichmentClient.create("ftp://host", TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseUrl must be an http or https URL, got 'ftp://host'");
        assertThatThrownBy(() -> HttpEnrichmentClient.create("http://host/?x=1", TIMEOUT))
                .hasMessage(
                        "baseUrl must have a host and no query or fragment, got 'http://host/?x=1'");
        assertThatThrownBy(() -> HttpEnrichmentClient.create("http:///path", TIMEOUT))
                .hasMessage(
                        "baseUrl must have a host and no query or fragment, got 'http:///path'");
        assertThatThrownBy(() -> HttpEnrichmentClient.create("http://h st", TIMEOUT))
                .hasMessageStartingWith("baseUrl must be a URL, got 'http://h st': ");
        assertThatThrownBy(() -> HttpEnrichmentClient.create("http://user:secret@host", TIMEOUT))
                .hasMessage("baseUrl must not carry user info")
                .message()
                .doesNotContain("secret");
    }

    @Test
    void rejectsBadTimeoutsNamingThem() {
        assertThatThrownBy(() -> HttpEnrichmentClient.create("http://host", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout must be positive and at most PT30M, got PT0S");
        assertThatThrownBy(() -> HttpEnrichmentClient.create("http://host", Duration.ofHours(1)))
                .hasMessage("timeout must be positive and at most PT30M, got PT1H");
    }

    @Test
    void dropsATrailingSlashFromTheBaseUrl() {
        try (HttpEnrichmentClient c =
                HttpEnrichmentClient.create("https://enrich:8081/", TIMEOUT)) {
            assertThat(c.endpoint()).hasToString("https://enrich:8081/v1/enrich");
            assertThat(c.timeout()).isEqualTo(TIMEOUT);
        }
    }

    @Test
    void theHttpFactorySurvivesSerialisationAndCreatesAWorkingClient() throws Exception {
        EnrichmentClientFactory factory = EnrichmentClientFactory.http(baseUrl(server), TIMEOUT);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(factory);
        }
        EnrichmentClientFactory copy;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (EnrichmentClientFactory) in.readObject();
        }

        try (EnrichmentClient c = copy.create()) {
            assertThat(c).isInstanceOf(HttpEnrichmentClient.class);
            assertThat(c.enrich(HEADPHONES).get(10, TimeUnit.SECONDS).item()).isEqualTo("sku-1");
        }
    }

    @Test
    void theHttpFactoryValidatesWhenTheJobIsBuilt() {
        assertThatThrownBy(() -> EnrichmentClientFactory.http("localhost:8081", TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseUrl must be an http or https URL, got 'localhost:8081'");
    }
}
