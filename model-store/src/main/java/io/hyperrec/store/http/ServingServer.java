package io.hyperrec.store.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperrec.schemas.avro.InteractionType;
import io.hyperrec.store.ItemMetadata;
import io.hyperrec.store.ModelStore;
import io.hyperrec.store.Recommendations;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.json.JavalinJackson;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model store's HTTP API (Javalin 7 on Jetty 12, JSON by Jackson):
 *
 * <pre>
 * GET  /v1/recommendations/{user}?k=20   top-k for a user: {user, modelVersion, fallback, items: [{item, score}]}
 * GET  /v1/items/{id}                    item metadata: title, summary, tags, introducedIn, …; 404 if unknown
 * POST /v1/interactions                  {user, item, type, weight, eventTime?} → 202, to topic interactions
 * POST /v1/items                         {item, title, text, attributes, eventTime?} → 202, to topic items.new
 * POST /v1/retrains                      start a retrain now → 202 {version, state, …}; 409 if one runs
 * GET  /v1/retrains                      {retrains: [status, …]} oldest first
 * GET  /v1/retrains/{version}            one retrain's status; 404 if unknown
 * GET  /health                           {status, modelVersion, items}
 * GET  /metrics                          Prometheus text format (see {@link ServingMetrics})
 * </pre>
 *
 * Every error is {@code {"error": message}} with a message naming the field, the value and what was
 * expected: 400 for a bad request, 404 for an unknown item, 503 when no model version is served yet
 * or an event cannot be handed to Kafka (and for the retrain routes when the server has no {@link
 * RetrainControl}), 409 when a retrain is asked for while one runs, 500 (logged) for anything else.
 *
 * <p>Posted events are validated and handed to an {@link EventSink}; they reach the store through
 * Kafka and the ingest like every other event, so the API has no second write path.
 */
public final class ServingServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServingServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> INTERACTION_FIELDS =
            List.of("user", "item", "type", "weight", "eventTime");
    private static final List<String> ITEM_FIELDS =
            List.of("item", "title", "text", "attributes", "eventTime");
    private static final List<String> INTERACTION_TYPES =
            Arrays.stream(InteractionType.values()).map(Enum::name).toList();

    private final ModelStore store;
    private final EventSink sink;
    private final ServingMetrics metrics;
    private final ServerOptions options;
    private final RetrainControl retrains;
    private final Javalin app;

    private ServingServer(
            ModelStore store,
            EventSink sink,
            ServingMetrics metrics,
            ServerOptions options,
            RetrainControl retrains) {
        this.retrains = retrains;
        this.store = Objects.requireNonNull(store, "store");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.options = Objects.requireNonNull(options, "options");
        this.app =
                Javalin.create(
                        config -> {
                            config.startup.showJavalinBanner = false;
                            config.jsonMapper(new JavalinJackson(JSON, false));
                            config.routes.get(
                                    "/v1/recommendations/{user}",
                                    timed("/v1/recommendations/{user}", this::recommend));
                            config.routes.get(
                                    "/v1/items/{id}", timed("/v1/items/{id}", this::item));
                            config.routes.post(
                                    "/v1/interactions",
                                    timed("/v1/interactions", this::interaction));
                            config.routes.post("/v1/items", timed("/v1/items", this::newItem));
                            config.routes.post(
                                    "/v1/retrains", timed("/v1/retrains", this::startRetrain));
                            config.routes.get(
                                    "/v1/retrains", timed("/v1/retrains", this::listRetrains));
                            config.routes.get(
                                    "/v1/retrains/{version}",
                                    timed("/v1/retrains/{version}", this::retrainStatus));
                            config.routes.get("/health", timed("/health", this::health));
                            config.routes.get("/metrics", timed("/metrics", this::metrics));
                            config.routes.error(404, this::notFound);
                        });
    }

    /**
     * Starts a server.
     *
     * @param store the store to serve from
     * @param sink where posted events go
     * @param metrics the metrics to record into and expose
     * @param options host, port, k limits
     * @return the started server; close it
     */
    public static ServingServer start(
            ModelStore store, EventSink sink, ServingMetrics metrics, ServerOptions options) {
        return start(store, sink, metrics, options, null);
    }

    /**
     * Starts a server that also takes retrain requests.
     *
     * @param retrains the platform's retrain scheduler, or null for a server without one (its
     *     retrain routes answer 503)
     * @see #start(ModelStore, EventSink, ServingMetrics, ServerOptions)
     */
    public static ServingServer start(
            ModelStore store,
            EventSink sink,
            ServingMetrics metrics,
            ServerOptions options,
            RetrainControl retrains) {
        ServingServer server = new ServingServer(store, sink, metrics, options, retrains);
        server.app.start(options.host(), options.port());
        LOG.info("model store API listening on {}:{}", options.host(), server.port());
        return server;
    }

    /** The port listened on (the chosen one when the options said 0). */
    public int port() {
        return app.port();
    }

    /** Stops the server; in-flight requests finish first. */
    @Override
    public void close() {
        app.stop();
    }

    // ------------------------------------------------------------------ handlers

    private void recommend(Context ctx) {
        String user = JsonBody.checkId("user", ctx.pathParam("user"));
        int k = parseK(ctx.queryParam("k"));
        if (store.currentVersion().isEmpty()) {
            throw new ApiException(
                    503, "no model version is published yet; retry after the first publish");
        }
        Recommendations r = store.recommend(user, k);
        ctx.json(r);
    }

    private int parseK(String raw) {
        if (raw == null) {
            return options.defaultK();
        }
        String expected = "k must be an integer in [1, " + options.maxK() + "], got '" + raw + "'";
        int k;
        try {
            k = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(expected);
        }
        if (k < 1 || k > options.maxK()) {
            throw ApiException.badRequest(expected);
        }
        return k;
    }

    private void item(Context ctx) {
        String id = ctx.pathParam("id");
        ItemMetadata meta =
                store.item(id)
                        .orElseThrow(
                                () ->
                                        new ApiException(
                                                404,
                                                "unknown item '"
                                                        + id
                                                        + "': it has no metadata and no point in"
                                                        + " the served model version "
                                                        + versionText()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("item", meta.item());
        out.put("title", meta.title());
        out.put("summary", meta.summary());
        out.put("tags", meta.tagLevels());
        out.put("introducedIn", meta.introducedIn());
        out.put("inCurrentVersion", meta.inCurrentVersion());
        out.put("hidden", meta.hidden());
        out.put("modelVersion", versionOrNull());
        ctx.json(out);
    }

    private void interaction(Context ctx) {
        JsonBody body = JsonBody.parse(JSON, ctx.body(), INTERACTION_FIELDS);
        InteractionEvent event =
                new InteractionEvent(
                        body.id("user"),
                        body.id("item"),
                        body.symbol("type", INTERACTION_TYPES, InteractionType.OTHER.name()),
                        body.positiveNumber("weight", 1.0f),
                        body.epochMillis("eventTime", options.clock().millis()));
        sink.sendInteraction(event);
        ctx.status(202).json(event);
    }

    private void newItem(Context ctx) {
        JsonBody body = JsonBody.parse(JSON, ctx.body(), ITEM_FIELDS);
        NewItemEvent event =
                new NewItemEvent(
                        body.id("item"),
                        body.text("title"),
                        body.optionalText("text", ""),
                        body.stringMap("attributes"),
                        body.epochMillis("eventTime", options.clock().millis()));
        sink.sendItem(event);
        ctx.status(202).json(event);
    }

    private void startRetrain(Context ctx) {
        try {
            ctx.status(202).json(retrainControl().start("manual"));
        } catch (RetrainControl.Busy e) {
            // The running retrain comes along, so a client can follow it and ask again.
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", e.getMessage());
            body.put("running", e.running());
            ctx.status(409).json(body);
        }
    }

    private void listRetrains(Context ctx) {
        ctx.json(Map.of("retrains", retrainControl().history()));
    }

    private void retrainStatus(Context ctx) {
        String raw = ctx.pathParam("version");
        long version;
        try {
            version = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("version must be a positive integer, got '" + raw + "'");
        }
        if (version < 1) {
            throw ApiException.badRequest("version must be a positive integer, got '" + raw + "'");
        }
        ctx.json(
                retrainControl()
                        .status(version)
                        .orElseThrow(
                                () ->
                                        new ApiException(
                                                404,
                                                "no retrain of version "
                                                        + version
                                                        + " was started by this server; GET"
                                                        + " /v1/retrains lists them")));
    }

    private RetrainControl retrainControl() {
        if (retrains == null) {
            throw new ApiException(
                    503, "this server has no retrain scheduler; retrains are run elsewhere");
        }
        return retrains;
    }

    private void health(Context ctx) {
        Map<String, Object> out = new LinkedHashMap<>();
        boolean up = store.isOpen();
        out.put("status", up ? "up" : "down");
        out.put("modelVersion", versionOrNull());
        out.put("items", up ? store.currentItemCount() : 0);
        ctx.status(up ? 200 : 503).json(out);
    }

    private void metrics(Context ctx) {
        ctx.contentType(metrics.contentType()).result(metrics.scrape());
    }

    /** Turns Javalin's plain-text 404 for an unknown route into a JSON error; ours stay. */
    private void notFound(Context ctx) {
        String type = ctx.res().getContentType();
        if (type == null || !type.startsWith("application/json")) {
            ctx.json(
                    Map.of(
                            "error",
                            "no route for "
                                    + ctx.method()
                                    + " "
                                    + ctx.path()
                                    + "; see /v1/recommendations/{user}, /v1/items/{id},"
                                    + " /v1/interactions, /v1/items, /v1/retrains,"
                                    + " /v1/retrains/{version}, /health, /metrics"));
        }
    }

    // ------------------------------------------------------------------ plumbing

    /** Maps failures to JSON errors and records count and latency under the route template. */
    private Handler timed(String route, Handler handler) {
        return ctx -> {
            long start = System.nanoTime();
            try {
                handler.handle(ctx);
            } catch (ApiException e) {
                ctx.status(e.status()).json(Map.of("error", e.getMessage()));
            } catch (EventSinkException e) {
                ctx.status(503).json(Map.of("error", e.getMessage()));
            } catch (Exception e) {
                // Answered here (500) and logged once, with the request that caused it.
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                ctx.status(500)
                        .json(
                                Map.of(
                                        "error",
                                        "internal error: "
                                                + e.getClass().getSimpleName()
                                                + (e.getMessage() == null
                                                        ? ""
                                                        : ": " + e.getMessage())));
            } finally {
                metrics.observeRequest(
                        route, ctx.method().name(), ctx.statusCode(), System.nanoTime() - start);
            }
        };
    }

    private Long versionOrNull() {
        OptionalLong v = store.currentVersion();
        return v.isPresent() ? v.getAsLong() : null;
    }

    private String versionText() {
        OptionalLong v = store.currentVersion();
        return v.isPresent() ? Long.toString(v.getAsLong()) : "(none yet)";
    }
}
