package io.hyperrec.enrichment.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An in-JVM OpenAI chat-completions server (Javalin on Jetty) scripted per request: each request
 * takes the next {@link Behaviour} from the script, or {@link #otherwise} when it is empty. It
 * records every request (body and headers) and the largest number of requests in flight at once.
 */
final class FakeOpenAiServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger IDS = new AtomicInteger();

    /** How the server answers one request. */
    @FunctionalInterface
    interface Behaviour {
        void respond(Context ctx, Request request) throws Exception;
    }

    /** A request as received. */
    record Request(JsonNode body, Map<String, String> headers) {
        /** A header by case-insensitive name, or null. */
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The messages' contents, in order. */
        List<String> contents() {
            List<String> out = new ArrayList<>();
            body.path("messages").forEach(m -> out.add(m.path("content").asText()));
            return out;
        }

        /** The messages' roles, in order. */
        List<String> roles() {
            List<String> out = new ArrayList<>();
            body.path("messages").forEach(m -> out.add(m.path("role").asText()));
            return out;
        }

        /** The content of the first user message. */
        String firstUserMessage() {
            for (JsonNode m : body.path("messages")) {
                if ("user".equals(m.path("role").asText())) {
                    return m.path("content").asText();
                }
            }
            throw new AssertionError("no user message in " + body);
        }
    }

    private final Javalin app;
    private final Queue<Behaviour> script = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile Behaviour otherwise;

    FakeOpenAiServer() {
        app =
                Javalin.create(
                                config -> {
                                    config.startup.showJavalinBanner = false;
                                    config.routes.post("/v1/chat/completions", this::handle);
                                })
                        .start("127.0.0.1", 0);
        warmUp();
        reset();
    }

    /**
     * One request through the JDK client with a generous timeout, so that class loading and JIT on
     * both sides do not count against the short timeouts of the first test.
     */
    private void warmUp() {
        enqueue(reply("{}"));
        try {
            HttpResponse<String> response =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(baseUrl() + "/chat/completions"))
                                            .timeout(Duration.ofSeconds(30))
                                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("warm-up answered " + response.statusCode());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The API root to configure a client with. */
    String baseUrl() {
        return "http://127.0.0.1:" + app.port() + "/v1";
    }

    /** Answers the next requests with these behaviours, in order. */
    FakeOpenAiServer enqueue(Behaviour... behaviours) {
        script.addAll(List.of(behaviours));
        return this;
    }

    /** Answers requests with {@code behaviour} once the script is used up. */
    FakeOpenAiServer otherwise(Behaviour behaviour) {
        this.otherwise = behaviour;
        return this;
    }

    /**
     * Forgets the script, the requests and the in-flight high mark; unscripted requests get 500.
     */
    void reset() {
        script.clear();
        requests.clear();
        maxInFlight.set(0);
        otherwise = status(500, "{\"error\":{\"message\":\"unscripted\"}}");
    }

    /** Every request so far, in arrival order. */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The largest number of requests in flight at once so far. */
    int maxInFlight() {
        return maxInFlight.get();
    }

    private void handle(Context ctx) throws Exception {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            Map<String, String> headers = new TreeMap<>();
            ctx.headerMap().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            Request request = new Request(JSON.readTree(ctx.body()), headers);
            requests.add(request);
            Behaviour next = script.poll();
            (next != null ? next : otherwise).respond(ctx, request);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Replies 200 with {@code content} as the assistant's message. */
    static Behaviour reply(String content) {
        return reply(r -> content);
    }

    /** Replies 200 with the content computed from the request (a model that reads its prompt). */
    static Behaviour reply(Function<Request, String> content) {
        return (ctx, r) -> completion(ctx, r, content.apply(r), "stop");
    }

    /** Replies 200 with {@code content} and the given {@code finish_reason}. */
    static Behaviour reply(String content, String finishReason) {
        return (ctx, r) -> completion(ctx, r, content, finishReason);
    }

    /** Replies with a status, a JSON or text body and header name/value pairs. */
    static Behaviour status(int status, String body, String... headerPairs) {
        return (ctx, r) -> {
            for (int i = 0; i + 1 < headerPairs.length; i += 2) {
                ctx.header(headerPairs[i], headerPairs[i + 1]);
            }
            ctx.status(status).contentType("application/json").result(body);
        };
    }

    /** Replies 200 with a raw body, e.g. a truncated completion. */
    static Behaviour raw(String body) {
        return status(200, body);
    }

    /**
     * Does not answer until the server closes: the client's timeout must end the request. A hung
     * request no longer counts as in flight, so that it does not skew later tests' high mark.
     */
    Behaviour hang() {
        return (ctx, r) -> {
            inFlight.decrementAndGet();
            try {
                released.await(10, TimeUnit.SECONDS);
            } finally {
                inFlight.incrementAndGet();
            }
            ctx.status(500).result("released");
        };
    }

    /**
     * Holds each request until {@code parties} requests are in flight together (or a second has
     * passed), then for {@code serviceMillis} of simulated service time, then answers with {@code
     * then}: a client without a concurrency limit would show more than {@code parties} in flight.
     */
    static Behaviour rendezvous(CountDownLatch parties, long serviceMillis, Behaviour then) {
        return (ctx, r) -> {
            parties.countDown();
            parties.await(1, TimeUnit.SECONDS);
            Thread.sleep(serviceMillis);
            then.respond(ctx, r);
        };
    }

    private static void completion(Context ctx, Request r, String content, String finishReason)
            throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-" + IDS.incrementAndGet());
        root.put("object", "chat.completion");
        root.put("created", 1_700_000_000L);
        root.put("model", r.body().path("model").asText());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", content);
        choice.put("finish_reason", finishReason);
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", 100);
        usage.put("completion_tokens", content.length() / 4);
        usage.put("total_tokens", 100 + content.length() / 4);
        ctx.status(200).contentType("application/json").result(JSON.writeValueAsString(root));
    }

    @Override
    public void close() {
        released.countDown();
        app.stop();
    }
}
