package io.hyperrec.enrichment.service;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperrec.enrichment.EnrichmentException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enrichment HTTP API (Javalin 7 on Jetty 12, JSON by Jackson) over one {@link Enricher}:
 *
 * <pre>
 * POST /v1/enrich   one item {item, title?, text?, attributes?}  → 200 enrichment
 *                   a batch {items: [item, …]}                   → 200 {results: [enrichment or {item, error}, …]}
 * GET  /health      {status, tagger, textEncoder, dim}
 * GET  /metrics     Prometheus text format (see {@link EnrichmentMetrics})
 * </pre>
 *
 * An enrichment is {@code {"item", "summary", "levels": [[…], […], […]], "edges": [{"parent",
 * "child"}], "tagger", "offline", "fallbackReason", "embedding": […], "textEncoder", "contentHash",
 * "taggingMillis", "embeddingMillis"}}; {@code fallbackReason} is null unless the tagging is an
 * offline fallback. A batch is answered 200 whatever its items' fates, one result per item in
 * request order; a failed item is {@code {"item", "error"}}.
 *
 * <p>Every error is {@code {"error": message}} with a message naming the field (its path in a
 * batch, e.g. {@code items[2].item}), the value and what was expected: 400 for a bad request
 * (invalid JSON, unknown field, missing or invalid item id, a title, text or attribute that is not
 * a string), 413 for a body over {@link EnrichmentServerOptions#maxBodyBytes()} or a batch over
 * {@link EnrichmentServerOptions#maxBatchSize()}, 404 for an unknown route, 503 when the enricher
 * is closed. A single item that cannot be enriched is answered 500 with {@code {"item", "error"}}
 * (the {@link Enricher} has logged it); any other failure is 500, logged here once.
 */
public final class EnrichmentServer implements AutoCloseable {
    /** The longest item id accepted, in chars. */
    public static final int MAX_ITEM_ID_LENGTH = EnrichRequest.MAX_ITEM_ID_LENGTH;

    private static final Logger LOG = LoggerFactory.getLogger(EnrichmentServer.class);
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Enricher enricher;
    private final EnrichmentServerOptions options;
    private final EnrichmentMetrics metrics;
    private final Javalin app;

    private EnrichmentServer(Enricher enricher, EnrichmentServerOptions options) {
        this.enricher = Objects.requireNonNull(enricher, "enricher");
        this.options = Objects.requireNonNull(options, "options");
        this.metrics = new EnrichmentMetrics(enricher.stats());
        this.app =
                Javalin.create(
                        config -> {
                            config.startup.showJavalinBanner = false;
                            config.jsonMapper(new JavalinJackson(JSON, false));
                            config.routes.post("/v1/enrich", timed("/v1/enrich", this::enrich));
                            config.routes.get("/health", timed("/health", this::health));
                            config.routes.get("/metrics", timed("/metrics", this::metrics));
                            config.routes.error(404, this::notFound);
                        });
    }

    /**
     * Starts a server.
     *
     * @param enricher the enricher to serve; not owned: close it after the server
     * @param options host, port and request limits
     * @return the started server; close it
     */
    public static EnrichmentServer start(Enricher enricher, EnrichmentServerOptions options) {
        EnrichmentServer server = new EnrichmentServer(enricher, options);
        server.app.start(options.host(), options.port());
        LOG.info(
                "enrichment API listening on {}:{} ({}, {})",
                options.host(),
                server.port(),
                enricher.taggerName(),
                enricher.textEncoder());
        return server;
    }

    /** The port listened on (the chosen one when the options said 0). */
    public int port() {
        return app.port();
    }

    /** Stops the server; in-flight requests finish first. Does not close the enricher. */
    @Override
    public void close() {
        app.stop();
    }

    // ------------------------------------------------------------------ handlers

    private void enrich(Context ctx) {
        EnrichRequest request = EnrichRequest.parse(JSON, readBody(ctx), options.maxBatchSize());
        List<EnrichmentResult> results;
        try {
            results = enricher.enrichAll(request.items());
        } catch (EnrichmentException e) {
            // Closed or interrupted: the enricher is going away, so is this server.
            throw new ApiException(503, e.getMessage());
        }
        if (request.batch()) {
            List<Object> out = new ArrayList<>(results.size());
            for (EnrichmentResult r : results) {
                out.add(r.isSuccess() ? WireEnrichment.of(r.enrichment()) : error(r));
            }
            ctx.json(Map.of("results", out));
            return;
        }
        EnrichmentResult r = results.get(0);
        if (r.isSuccess()) {
            ctx.json(WireEnrichment.of(r.enrichment()));
        } else {
            ctx.status(500).json(error(r));
        }
    }

    private static Map<String, Object> error(EnrichmentResult r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("item", r.item());
        out.put("error", r.error().getMessage());
        return out;
    }

    /** Reads at most maxBodyBytes; a declared or actual larger body is a 413. */
    private byte[] readBody(Context ctx) {
        int max = options.maxBodyBytes();
        String tooLarge = "request body is larger than maxBodyBytes = " + max + " bytes";
        if (ctx.req().getContentLengthLong() > max) {
            throw ApiException.tooLarge(tooLarge);
        }
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = in.readNBytes(max + 1);
        } catch (IOException e) {
            throw ApiException.badRequest("request body could not be read: " + e.getMessage());
        }
        if (body.length > max) {
            throw ApiException.tooLarge(tooLarge);
        }
        return body;
    }

    private void health(Context ctx) {
        boolean up = !enricher.isClosed();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", up ? "up" : "down");
        out.put("tagger", enricher.taggerName());
        out.put("textEncoder", enricher.textEncoder());
        out.put("dim", enricher.dim());
        ctx.status(up ? 200 : 503).json(out);
    }

    private void metrics(Context ctx) {
        ctx.contentType(metrics.contentType()).result(metrics.scrape());
    }

    /** Turns Javalin's plain-text 404 for an unknown route into a JSON error. */
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
                                    + "; see POST /v1/enrich, GET /health, GET /metrics"));
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
}
