package io.hyperrec.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A client of the Confluent Schema Registry REST API, with the JDK's {@link HttpClient} because
 * Confluent's client jars are not on Maven Central. It uses two calls:
 *
 * <ul>
 *   <li>{@code POST /subjects/{subject}/versions} with {@code {"schema": "<schema JSON>"}} → {@code
 *       {"id": n}}: registers (or finds) a writer schema;
 *   <li>{@code GET /schemas/ids/{id}} → {@code {"schema": "<schema JSON>"}}: a reader's writer
 *       schema.
 * </ul>
 *
 * Requests carry {@code Content-Type: application/vnd.schemaregistry.v1+json}; errors come back as
 * {@code {"error_code": 40403, "message": "Schema not found"}} with an HTTP status and become a
 * {@link SchemaRegistryException} naming the request URL, the subject or id, the status and the
 * registry's code and message.
 *
 * <p>Both answers are cached for the life of the client (ids are immutable), so a stream of records
 * costs one request per distinct schema. Every request has a timeout, and so has connecting. No
 * retries: callers inside Flink fail and restart from a checkpoint, which is the retry.
 *
 * <p>Thread-safe. Authentication is not supported yet.
 */
public final class RestSchemaRegistry implements SchemaRegistry {
    /** The content type of the registry's v1 API. */
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final String ACCEPT =
            CONTENT_TYPE
                    + ", application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY_SHOWN = 300;

    private final String baseUrl;
    private final HttpClient client;
    private final Duration requestTimeout;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, String schema) {}

    /**
     * @param baseUrl the registry's base URL, e.g. {@code http://registry:8081} (a path prefix is
     *     kept)
     * @param connectTimeout how long connecting may take
     * @param requestTimeout how long each request may take, from sending to the complete answer
     */
    public RestSchemaRegistry(URI baseUrl, Duration connectTimeout, Duration requestTimeout) {
        this(
                baseUrl,
                HttpClient.newBuilder()
                        .connectTimeout(positive(connectTimeout, "connect timeout"))
                        .build(),
                requestTimeout);
    }

    /**
     * @param baseUrl the registry's base URL
     * @param client the HTTP client to use (it carries the connect timeout, proxy and TLS setup)
     * @param requestTimeout how long each request may take
     */
    public RestSchemaRegistry(URI baseUrl, HttpClient client, Duration requestTimeout) {
        if (baseUrl == null
                || baseUrl.getHost() == null
                || !("http".equals(baseUrl.getScheme()) || "https".equals(baseUrl.getScheme()))) {
            throw new IllegalArgumentException(
                    "schema registry URL must be an http(s) URL with a host, got " + baseUrl);
        }
        String url = baseUrl.toString();
        this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.client = client;
        this.requestTimeout = positive(requestTimeout, "request timeout");
    }

    /**
     * @return the base URL requests go to, without a trailing slash
     */
    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public int register(String subject, Schema schema) {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("subject must not be blank, got '" + subject + "'");
        }
        String text = schema.toString();
        SubjectSchema key = new SubjectSchema(subject, text);
        Integer cached = ids.get(key);
        if (cached != null) {
            return cached;
        }
        URI uri = URI.create(baseUrl + "/subjects/" + pathSegment(subject) + "/versions");
        String what = "registering " + schema.getFullName() + " under subject " + subject;
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("schema", text));
        } catch (IOException e) {
            throw new SchemaException("cannot write the registration request for " + what, e);
        }
        HttpRequest request =
                request(uri)
                        .header("Content-Type", CONTENT_TYPE)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        JsonNode answer = send(request, what);
        JsonNode id = answer.get("id");
        if (id == null || !id.canConvertToInt()) {
            throw new SchemaRegistryException(
                    "schema registry POST "
                            + uri
                            + " answered without an integer \"id\" while "
                            + what
                            + ": "
                            + shorten(answer.toString()),
                    200,
                    -1,
                    null);
        }
        int value = id.intValue();
        ids.putIfAbsent(key, value);
        schemasById.putIfAbsent(value, schema);
        return value;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        URI uri = URI.create(baseUrl + "/schemas/ids/" + id);
        String what = "looking up schema id " + id;
        JsonNode answer = send(request(uri).GET().build(), what);
        JsonNode type = answer.get("schemaType");
        if (type != null && !type.isNull() && !"AVRO".equals(type.asText())) {
            throw new SchemaRegistryException(
                    "schema registry GET "
                            + uri
                            + ": schema id "
                            + id
                            + " is a "
                            + type.asText()
                            + " schema, expected AVRO",
                    200,
                    -1,
                    null);
        }
        JsonNode text = answer.get("schema");
        if (text == null || !text.isTextual()) {
            throw new SchemaRegistryException(
                    "schema registry GET "
                            + uri
                            + " answered without a \"schema\" string while "
                            + what
                            + ": "
                            + shorten(answer.toString()),
                    200,
                    -1,
                    null);
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(
                    "schema registry GET "
                            + uri
                            + " returned a schema for id "
                            + id
                            + " that Avro cannot parse: "
                            + e.getMessage(),
                    200,
                    -1,
                    e);
        }
        Schema previous = schemasById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Accept", ACCEPT);
    }

    private JsonNode send(HttpRequest request, String what) {
        String call = "schema registry " + request.method() + " " + request.uri();
        HttpResponse<String> response;
        try {
            response =
                    client.send(
                            request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new SchemaRegistryException(
                    call + " timed out (" + e.getMessage() + ") while " + what, -1, -1, e);
        } catch (IOException e) {
            throw new SchemaRegistryException(call + " failed while " + what + ": " + e, -1, -1, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(call + " was interrupted while " + what, -1, -1, e);
        }
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body();
        if (status / 100 != 2) {
            int code = -1;
            String message = null;
            try {
                JsonNode error = JSON.readTree(body);
                if (error != null && error.has("error_code")) {
                    code = error.get("error_code").asInt(-1);
                    message = error.path("message").asText(null);
                }
            } catch (IOException e) {
                // not a Confluent error body (e.g. a proxy's HTML page): shown raw below
            }
            String detail =
                    code >= 0 ? "error_code " + code + ": " + message : "body: " + shorten(body);
            throw new SchemaRegistryException(
                    call + " answered HTTP " + status + " (" + detail + ") while " + what,
                    status,
                    code,
                    null);
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new IOException("not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new SchemaRegistryException(
                    call
                            + " answered HTTP "
                            + status
                            + " with a body that is not a JSON object while "
                            + what
                            + ": "
                            + shorten(body),
                    status,
                    -1,
                    e);
        }
    }

    private static String pathSegment(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String shorten(String s) {
        return s.length() <= MAX_BODY_SHOWN ? s : s.substring(0, MAX_BODY_SHOWN) + "…";
    }

    private static Duration positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }

    @Override
    public String toString() {
        return "RestSchemaRegistry[" + baseUrl + "]";
    }
}
