package io.hyperrec.enrichment.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hyperrec.enrichment.EnrichmentException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiEmbedderTest {

    private static final int DIM = 4;
    private static final String KEY = "sk-test-7f3a9c";
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private static FakeEmbeddingsServer server;
    private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void startServer() {
        server = new FakeEmbeddingsServer(DIM);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void resetServer() {
        server.reset();
        sleeps.clear();
    }

    private OpenAiEmbedderOptions.Builder options() {
        return OpenAiEmbedderOptions.builder()
                .baseUrl(server.baseUrl())
                .model("text-embedding-test")
                .dimension(DIM)
                .batchSize(3)
                .initialBackoff(Duration.ofMillis(200))
                .maxBackoff(Duration.ofSeconds(1))
                .requestTimeout(Duration.ofSeconds(5));
    }

    private OpenAiEmbedder embedder(OpenAiEmbedderOptions options, String key) {
        Map<String, String> env = key == null ? Map.of() : Map.of(options.apiKeyEnv(), key);
        return new OpenAiEmbedder(
                options,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(),
                env::get,
                sleeps::add,
                () -> 0.5,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private OpenAiEmbedder embedder() {
        return embedder(options().build(), KEY);
    }

    @Test
    void returnsNormalisedVectorsInInputOrderWhenTheServerAnswersOutOfOrder() {
        List<String> texts = List.of("red lipstick", "matte lip colour", "lawn mower");

        List<float[]> vectors = embedder().embed(texts);

        assertThat(vectors).hasSize(3);
        for (int i = 0; i < texts.size(); i++) {
            float[] expected = FakeEmbeddingsServer.rawVector(texts.get(i), DIM);
            double n = MiniLmEmbedderTest.norm(expected);
            float[] got = vectors.get(i);
            assertThat(MiniLmEmbedderTest.norm(got)).isCloseTo(1.0, within(1e-6));
            for (int d = 0; d < DIM; d++) {
                assertThat((double) got[d]).isCloseTo(expected[d] / n, within(1e-6));
            }
        }
    }

    @Test
    void sendsTheModelTheInputsAndTheBearerKey() {
        embedder().embed(List.of("a", ""));

        assertThat(server.received()).hasSize(1);
        FakeEmbeddingsServer.Received r = server.received().get(0);
        assertThat(r.authorization()).isEqualTo("Bearer " + KEY);
        assertThat(r.body().get("model").asText()).isEqualTo("text-embedding-test");
        assertThat(r.body().get("input").toString()).isEqualTo("[\"a\",\"\"]");
    }

    @Test
    void sendsNoAuthorizationHeaderWithoutAKey() {
        embedder(options().build(), null).embed(List.of("a"));

        assertThat(server.received().get(0).authorization()).isNull();
    }

    @Test
    void splitsTextsIntoRequestsOfBatchSize() {
        List<float[]> vectors = embedder().embed(List.of("a", "b", "c", "d", "e", "f", "g"));

        assertThat(vectors).hasSize(7);
        assertThat(server.received())
                .extracting(r -> r.body().get("input").size())
                .containsExactly(3, 3, 1);
    }

    @Test
    void sendsNoRequestForNoTexts() {
        assertThat(embedder().embed(List.of())).isEmpty();
        assertThat(server.received()).isEmpty();
    }

    @Test
    void retriesAServerErrorWithJitteredBackoffThenSucceeds() {
        server.enqueue(500, Map.of(), "{\"error\":{\"message\":\"overloaded\"}}");

        List<float[]> vectors = embedder().embed(List.of("a", "b"));

        assertThat(vectors).hasSize(2);
        assertThat(server.received()).hasSize(2);
        // first retry: 200 ms scaled by 0.5 + 0.5 * jitter(0.5) = 0.75
        assertThat(sleeps).containsExactly(Duration.ofMillis(150));
    }

    @Test
    void honoursRetryAfterSecondsOnTooManyRequests() {
        server.enqueue(429, Map.of("Retry-After", "2"), "{\"error\":\"rate limited\"}");

        List<float[]> vectors = embedder().embed(List.of("a"));

        assertThat(vectors).hasSize(1);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void honoursRetryAfterAsAnHttpDate() {
        server.enqueue(503, Map.of("Retry-After", "Sun, 01 Jun 2025 12:00:07 GMT"), "busy");

        embedder().embed(List.of("a"));

        assertThat(sleeps).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void prefersRetryAfterMillisecondsWhenGiven() {
        server.enqueue(429, Map.of("retry-after-ms", "350", "Retry-After", "1"), "slow down");

        embedder().embed(List.of("a"));

        assertThat(sleeps).containsExactly(Duration.ofMillis(350));
    }

    @Test
    void backsOffExponentiallyUpToTheCapAndGivesUpAfterMaxAttempts() {
        for (int i = 0; i < 5; i++) {
            server.enqueue(502, Map.of(), "bad gateway " + i);
        }

        assertThatThrownBy(() -> embedder().embed(List.of("a")))
                .isInstanceOf(EnrichmentException.class)
                .hasMessageContaining("after 5 attempts")
                .hasMessageContaining("HTTP 502")
                .hasMessageContaining("bad gateway 4");
        assertThat(server.received()).hasSize(5);
        // 200, 400, 800, then the 1 s cap; each times 0.75
        assertThat(sleeps)
                .containsExactly(
                        Duration.ofMillis(150),
                        Duration.ofMillis(300),
                        Duration.ofMillis(600),
                        Duration.ofMillis(750));
    }

    @Test
    void failsAtOnceWhenTheServerAsksForALongerWaitThanAllowed() {
        server.enqueue(429, Map.of("Retry-After", "3600"), "come back later");

        assertThatThrownBy(() -> embedder().embed(List.of("a")))
                .isInstanceOf(EnrichmentException.class)
                .hasMessageContaining("PT1H")
                .hasMessageContaining("maxRetryAfter");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void doesNotRetryAClientError() {
        server.enqueue(400, Map.of(), "{\"error\":{\"message\":\"'$.input' is invalid\"}}");

        assertThatThrownBy(() -> embedder().embed(List.of("")))
                .isInstanceOf(EnrichmentException.class)
                .hasMessageContaining("HTTP 400")
                .hasMessageContaining("is invalid");
        assertThat(server.received()).hasSize(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void rejectsAWrongDimensionNamingExpectedAndGot() {
        server.enqueue(200, Map.of(), "{\"data\":[{\"index\":0,\"embedding\":[0.1,0.2,0.3]}]}");

        assertThatThrownBy(() -> embedder().embed(List.of("a")))
                .isInstanceOf(EnrichmentException.class)
                .hasMessageContaining("expected 4")
                .hasMessageContaining("got 3");
    }

    @Test
    void rejectsMalformedJsonClearly() {
        server.enqueue(200, Map.of(), "{\"data\":[{\"index\":0,\"embedding\":[0.1,");

        assertThatThrownBy(() -> embedder().embed(List.of("a")))
                .isInstanceOf(EnrichmentException.class)
                .hasMessageContaining("malformed JSON")
                .hasMessageContaining(server.baseUrl() + "/embeddings");
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void rejectsARepeatedIndex() {
        server.enqueue(
                200,
                Map.of(),
                "{\"data\":[{\"index\":0,\"embedding\":[1,2,3,4]},"
                        + "{\"index\":0,\"embedding\":[1,2,3,4]}]}");

        assertThatThrownBy(() -> embedder().embed(List.of("a", "b")))
                .isInstanceOf(EnrichmentException.class)
                .hasMessageContaining("repeated index 0");
    }

    @Test
    void rejectsAnAllZeroVector() {
        server.enqueue(200, Map.of(), "{\"data\":[{\"index\":0,\"embedding\":[0,0,0,0]}]}");

        assertThatThrownBy(() -> embedder().embed(List.of("a")))
                .isInstanceOf(EnrichmentException.class)
                .hasMessageContaining("all zeros");
    }

    @Test
    void retriesARefusedConnectionAndReportsIt() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        OpenAiEmbedderOptions o =
                options().baseUrl("http://127.0.0.1:" + closedPort + "/v1").maxAttempts(2).build();

        assertThatThrownBy(() -> embedder(o, KEY).embed(List.of("a")))
                .isInstanceOf(EnrichmentException.class)
                .hasMessageContaining("after 2 attempts")
                .hasCauseInstanceOf(IOException.class);
        assertThat(sleeps).hasSize(1);
    }

    @Test
    void keepsTheApiKeyOutOfTheLog() {
        server.enqueue(503, Map.of(), "unavailable");
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            embedder().embed(List.of("a"));
        } finally {
            System.setErr(original);
        }

        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("retrying").contains("HTTP 503").doesNotContain(KEY);
    }

    @Test
    void keepsTheApiKeyOutOfToString() {
        OpenAiEmbedder e = embedder();

        assertThat(e.toString()).doesNotContain(KEY).contains("apiKey=present");
        assertThat(e.options().toString()).doesNotContain(KEY).contains("HYPERREC_EMBEDDINGS");
        assertThat(e.name()).isEqualTo("text-embedding-test");
        assertThat(e.dim()).isEqualTo(DIM);
    }

    @Test
    void optionsFailFastNamingTheBadValue() {
        assertThatThrownBy(() -> OpenAiEmbedderOptions.builder().baseUrl("ftp://x/v1"))
                .hasMessageContaining("ftp://x/v1");
        assertThatThrownBy(() -> OpenAiEmbedderOptions.builder().batchSize(5000))
                .hasMessageContaining("batchSize")
                .hasMessageContaining("5000");
        assertThatThrownBy(() -> OpenAiEmbedderOptions.builder().dimension(-1))
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> OpenAiEmbedderOptions.builder().apiKeyEnv("MY KEY"))
                .hasMessageContaining("MY KEY");
        assertThatThrownBy(() -> OpenAiEmbedderOptions.builder().maxAttempts(0))
                .hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> OpenAiEmbedderOptions.builder().initialBackoff(Duration.ZERO))
                .hasMessageContaining("initialBackoff");
        assertThatThrownBy(() -> options().maxBackoff(Duration.ofMillis(10)).build())
                .hasMessageContaining("maxBackoff")
                .hasMessageContaining("PT0.01S");
        assertThatThrownBy(() -> OpenAiEmbedderOptions.builder().model("m").dimension(3).build())
                .hasMessageContaining("baseUrl is required");
    }

    @Test
    void optionsDefaultToTheDocumentedValues() {
        OpenAiEmbedderOptions o =
                OpenAiEmbedderOptions.builder()
                        .baseUrl("https://api.example.com/v1/")
                        .model("m")
                        .dimension(8)
                        .build();

        assertThat(o.endpoint().toString()).isEqualTo("https://api.example.com/v1/embeddings");
        assertThat(o.apiKeyEnv()).isEqualTo("HYPERREC_EMBEDDINGS_API_KEY");
        assertThat(o.batchSize()).isEqualTo(64);
        assertThat(o.maxAttempts()).isEqualTo(5);
        assertThat(o.encoderName()).isEqualTo("m");
    }
}
