package io.hyperrec.enrichment.llm;

import static io.hyperrec.enrichment.llm.FakeOpenAiServer.raw;
import static io.hyperrec.enrichment.llm.FakeOpenAiServer.rendezvous;
import static io.hyperrec.enrichment.llm.FakeOpenAiServer.reply;
import static io.hyperrec.enrichment.llm.FakeOpenAiServer.status;
import static io.hyperrec.enrichment.llm.Fixtures.API_KEY;
import static io.hyperrec.enrichment.llm.Fixtures.MODEL;
import static io.hyperrec.enrichment.llm.Fixtures.SHORT_TIMEOUT;
import static io.hyperrec.enrichment.llm.Fixtures.client;
import static io.hyperrec.enrichment.llm.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperrec.enrichment.EnrichmentException;
import io.hyperrec.enrichment.llm.FakeOpenAiServer.Request;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChatClientTest {
    private static final List<ChatMessage> HELLO =
            List.of(ChatMessage.system("Reply with a JSON object."), ChatMessage.user("Hello"));
    private static final String OK = "{\"ok\": true}";

    private static FakeOpenAiServer server;
    private RecordingSleeper sleeper;

    @BeforeAll
    static void startServer() {
        server = new FakeOpenAiServer();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void resetServer() {
        server.reset();
        sleeper = new RecordingSleeper();
    }

    private ChatClient client() {
        return Fixtures.client(options(server).build(), sleeper);
    }

    @Test
    void sendsTheOpenAiWireFormatAndReturnsTheContent() {
        server.enqueue(reply(OK));
        ChatClient client = Fixtures.client(options(server).temperature(0.2).build(), sleeper);

        assertThat(client.complete("test", HELLO)).isEqualTo(OK);

        Request request = server.requests().get(0);
        JsonNode body = request.body();
        assertThat(body.path("model").asText()).isEqualTo(MODEL);
        assertThat(request.roles()).containsExactly("system", "user");
        assertThat(request.contents()).containsExactly("Reply with a JSON object.", "Hello");
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.path("response_format").path("type").asText()).isEqualTo("json_object");
        assertThat(request.header("Content-Type")).startsWith("application/json");
        assertThat(client.stats().requests()).isEqualTo(1);
        assertThat(client.stats().retries()).isZero();
    }

    @Test
    void omitsResponseFormatWhenJsonModeIsOff() {
        server.enqueue(reply(OK));

        Fixtures.client(options(server).jsonMode(false).build(), sleeper).complete("test", HELLO);

        assertThat(server.requests().get(0).body().has("response_format")).isFalse();
    }

    @Test
    void sendsTheApiKeyAsABearerHeaderOnlyWhenTheEnvironmentHasOne() {
        server.enqueue(reply(OK), reply(OK));
        ChatClient withKey = client();
        ChatClient withoutKey =
                ChatClient.builder(options(server).build())
                        .environment(Map.<String, String>of()::get)
                        .sleeper(sleeper)
                        .build();

        withKey.complete("test", HELLO);
        withoutKey.complete("test", HELLO);

        assertThat(withKey.hasApiKey()).isTrue();
        assertThat(withoutKey.hasApiKey()).isFalse();
        assertThat(server.requests().get(0).header("Authorization")).isEqualTo("Bearer " + API_KEY);
        assertThat(server.requests().get(1).header("Authorization")).isNull();
    }

    @Test
    void retriesServerErrorsWithExponentialFullJitterBackoffUpToTheCap() {
        server.enqueue(
                status(500, "{}"),
                status(503, "{}"),
                status(502, "{}"),
                status(500, "{}"),
                status(504, "{}"),
                reply(OK));
        ChatClient client = Fixtures.client(options(server).maxAttempts(6).build(), sleeper);

        assertThat(client.complete("test", HELLO)).isEqualTo(OK);

        // caps 100, 200, 400, 800, then 1000 (maxBackoff); the jitter draws half of each
        assertThat(sleeper.waitsMillis()).containsExactly(50L, 100L, 200L, 400L, 500L);
        assertThat(server.requests()).hasSize(6);
        assertThat(client.stats().retries()).isEqualTo(5);
        assertThat(client.stats().failures()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 409, 429, 500, 502, 503, 504})
    void retriesTransientStatuses(int status) {
        server.enqueue(status(status, "{\"error\":{\"message\":\"busy\"}}"), reply(OK));

        assertThat(client().complete("test", HELLO)).isEqualTo(OK);
        assertThat(server.requests()).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 422})
    void failsAtOnceOnOtherClientErrorsWithTheStatusAndTheServersMessage(int status) {
        server.otherwise(
                status(
                        status,
                        "{\"error\":{\"message\":\"model 'nope' not found\","
                                + "\"type\":\"invalid_request_error\"}}"));
        ChatClient client = client();

        assertThatThrownBy(() -> client.complete("item 'sku-1'", HELLO))
                .isInstanceOf(EnrichmentException.class)
                .hasMessageContaining("item 'sku-1'")
                .hasMessageContaining("HTTP " + status)
                .hasMessageContaining("model 'nope' not found");
        assertThat(server.requests()).hasSize(1);
        assertThat(sleeper.waits()).isEmpty();
        assertThat(client.stats().failures()).isEqualTo(1);
    }

    @Test
    void readsOllamaStyleAndNonJsonErrorBodies() {
        server.enqueue(
                status(404, "{\"error\":\"model \\\"llama9\\\" not found, try pulling it first\"}"),
                status(403, "<html><body>Forbidden by proxy</body></html>"));
        ChatClient client = client();

        assertThatThrownBy(() -> client.complete("a", HELLO))
                .hasMessageContaining("HTTP 404: model \"llama9\" not found, try pulling it first");
        assertThatThrownBy(() -> client.complete("b", HELLO))
                .hasMessageContaining("HTTP 403: <html><body>Forbidden by proxy</body></html>");
    }

    @Test
    void retriesARequestThatTimesOut() {
        server.enqueue(server.hang(), reply(OK));
        ChatClient client =
                Fixtures.client(options(server).requestTimeout(SHORT_TIMEOUT).build(), sleeper);

        assertThat(client.complete("test", HELLO)).isEqualTo(OK);

        assertThat(server.requests()).hasSize(2);
        assertThat(sleeper.waitsMillis()).containsExactly(50L);
    }

    @Test
    void givesUpOnRepeatedTimeoutsNamingTheTimeout() {
        server.otherwise(server.hang());

        assertThatThrownBy(
                        () ->
                                Fixtures.client(
                                                options(server)
                                                        .maxAttempts(2)
                                                        .requestTimeout(SHORT_TIMEOUT)
                                                        .build(),
                                                sleeper)
                                        .complete("item 'slow'", HELLO))
                .hasMessageContaining("item 'slow'")
                .hasMessageContaining("after 2 attempts")
                .hasMessageContaining("timed out after 400 ms");
    }

    @Test
    void retriesConnectionErrorsThenGivesUp() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        LlmOptions options =
                options(server).baseUrl("http://127.0.0.1:" + closedPort + "/v1").build();
        ChatClient client = Fixtures.client(options, sleeper);

        assertThatThrownBy(() -> client.complete("item 'x'", HELLO))
                .isInstanceOf(EnrichmentException.class)
                .hasMessageContaining("after 3 attempts")
                .hasMessageContaining("I/O error");
        assertThat(client.stats().requests()).isEqualTo(3);
        assertThat(sleeper.waitsMillis()).containsExactly(50L, 100L);
    }

    @Test
    void honoursRetryAfterInSecondsOn429And503() {
        server.enqueue(
                status(429, "{\"error\":{\"message\":\"rate limited\"}}", "Retry-After", "2"),
                status(503, "{}", "Retry-After", "1"),
                reply(OK));

        assertThat(client().complete("test", HELLO)).isEqualTo(OK);

        assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(1));
    }

    @Test
    void honoursRetryAfterAsAnHttpDate() {
        Clock clock = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
        server.enqueue(
                status(429, "{}", "Retry-After", "Wed, 01 Jan 2025 00:00:03 GMT"), reply(OK));
        ChatClient client =
                ChatClient.builder(options(server).build()).sleeper(sleeper).clock(clock).build();

        assertThat(client.complete("test", HELLO)).isEqualTo(OK);

        assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void usesTheBackoffWhenRetryAfterIsMalformed() {
        server.enqueue(status(429, "{}", "Retry-After", "soon"), reply(OK));

        client().complete("test", HELLO);

        assertThat(sleeper.waitsMillis()).containsExactly(50L);
    }

    @Test
    void failsAtOnceWhenRetryAfterExceedsTheLimit() {
        server.enqueue(status(429, "{\"error\":{\"message\":\"quota\"}}", "Retry-After", "120"));
        ChatClient client =
                Fixtures.client(
                        options(server).maxRetryAfter(Duration.ofSeconds(5)).build(), sleeper);

        assertThatThrownBy(() -> client.complete("item 'q'", HELLO))
                .hasMessageContaining("item 'q'")
                .hasMessageContaining("HTTP 429")
                .hasMessageContaining("retry after 120 s, more than maxRetryAfter 5 s");
        assertThat(server.requests()).hasSize(1);
        assertThat(sleeper.waits()).isEmpty();
    }

    @Test
    void parsesRetryAfterValues() {
        Clock clock = Clock.fixed(Instant.parse("2025-01-01T00:00:10Z"), ZoneOffset.UTC);

        assertThat(ChatClient.parseRetryAfter(" 7 ", clock)).isEqualTo(Duration.ofSeconds(7));
        assertThat(ChatClient.parseRetryAfter("Wed, 01 Jan 2025 00:00:00 GMT", clock))
                .isEqualTo(Duration.ZERO);
        assertThat(ChatClient.parseRetryAfter("-1", clock)).isNull();
        assertThat(ChatClient.parseRetryAfter("1.5", clock)).isNull();
    }

    @Test
    void retriesTruncatedAndNonCompletionBodies() {
        server.enqueue(
                raw("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"ind"),
                raw("{\"object\":\"list\",\"data\":[]}"),
                reply(OK));
        ChatClient client = Fixtures.client(options(server).maxAttempts(3).build(), sleeper);

        assertThat(client.complete("test", HELLO)).isEqualTo(OK);

        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void retriesAReplyCutOffAtTheTokenLimit() {
        server.enqueue(reply("{\"summary\": \"cut", "length"), reply(OK));

        assertThat(client().complete("test", HELLO)).isEqualTo(OK);
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void givesUpAfterMaxAttemptsNamingTheSubjectAndTheLastFailure() {
        server.otherwise(status(503, "{\"error\":{\"message\":\"overloaded\"}}"));
        ChatClient client = client();

        assertThatThrownBy(() -> client.complete("item 'sku-42'", HELLO))
                .isInstanceOf(EnrichmentException.class)
                .hasMessage(
                        "item 'sku-42': no usable reply from "
                                + server.baseUrl()
                                + "/chat/completions after 3 attempts; last failure: HTTP 503:"
                                + " overloaded");
        assertThat(server.requests()).hasSize(3);
        assertThat(client.stats().failures()).isEqualTo(1);
        assertThat(client.stats().retries()).isEqualTo(2);
    }

    @Test
    void retriesARejectedReplyAtOnceWithTheReplyAndARepairMessage() {
        server.enqueue(reply("bad"), reply("good"));
        ChatClient client = client();
        ReplyParser<String> parser =
                content -> {
                    if (content.equals("bad")) {
                        throw new InvalidReplyException("'bad' is not good");
                    }
                    return content;
                };

        assertThat(client.complete("test", HELLO, parser)).isEqualTo("good");

        Request retry = server.requests().get(1);
        assertThat(retry.roles()).containsExactly("system", "user", "assistant", "user");
        assertThat(retry.contents().get(2)).isEqualTo("bad");
        assertThat(retry.contents().get(3)).contains("'bad' is not good");
        assertThat(sleeper.waits()).isEmpty();
        assertThat(client.stats().invalidReplies()).isEqualTo(1);
    }

    @Test
    void boundsTheRequestsInFlight() throws Exception {
        int callers = 6;
        server.otherwise(rendezvous(new CountDownLatch(2), 50, reply(OK)));
        ChatClient limited =
                Fixtures.client(options(server).maxConcurrentRequests(2).build(), sleeper);

        assertThat(callConcurrently(limited, callers)).containsOnly(OK).hasSize(callers);
        assertThat(server.maxInFlight()).isEqualTo(2);

        // The same load without the limit shows more in flight, so the test can see a breach.
        server.reset();
        server.otherwise(rendezvous(new CountDownLatch(4), 50, reply(OK)));
        ChatClient unlimited =
                Fixtures.client(options(server).maxConcurrentRequests(callers).build(), sleeper);
        assertThat(callConcurrently(unlimited, callers)).containsOnly(OK);
        assertThat(server.maxInFlight()).isGreaterThanOrEqualTo(4);
    }

    private static List<String> callConcurrently(ChatClient client, int callers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                calls.add(() -> client.complete("test", HELLO));
            }
            List<String> out = new ArrayList<>();
            for (Future<String> f : pool.invokeAll(calls)) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void neverLogsOrReportsTheApiKey() {
        server.enqueue(
                status(
                        500,
                        "{\"error\":{\"message\":\"upstream refused Bearer " + API_KEY + "\"}}"),
                status(
                        401,
                        "{\"error\":{\"message\":\"Incorrect API key provided: "
                                + API_KEY
                                + "\"}}"));
        LlmOptions options = options(server).build();
        ChatClient client = Fixtures.client(options, sleeper);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        Throwable thrown;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            thrown = catchThrowable(() -> client.complete("t", HELLO));
        } finally {
            System.setErr(stderr);
        }
        String log = captured.toString(StandardCharsets.UTF_8);

        assertThat(server.requests().get(0).header("Authorization")).isEqualTo("Bearer " + API_KEY);
        assertThat(thrown)
                .isInstanceOf(EnrichmentException.class)
                .hasMessageContaining("HTTP 401: Incorrect API key provided: [redacted]")
                .hasMessageNotContaining(API_KEY);
        assertThat(log).contains("retrying").contains("[redacted]").doesNotContain(API_KEY);
        assertThat(List.of(client.toString(), options.toString(), client.stats().toString()))
                .noneMatch(s -> s.contains(API_KEY));
        assertThat(client.toString()).contains("apiKey=from $" + Fixtures.KEY_ENV);
    }

    @Test
    void anInterruptedBackoffFailsTheCallAndKeepsTheInterrupt() {
        server.otherwise(status(500, "{}"));
        ChatClient client =
                ChatClient.builder(options(server).build())
                        .sleeper(
                                d -> {
                                    throw new InterruptedException();
                                })
                        .build();

        try {
            assertThatThrownBy(() -> client.complete("item 'i'", HELLO))
                    .isInstanceOf(EnrichmentException.class)
                    .hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void rejectsAnEmptyConversation() {
        assertThatThrownBy(() -> client().complete("test", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
