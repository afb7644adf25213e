package io.hyperrec.enrichment.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperrec.enrichment.EnrichmentException;
import io.hyperrec.enrichment.ItemText;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link EnrichmentClient} over the enrichment service's HTTP API: each {@link #enrich} is one
 * {@code POST <baseUrl>/v1/enrich} sent with the JDK {@link HttpClient}'s {@code sendAsync}, so no
 * thread waits on the network. One client multiplexes any number of concurrent calls over its
 * connection pool; it makes no retries (the caller decides, e.g. Flink's async retry strategy).
 *
 * <p>A call fails with an {@link EnrichmentException} naming the URL and the item: {@link
 * EnrichmentHttpException} with the status and the service's {@code error} message for a non-2xx
 * answer; a timeout naming the timeout when no answer came within it (connecting included); the I/O
 * error otherwise; a reply that is not an enrichment of the item asked for.
 *
 * <p>Thread-safe. Not {@code Serializable}: a Flink job ships an {@link EnrichmentClientFactory}
 * ({@link EnrichmentClientFactory#http}) and creates the client per subtask.
 */
public final class HttpEnrichmentClient implements EnrichmentClient {
    /** The path of the enrich route under the base URL. */
    public static final String ENRICH_PATH = "/v1/enrich";

    /** The longest timeout accepted. */
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(30);

    private static final ObjectMapper JSON =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final int ERROR_BODY_MAX = 200;

    private final URI endpoint;
    private final Duration timeout;
    private final HttpClient http;
    private final Map<CompletableFuture<Enrichment>, String> pending = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private HttpEnrichmentClient(URI baseUrl, Duration timeout) {
        this.endpoint = URI.create(baseUrl + ENRICH_PATH);
        this.timeout = timeout;
        this.http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(timeout)
                        .build();
    }

    /**
     * A client.
     *
     * @param baseUrl the service's root: an absolute http(s) URL with a host, without user info,
     *     query or fragment; a trailing slash is dropped
     * @param timeout the limit on one call, from sending to the answer's headers, connecting
     *     included: positive, at most 30 minutes. Tagging with an LLM takes seconds (and retries):
     *     allow for the service's LLM timeout times its attempts.
     * @throws IllegalArgumentException naming the value, when either is invalid
     */
    public static HttpEnrichmentClient create(String baseUrl, Duration timeout) {
        return new HttpEnrichmentClient(checkBaseUrl(baseUrl), checkTimeout(timeout));
    }

    /** The URL posted to: {@code baseUrl + "/v1/enrich"}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The limit on one call. */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public CompletableFuture<Enrichment> enrich(ItemText item) {
        Objects.requireNonNull(item, "item");
        CompletableFuture<Enrichment> result = new CompletableFuture<>();
        pending.put(result, item.item());
        if (closed) {
            fail(result, item.item());
            return result;
        }
        HttpRequest request =
                HttpRequest.newBuilder(endpoint)
                        .timeout(timeout)
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(requestBody(item)))
                        .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .whenComplete(
                        (response, error) -> {
                            pending.remove(result);
                            try {
                                if (error != null) {
                                    result.completeExceptionally(transportFailure(item, error));
                                } else {
                                    result.complete(answer(item, response));
                                }
                            } catch (EnrichmentException e) {
                                result.completeExceptionally(e);
                            } catch (RuntimeException e) {
                                result.completeExceptionally(
                                        new EnrichmentException(prefix(item) + " failed: " + e, e));
                            }
                        });
        return result;
    }

    /**
     * Fails every call not yet answered; later calls answer failed futures. The JDK 17 {@link
     * HttpClient} has no close: its connections go when it is collected. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        pending.forEach(this::fail);
    }

    @Override
    public String toString() {
        return "HttpEnrichmentClient{endpoint=" + endpoint + ", timeout=" + timeout + "}";
    }

    // ------------------------------------------------------------------ plumbing

    private static byte[] requestBody(ItemText item) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("item", item.item());
        body.put("title", item.title());
        body.put("text", item.text());
        body.put("attributes", item.attributes());
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new EnrichmentException(
                    "cannot write the request for item '" + item.item() + "'", e);
        }
    }

    private Enrichment answer(ItemText item, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        byte[] body = response.body();
        if (status < 200 || status > 299) {
            String serverError = serverError(body);
            throw new EnrichmentHttpException(
                    prefix(item) + " answered " + status + ": " + serverError, status, serverError);
        }
        Enrichment e;
        try {
            e = JSON.readValue(body, WireEnrichment.class).toEnrichment();
        } catch (IOException | RuntimeException ex) {
            throw new EnrichmentException(
                    prefix(item)
                            + " answered "
                            + status
                            + " with a body that is not an enrichment: "
                            + ex.getMessage(),
                    ex);
        }
        if (!e.item().equals(item.item())) {
            throw new EnrichmentException(
                    prefix(item) + " answered the enrichment of another item, '" + e.item() + "'");
        }
        return e;
    }

    private EnrichmentException transportFailure(ItemText item, Throwable error) {
        Throwable cause =
                error instanceof CompletionException && error.getCause() != null
                        ? error.getCause()
                        : error;
        if (cause instanceof HttpTimeoutException) {
            return new EnrichmentException(
                    prefix(item)
                            + " timed out after "
                            + timeout.toMillis()
                            + " ms (timeout "
                            + timeout
                            + ")",
                    cause);
        }
        return new EnrichmentException(prefix(item) + " failed: " + cause, cause);
    }

    /** The {@code error} of a JSON error body, else the body's start. */
    private static String serverError(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.path("error").isTextual()) {
                return node.get("error").asText();
            }
        } catch (IOException e) {
            // Not JSON: the body's start below says what it was.
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return "(empty body)";
        }
        return text.length() > ERROR_BODY_MAX ? text.substring(0, ERROR_BODY_MAX) + "…" : text;
    }

    private String prefix(ItemText item) {
        return "POST " + endpoint + " for item '" + item.item() + "'";
    }

    private void fail(CompletableFuture<Enrichment> f, String item) {
        pending.remove(f);
        f.completeExceptionally(
                new EnrichmentException(
                        "POST "
                                + endpoint
                                + " for item '"
                                + item
                                + "': the enrichment client was closed before it was answered"));
    }

    /** Validates a base URL as {@link #create} describes; returns it without a trailing slash. */
    static URI checkBaseUrl(String baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        URI uri;
        try {
            uri = new URI(baseUrl);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "baseUrl must be a URL, got '" + baseUrl + "': " + e.getReason(), e);
        }
        if (uri.getRawUserInfo() != null) {
            // Not echoed: user info is a credential.
            throw new IllegalArgumentException("baseUrl must not carry user info");
        }
        String scheme = uri.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException(
                    "baseUrl must be an http or https URL, got '" + baseUrl + "'");
        }
        if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(
                    "baseUrl must have a host and no query or fragment, got '" + baseUrl + "'");
        }
        String s = uri.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    /** Validates a timeout as {@link #create} describes. */
    static Duration checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException(
                    "timeout must be positive and at most " + MAX_TIMEOUT + ", got " + timeout);
        }
        return timeout;
    }
}
