package io.hyperrec.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;

/**
 * An in-JVM stand-in for a Confluent Schema Registry that speaks the two REST calls hyperrec uses,
 * with the real request and answer formats: {@code POST /subjects/{subject}/versions} with {@code
 * {"schema": "..."}} → {@code {"id": n}} (sequential ids from 1, one per distinct schema text, as
 * Confluent assigns them), and {@code GET /schemas/ids/{id}} → {@code {"schema": "..."}} or HTTP
 * 404 {@code {"error_code":40403,"message":"Schema not found"}}. Requests without the registry's
 * content type are refused with 415 like the real one does.
 *
 * <p>It records every request, can be told to answer the next request with a given status and body,
 * and can be told to hold answers until released (for timeouts, without sleeping).
 */
public final class FakeSchemaRegistryServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REGISTER = Pattern.compile("/subjects/([^/]+)/versions");
    private static final Pattern BY_ID = Pattern.compile("/schemas/ids/(-?\\d+)");

    /** A request as the server saw it. */
    public record Request(String method, String path, String contentType, String body) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Integer> idsBySchema = new LinkedHashMap<>();
    private final List<String> schemas = new ArrayList<>();
    private final Map<String, List<Integer>> subjects = new LinkedHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int nextStatus = -1;
    private volatile String nextBody;
    private volatile CountDownLatch hold;

    /** Starts a server on a free port of the loopback interface. */
    public FakeSchemaRegistryServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * @return the base URL, e.g. http://127.0.0.1:45678
     */
    public URI url() {
        return URI.create(
                "http://"
                        + server.getAddress().getHostString()
                        + ":"
                        + server.getAddress().getPort());
    }

    /**
     * @return every request so far, in order
     */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /**
     * @return the ids registered under a subject, oldest first
     */
    public synchronized List<Integer> subjectVersions(String subject) {
        return List.copyOf(subjects.getOrDefault(subject, List.of()));
    }

    /** Answers the next request with this status and body instead of handling it. */
    public void failNext(int status, String body) {
        nextBody = body;
        nextStatus = status;
    }

    /** Holds every answer until {@link #release()} is called. */
    public void holdAnswers() {
        hold = new CountDownLatch(1);
    }

    /** Lets held answers go. */
    public void release() {
        CountDownLatch h = hold;
        if (h != null) {
            h.countDown();
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body =
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getRawPath();
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            requests.add(new Request(exchange.getRequestMethod(), path, contentType, body));
            CountDownLatch h = hold;
            if (h != null) {
                h.await(30, TimeUnit.SECONDS);
            }
            int status = nextStatus;
            if (status > 0) {
                nextStatus = -1;
                answer(exchange, status, nextBody);
                return;
            }
            Matcher register = REGISTER.matcher(path);
            Matcher byId = BY_ID.matcher(path);
            if (exchange.getRequestMethod().equals("POST") && register.matches()) {
                if (!RestSchemaRegistry.CONTENT_TYPE.equals(contentType)) {
                    answer(exchange, 415, error(415, "Unsupported Media Type"));
                    return;
                }
                String subject = URLDecoder.decode(register.group(1), StandardCharsets.UTF_8);
                String answer = register(subject, body);
                answer(
                        exchange,
                        answer == null ? 422 : 200,
                        answer == null ? error(42201, "Invalid schema") : answer);
            } else if (exchange.getRequestMethod().equals("GET") && byId.matches()) {
                String schema = schema(Integer.parseInt(byId.group(1)));
                if (schema == null) {
                    answer(exchange, 404, error(40403, "Schema not found"));
                } else {
                    answer(exchange, 200, JSON.writeValueAsString(Map.of("schema", schema)));
                }
            } else {
                answer(exchange, 404, error(404, "HTTP 404 Not Found"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @return the answer body, or null when the schema is not valid Avro
     */
    private synchronized String register(String subject, String body) throws IOException {
        JsonNode request = JSON.readTree(body);
        String text = request.path("schema").asText();
        try {
            text = new Schema.Parser().parse(text).toString(); // as the registry canonicalises it
        } catch (RuntimeException e) {
            return null;
        }
        Integer id = idsBySchema.get(text);
        if (id == null) {
            schemas.add(text);
            id = schemas.size();
            idsBySchema.put(text, id);
        }
        List<Integer> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
        return "{\"id\":" + id + "}";
    }

    private synchronized String schema(int id) {
        return id >= 1 && id <= schemas.size() ? schemas.get(id - 1) : null;
    }

    private static String error(int code, String message) throws IOException {
        return JSON.writeValueAsString(Map.of("error_code", code, "message", message));
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", RestSchemaRegistry.CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
