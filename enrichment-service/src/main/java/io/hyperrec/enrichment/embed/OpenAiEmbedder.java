package io.hyperrec.enrichment.embed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperrec.enrichment.EnrichmentException;
import io.hyperrec.enrichment.TextEmbedder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TextEmbedder} over an OpenAI-compatible embeddings endpoint ({@code POST
 * {baseUrl}/embeddings} with {@code {"model": ..., "input": [...]}}, answered by {@code {"data":
 * [{"index": i, "embedding": [...]}, ...]}}): OpenAI itself, vLLM, Ollama, LocalAI and the like.
 *
 * <p>Texts go out in requests of {@link OpenAiEmbedderOptions#batchSize()}; each reply is put back
 * in input order by {@code index}, every vector is checked to have {@link
 * OpenAiEmbedderOptions#dimension()} finite entries and is then L2-normalised (servers do not all
 * normalise). HTTP 429 and 5xx replies and I/O failures (refused connections, timeouts) are retried
 * up to {@link OpenAiEmbedderOptions#maxAttempts()} attempts in all, waiting as the server asks
 * ({@code retry-after-ms}, then {@code Retry-After} in seconds or as an HTTP date) or else with
 * exponential backoff and jitter (see {@link OpenAiEmbedderOptions#initialBackoff()}); other
 * statuses, malformed JSON and wrong shapes fail at once with an {@link EnrichmentException} naming
 * the endpoint and what was expected and got. Some servers reject empty input strings with HTTP
 * 400; that error is reported as such.
 *
 * <p>The API key is read once, at construction, from the environment variable named by {@link
 * OpenAiEmbedderOptions#apiKeyEnv()} and sent as a bearer token; it is never logged and appears in
 * no {@code toString}. Instances hold no mutable state and are thread-safe.
 */
public final class OpenAiEmbedder implements TextEmbedder {

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiEmbedder.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SNIPPET_CHARS = 300;

    private final OpenAiEmbedderOptions options;
    private final HttpClient http;
    private final String apiKey;
    private final Sleeper sleeper;
    private final DoubleSupplier jitter;
    private final Clock clock;
    private final URI endpoint;

    /**
     * Creates an embedder with its own HTTP client, the process environment, real sleeps, random
     * jitter and the system clock.
     *
     * @param options the settings; not null
     * @return the embedder
     */
    public static OpenAiEmbedder create(OpenAiEmbedderOptions options) {
        Objects.requireNonNull(options, "options");
        HttpClient http =
                HttpClient.newBuilder()
                        .connectTimeout(options.connectTimeout())
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
        return new OpenAiEmbedder(
                options,
                http,
                System::getenv,
                Sleeper.system(),
                () -> ThreadLocalRandom.current().nextDouble(),
                Clock.systemUTC());
    }

    /**
     * Creates an embedder from its collaborators.
     *
     * @param options the settings; not null
     * @param http the HTTP client (its connect timeout should match the options); not null
     * @param environment looks up environment variables, e.g. {@code System::getenv}; not null
     * @param sleeper waits between attempts; not null
     * @param jitter supplies numbers in {@code [0, 1)} that spread the backoff; not null
     * @param clock the time against which an HTTP-date {@code Retry-After} is measured; not null
     */
    public OpenAiEmbedder(
            OpenAiEmbedderOptions options,
            HttpClient http,
            Function<String, String> environment,
            Sleeper sleeper,
            DoubleSupplier jitter,
            Clock clock) {
        this.options = Objects.requireNonNull(options, "options");
        this.http = Objects.requireNonNull(http, "http");
        Objects.requireNonNull(environment, "environment");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.endpoint = options.endpoint();
        String key = environment.apply(options.apiKeyEnv());
        this.apiKey = key == null || key.isBlank() ? null : key.strip();
        if (apiKey == null) {
            LOG.info(
                    "{} is not set: requests to {} carry no Authorization header",
                    options.apiKeyEnv(),
                    endpoint);
        }
    }

    /**
     * Embeds texts, one unit-norm vector of {@link #dim()} floats per text, in input order.
     *
     * @param texts the texts; not null, no null entries
     * @return a new list of new arrays; empty for no texts (no request is sent)
     * @throws IllegalArgumentException naming the index of a null text
     * @throws EnrichmentException when a request fails after its retries or a reply is malformed
     */
    @Override
    public List<float[]> embed(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new IllegalArgumentException("texts[" + i + "] is null");
            }
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += options.batchSize()) {
            int to = Math.min(texts.size(), from + options.batchSize());
            out.addAll(embedBatch(texts.subList(from, to), from));
        }
        return out;
    }

    @Override
    public int dim() {
        return options.dimension();
    }

    @Override
    public String name() {
        return options.encoderName();
    }

    /**
     * Returns the settings.
     *
     * @return the options
     */
    public OpenAiEmbedderOptions options() {
        return options;
    }

    @Override
    public String toString() {
        return "OpenAiEmbedder["
                + options
                + ", apiKey="
                + (apiKey == null ? "absent" : "present")
                + "]";
    }

    private List<float[]> embedBatch(List<String> batch, int offset) {
        byte[] body = requestBody(batch);
        HttpRequest request = request(body);
        String range = "texts " + offset + ".." + (offset + batch.size() - 1);
        String lastFailure = null;
        IOException lastIo = null;
        for (int attempt = 1; ; attempt++) {
            Optional<Duration> serverDelay = Optional.empty();
            try {
                HttpResponse<String> response =
                        http.send(
                                request,
                                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (status / 100 == 2) {
                    return parse(response.body(), batch.size(), offset);
                }
                String failure = "HTTP " + status + ": " + snippet(response.body());
                if (status != 429 && status / 100 != 5) {
                    throw new EnrichmentException(
                            "POST " + endpoint + " for " + range + " failed with " + failure);
                }
                lastFailure = failure;
                lastIo = null;
                serverDelay = retryAfter(response);
            } catch (IOException e) {
                lastFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
                lastIo = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EnrichmentException("interrupted while calling " + endpoint, e);
            }
            if (attempt >= options.maxAttempts()) {
                throw new EnrichmentException(
                        "POST "
                                + endpoint
                                + " for "
                                + range
                                + " failed after "
                                + attempt
                                + " attempts, last with "
                                + lastFailure,
                        lastIo);
            }
            if (serverDelay.isPresent()
                    && serverDelay.get().compareTo(options.maxRetryAfter()) > 0) {
                throw new EnrichmentException(
                        "POST "
                                + endpoint
                                + " for "
                                + range
                                + " failed with "
                                + lastFailure
                                + " and asked to retry after "
                                + serverDelay.get()
                                + ", longer than maxRetryAfter "
                                + options.maxRetryAfter());
            }
            Duration delay = serverDelay.isPresent() ? serverDelay.get() : backoff(attempt);
            LOG.warn(
                    "POST {} for {} failed with {} (attempt {} of {}); retrying in {} ms",
                    endpoint,
                    range,
                    lastFailure,
                    attempt,
                    options.maxAttempts(),
                    delay.toMillis());
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EnrichmentException("interrupted while waiting to retry " + endpoint, e);
            }
        }
    }

    /** Retry {@code k} waits {@code min(max, initial * 2^(k-1))} times a factor in [0.5, 1). */
    Duration backoff(int failedAttempts) {
        long initial = options.initialBackoff().toNanos();
        long cap = options.maxBackoff().toNanos();
        int shift = Math.min(failedAttempts - 1, 40);
        long base = initial > (cap >> shift) ? cap : Math.min(cap, initial << shift);
        double factor = 0.5 + 0.5 * Math.min(Math.max(jitter.getAsDouble(), 0.0), 1.0);
        return Duration.ofNanos((long) (base * factor));
    }

    private Optional<Duration> retryAfter(HttpResponse<?> response) {
        Optional<String> millis = response.headers().firstValue("retry-after-ms");
        if (millis.isPresent()) {
            try {
                double ms = Double.parseDouble(millis.get().strip());
                if (ms >= 0 && Double.isFinite(ms)) {
                    return Optional.of(Duration.ofNanos((long) (ms * 1e6)));
                }
            } catch (NumberFormatException e) {
                LOG.debug("ignoring malformed retry-after-ms '{}'", millis.get());
            }
        }
        Optional<String> header = response.headers().firstValue("retry-after");
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().strip();
        try {
            long seconds = Long.parseLong(value);
            return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at =
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant();
                Duration wait = Duration.between(clock.instant(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notDate) {
                LOG.debug("ignoring malformed Retry-After '{}'", value);
                return Optional.empty();
            }
        }
    }

    private HttpRequest request(byte[] body) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(endpoint)
                        .timeout(options.requestTimeout())
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return b.build();
    }

    private byte[] requestBody(List<String> batch) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", options.model());
        ArrayNode input = root.putArray("input");
        batch.forEach(input::add);
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new EnrichmentException("cannot serialise the embeddings request", e);
        }
    }

    private List<float[]> parse(String body, int n, int offset) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new EnrichmentException(
                    "malformed JSON from "
                            + endpoint
                            + ": "
                            + e.getOriginalMessage()
                            + "; body starts with "
                            + snippet(body),
                    e);
        }
        JsonNode data = root == null ? null : root.get("data");
        if (data == null || !data.isArray()) {
            throw new EnrichmentException(
                    "reply from " + endpoint + " has no \"data\" array: " + snippet(body));
        }
        if (data.size() != n) {
            throw new EnrichmentException(
                    "reply from "
                            + endpoint
                            + " has "
                            + data.size()
                            + " embeddings, expected "
                            + n);
        }
        float[][] out = new float[n][];
        for (JsonNode item : data) {
            JsonNode indexNode = item.get("index");
            if (indexNode == null || !indexNode.canConvertToInt()) {
                throw new EnrichmentException(
                        "reply from " + endpoint + " has an embedding without an integer index");
            }
            int index = indexNode.asInt();
            if (index < 0 || index >= n || out[index] != null) {
                throw new EnrichmentException(
                        "reply from "
                                + endpoint
                                + " has an out of range or repeated index "
                                + index
                                + " (expected each of 0.."
                                + (n - 1)
                                + " once)");
            }
            out[index] = vector(item.get("embedding"), offset + index);
        }
        return Arrays.asList(out);
    }

    private float[] vector(JsonNode embedding, int text) {
        String what = "embedding of text " + text + " from " + endpoint;
        if (embedding == null || !embedding.isArray()) {
            throw new EnrichmentException(what + " is not an array of numbers");
        }
        if (embedding.size() != options.dimension()) {
            throw new EnrichmentException(
                    what
                            + " has the wrong dimension: expected "
                            + options.dimension()
                            + ", got "
                            + embedding.size());
        }
        float[] v = new float[embedding.size()];
        for (int d = 0; d < v.length; d++) {
            JsonNode x = embedding.get(d);
            if (!x.isNumber()) {
                throw new EnrichmentException(what + " has a non-number at position " + d);
            }
            v[d] = (float) x.asDouble();
        }
        return Vectors.normalizeInPlace(v, what);
    }

    private static String snippet(String body) {
        if (body == null) {
            return "";
        }
        String clean = body.replaceAll("\\p{Cntrl}", " ").strip();
        return clean.length() <= SNIPPET_CHARS ? clean : clean.substring(0, SNIPPET_CHARS) + "...";
    }
}
