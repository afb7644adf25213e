package io.hyperrec.enrichment.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperrec.enrichment.EnrichmentException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of an OpenAI-compatible chat-completions API ({@code POST {baseUrl}/chat/completions}):
 * vLLM, Ollama, llama.cpp's server, OpenAI. Sends {@code {model, messages, temperature,
 * response_format?}} and returns {@code choices[0].message.content}, parsed by the caller's {@link
 * ReplyParser}.
 *
 * <h2>Failures</h2>
 *
 * A call makes at most {@link LlmOptions#maxAttempts()} requests. Retried: timeouts, connection
 * errors, HTTP 408, 409, 429 and 5xx, a response body that is not the chat-completion format, a
 * reply cut off at the token limit (all after a backoff: full jitter, see {@link LlmOptions}; on
 * 429 and 503 the server's {@code Retry-After}, in delta-seconds or as an HTTP-date, replaces the
 * backoff), and a reply the parser rejects (at once, with the rejected reply and a repair message
 * appended to the conversation). Any other status fails the call at once with the status and the
 * server's error message, as does a {@code Retry-After} beyond {@link LlmOptions#maxRetryAfter()}.
 * Every failure is an {@link EnrichmentException} naming the call's subject (e.g. the item).
 *
 * <h2>The API key</h2>
 *
 * Read once, at construction, from the environment variable {@link LlmOptions#apiKeyEnv()} and sent
 * only as {@code Authorization: Bearer}; no header when it is unset or empty. It is never logged,
 * never in an exception message (text that came from the server is scrubbed of it) and not in
 * {@link #toString()}.
 *
 * <p>Thread-safe. At most {@link LlmOptions#maxConcurrentRequests()} requests are in flight at
 * once; callers beyond that wait for a permit (backoff waits hold none).
 */
public final class ChatClient {
    private static final Logger LOG = LoggerFactory.getLogger(ChatClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DELTA_SECONDS = Pattern.compile("\\d{1,9}");
    private static final int MAX_SERVER_MESSAGE = 300;
    private static final int MAX_SUBJECT = 200;
    private static final int MAX_ECHOED_REPLY = 4000;
    private static final String REDACTED = "[redacted]";

    private final LlmOptions options;
    private final URI endpoint;
    private final HttpClient http;
    private final String apiKey;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final Clock clock;
    private final Semaphore permits;
    private final LlmStats stats = new LlmStats();

    private ChatClient(Builder b) {
        this.options = b.options;
        this.endpoint = b.options.chatCompletionsUrl();
        String key = b.environment.apply(options.apiKeyEnv());
        this.apiKey = key == null || key.isBlank() ? null : key.strip();
        this.http =
                b.http != null
                        ? b.http
                        : HttpClient.newBuilder()
                                .connectTimeout(options.connectTimeout())
                                .followRedirects(HttpClient.Redirect.NEVER)
                                // h2c upgrade on plain http confuses some local servers; https
                                // negotiates HTTP/2 by ALPN and falls back by itself.
                                .version(
                                        "https".equals(endpoint.getScheme())
                                                ? HttpClient.Version.HTTP_2
                                                : HttpClient.Version.HTTP_1_1)
                                .build();
        this.sleeper = b.sleeper;
        this.random = b.random;
        this.clock = b.clock;
        this.permits = new Semaphore(options.maxConcurrentRequests(), true);
        if (apiKey != null && "http".equals(endpoint.getScheme()) && !isLoopback(endpoint)) {
            LOG.warn(
                    "the API key from ${} goes in clear text to {}; use https",
                    options.apiKeyEnv(),
                    endpoint);
        }
    }

    /** A client with the real environment, clock and sleeper and its own {@link HttpClient}. */
    public static ChatClient create(LlmOptions options) {
        return builder(options).build();
    }

    /** A builder whose collaborators default to the real ones. */
    public static Builder builder(LlmOptions options) {
        return new Builder(options);
    }

    /** The options. */
    public LlmOptions options() {
        return options;
    }

    /** This client's counters. */
    public LlmStats stats() {
        return stats;
    }

    /** Whether an API key was found in the environment (the key itself is not exposed). */
    public boolean hasApiKey() {
        return apiKey != null;
    }

    /**
     * Sends {@code messages} and returns the reply text as is.
     *
     * @see #complete(String, List, ReplyParser)
     */
    public String complete(String subject, List<ChatMessage> messages) {
        return complete(subject, messages, content -> content);
    }

    /**
     * Sends {@code messages} and returns the reply parsed by {@code parser}, retrying as described
     * in the class comment.
     *
     * @param subject what the call is about, for messages, e.g. {@code item 'sku-42'}
     * @param messages the conversation, at least one message
     * @throws EnrichmentException naming the subject, the endpoint and the last failure
     */
    public <T> T complete(String subject, List<ChatMessage> messages, ReplyParser<T> parser) {
        Objects.requireNonNull(parser, "parser");
        String what = printable(Objects.requireNonNull(subject, "subject"), MAX_SUBJECT);
        List<ChatMessage> base = List.copyOf(messages);
        if (base.isEmpty()) {
            throw new IllegalArgumentException("messages must not be empty");
        }
        List<ChatMessage> conversation = base;
        for (int attempt = 1; ; attempt++) {
            String failure;
            Duration wait;
            try {
                String content = exchange(what, conversation);
                try {
                    return parser.parse(content);
                } catch (InvalidReplyException e) {
                    stats.invalidReply();
                    failure = "invalid reply: " + redact(e.getMessage());
                    wait = Duration.ZERO;
                    conversation = new ArrayList<>(base);
                    conversation.add(ChatMessage.assistant(truncate(content, MAX_ECHOED_REPLY)));
                    conversation.add(ChatMessage.user(parser.repairPrompt(e.getMessage())));
                }
            } catch (Transient e) {
                failure = redact(e.getMessage());
                wait = e.retryAfter != null ? e.retryAfter : backoff(attempt);
            } catch (RuntimeException e) {
                stats.failure();
                throw e;
            }
            if (attempt >= options.maxAttempts()) {
                stats.failure();
                throw new EnrichmentException(
                        what
                                + ": no usable reply from "
                                + endpoint
                                + " after "
                                + attempt
                                + " attempts; last failure: "
                                + failure);
            }
            LOG.warn(
                    "{}: attempt {}/{} to {} failed ({}); retrying {}",
                    what,
                    attempt,
                    options.maxAttempts(),
                    endpoint,
                    failure,
                    wait.isZero() ? "at once" : "in " + wait.toMillis() + " ms");
            if (!wait.isZero()) {
                sleep(what, wait);
            }
            stats.retry();
        }
    }

    /** One request: the reply content, or {@link Transient} for what is worth retrying. */
    private String exchange(String what, List<ChatMessage> conversation) throws Transient {
        HttpRequest.Builder rb =
                HttpRequest.newBuilder(endpoint)
                        .timeout(options.requestTimeout())
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(requestBody(conversation)));
        if (apiKey != null) {
            rb.header("Authorization", "Bearer " + apiKey);
        }
        HttpRequest request = rb.build();
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnrichmentException(what + ": interrupted waiting to call " + endpoint, e);
        }
        HttpResponse<String> response;
        try {
            stats.request();
            response = send(what, request);
        } finally {
            permits.release();
        }
        return handle(what, response);
    }

    /**
     * Sends and reads the whole reply within the request timeout: {@link HttpRequest#timeout} alone
     * stops at the response headers, so the wait on the future bounds the body too.
     */
    private HttpResponse<String> send(String what, HttpRequest request) throws Transient {
        long timeoutMs = options.requestTimeout().toMillis();
        CompletableFuture<HttpResponse<String>> future =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        try {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new Transient("timed out after " + timeoutMs + " ms");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new EnrichmentException(what + ": interrupted waiting for " + endpoint, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpConnectTimeoutException) {
                throw new Transient(
                        "connect timed out after " + options.connectTimeout().toMillis() + " ms");
            }
            if (cause instanceof HttpTimeoutException) {
                throw new Transient("timed out after " + timeoutMs + " ms");
            }
            if (cause instanceof IOException) {
                throw new Transient(
                        "I/O error: "
                                + cause.getClass().getSimpleName()
                                + Optional.ofNullable(cause.getMessage())
                                        .map(m -> ": " + redact(m))
                                        .orElse(""));
            }
            throw new EnrichmentException(
                    what + ": request to " + endpoint + " failed: " + redact(String.valueOf(cause)),
                    cause);
        }
    }

    private String handle(String what, HttpResponse<String> response) throws Transient {
        int status = response.statusCode();
        String body = Objects.requireNonNullElse(response.body(), "");
        if (status >= 200 && status < 300) {
            return content(body);
        }
        String message = serverMessage(body);
        if (status == 429 || status == 503) {
            Duration retryAfter =
                    response.headers()
                            .firstValue("Retry-After")
                            .map(v -> parseRetryAfter(v, clock))
                            .orElse(null);
            if (retryAfter != null && retryAfter.compareTo(options.maxRetryAfter()) > 0) {
                throw new EnrichmentException(
                        what
                                + ": "
                                + endpoint
                                + " answered HTTP "
                                + status
                                + " asking to retry after "
                                + retryAfter.toSeconds()
                                + " s, more than maxRetryAfter "
                                + options.maxRetryAfter().toSeconds()
                                + " s: "
                                + message);
            }
            throw new Transient("HTTP " + status + ": " + message, retryAfter);
        }
        if (status == 408 || status == 409 || status >= 500) {
            throw new Transient("HTTP " + status + ": " + message);
        }
        throw new EnrichmentException(
                what + ": " + endpoint + " answered HTTP " + status + ": " + message);
    }

    /** {@code choices[0].message.content} of a chat-completion body. */
    private String content(String body) throws Transient {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new Transient(
                    "response body is not JSON: " + printable(redact(e.getOriginalMessage()), 200));
        }
        JsonNode choice = root == null ? null : root.path("choices").path(0);
        JsonNode content = choice == null ? null : choice.path("message").path("content");
        if (content == null || !content.isTextual()) {
            throw new Transient(
                    "response body is not a chat completion: no choices[0].message.content");
        }
        if ("length".equals(choice.path("finish_reason").asText())) {
            throw new Transient("reply cut off at the token limit (finish_reason length)");
        }
        return content.asText();
    }

    private byte[] requestBody(List<ChatMessage> conversation) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", options.model());
        ArrayNode messages = root.putArray("messages");
        for (ChatMessage m : conversation) {
            messages.addObject().put("role", m.role().wireName()).put("content", m.content());
        }
        root.put("temperature", options.temperature());
        if (options.jsonMode()) {
            root.putObject("response_format").put("type", "json_object");
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serialises", e);
        }
    }

    /**
     * The server's error message: {@code error.message} (OpenAI, vLLM, llama.cpp), {@code error}
     * (Ollama), {@code message} or {@code detail}, else the body; printable, cut, scrubbed of the
     * key.
     */
    private String serverMessage(String body) {
        String message = body;
        try {
            JsonNode root = JSON.readTree(body);
            if (root != null) {
                JsonNode error = root.path("error");
                for (JsonNode candidate :
                        List.of(
                                error.path("message"),
                                error,
                                root.path("message"),
                                root.path("detail"))) {
                    if (candidate.isTextual()) {
                        message = candidate.asText();
                        break;
                    }
                }
            }
        } catch (JsonProcessingException notJson) {
            // Not every error body is JSON (proxies answer HTML or text): keep the raw body.
        }
        message = printable(redact(message), MAX_SERVER_MESSAGE);
        return message.isBlank() ? "(empty body)" : message;
    }

    /**
     * A {@code Retry-After} value as a wait: delta-seconds, or an HTTP-date measured against {@code
     * clock} (zero when past); null when malformed, so that the backoff applies.
     */
    static Duration parseRetryAfter(String value, Clock clock) {
        String v = value.strip();
        if (DELTA_SECONDS.matcher(v).matches()) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration d = Duration.between(clock.instant(), at.toInstant());
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException malformed) {
            return null;
        }
    }

    /** Full jitter: uniform in {@code [0, min(maxBackoff, baseBackoff * 2^(retry-1)))}. */
    private Duration backoff(int retry) {
        long base = options.baseBackoff().toNanos();
        long max = options.maxBackoff().toNanos();
        int shift = Math.min(retry - 1, 40);
        long cap = base > (max >> shift) ? max : Math.min(max, base << shift);
        return Duration.ofNanos((long) (random.nextDouble() * cap));
    }

    private void sleep(String what, Duration wait) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stats.failure();
            throw new EnrichmentException(
                    what + ": interrupted while waiting to retry " + endpoint, e);
        }
    }

    private String redact(String s) {
        return apiKey == null || s == null ? s : s.replace(apiKey, REDACTED);
    }

    private static String printable(String s, int max) {
        return LlmJson.printable(s, max);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    private static boolean isLoopback(URI uri) {
        try {
            return InetAddress.getByName(uri.getHost()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "ChatClient{endpoint="
                + endpoint
                + ", model="
                + options.model()
                + ", apiKey="
                + (apiKey == null ? "none" : "from $" + options.apiKeyEnv())
                + "}";
    }

    /** A failure worth another attempt; the caller scrubs its message of the key. */
    private static final class Transient extends Exception {
        private static final long serialVersionUID = 1L;

        private final Duration retryAfter;

        Transient(String message) {
            this(message, null);
        }

        Transient(String message, Duration retryAfter) {
            super(message, null, false, false);
            this.retryAfter = retryAfter;
        }
    }

    /** Builds a {@link ChatClient}; not thread-safe. */
    public static final class Builder {
        private final LlmOptions options;
        private HttpClient http;
        private Function<String, String> environment = System::getenv;
        private Sleeper sleeper = Sleeper.SYSTEM;
        private RandomGenerator random = new Random();
        private Clock clock = Clock.systemUTC();

        private Builder(LlmOptions options) {
            this.options = Objects.requireNonNull(options, "options");
        }

        /** Sets the HTTP client (default: one built from the options' connect timeout). */
        public Builder httpClient(HttpClient http) {
            this.http = Objects.requireNonNull(http, "http");
            return this;
        }

        /** Sets where the API key's variable is looked up (default {@link System#getenv}). */
        public Builder environment(Function<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** Sets how backoff waits are waited (default {@link Sleeper#SYSTEM}). */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** Sets the jitter's random source; it must be thread-safe (default a {@link Random}). */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** Sets the clock that HTTP-date {@code Retry-After} values are measured against. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The client. */
        public ChatClient build() {
            return new ChatClient(this);
        }
    }
}
