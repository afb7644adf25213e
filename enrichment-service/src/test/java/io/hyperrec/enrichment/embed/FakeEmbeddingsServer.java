package io.hyperrec.enrichment.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An in-JVM OpenAI-compatible embeddings server on a free local port. Unless a scripted reply is
 * queued, it answers every request correctly, with the embeddings in reverse index order and not
 * normalised; scripted replies are served first, one per request.
 */
final class FakeEmbeddingsServer implements AutoCloseable {

    /** A scripted reply. */
    record Reply(int status, Map<String, String> headers, String body) {}

    /** A received request. */
    record Received(String authorization, JsonNode body) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int dim;
    private final Queue<Reply> scripted = new ConcurrentLinkedQueue<>();
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final Javalin app;

    FakeEmbeddingsServer(int dim) {
        this.dim = dim;
        this.app =
                Javalin.create(
                                cfg ->
                                        cfg.routes.post(
                                                "/v1/embeddings",
                                                ctx -> {
                                                    JsonNode body = JSON.readTree(ctx.body());
                                                    received.add(
                                                            new Received(
                                                                    ctx.header("Authorization"),
                                                                    body));
                                                    Reply r = scripted.poll();
                                                    if (r == null) {
                                                        r = new Reply(200, Map.of(), answer(body));
                                                    }
                                                    r.headers().forEach(ctx::header);
                                                    ctx.status(r.status())
                                                            .contentType("application/json")
                                                            .result(r.body());
                                                }))
                        .start("127.0.0.1", 0);
    }

    /** The base URL to configure, ending in {@code /v1}. */
    String baseUrl() {
        return "http://127.0.0.1:" + app.port() + "/v1";
    }

    void enqueue(int status, Map<String, String> headers, String body) {
        scripted.add(new Reply(status, headers, body));
    }

    List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    void reset() {
        scripted.clear();
        received.clear();
    }

    /** The raw (unnormalised) vector the server returns for a text. */
    static float[] rawVector(String text, int dim) {
        float[] v = new float[dim];
        int h = text.hashCode();
        for (int d = 0; d < dim; d++) {
            v[d] = 1 + Math.floorMod(h + 31 * d, 7) * (d + 1);
        }
        return v;
    }

    private String answer(JsonNode body) {
        JsonNode input = body.get("input");
        ObjectNode root = JSON.createObjectNode();
        root.put("object", "list");
        root.put("model", body.get("model").asText());
        ArrayNode data = root.putArray("data");
        for (int i = input.size() - 1; i >= 0; i--) {
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", i);
            ArrayNode e = item.putArray("embedding");
            for (float x : rawVector(input.get(i).asText(), dim)) {
                e.add(x);
            }
        }
        root.putObject("usage")
                .put("prompt_tokens", input.size())
                .put("total_tokens", input.size());
        return root.toString();
    }

    @Override
    public void close() {
        app.stop();
    }
}
