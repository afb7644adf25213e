package io.hyperrec.store.http;

import io.hyperrec.core.model.EmbeddingUpsert.Kind;
import io.hyperrec.store.ModelStore;
import io.hyperrec.store.StoreStats;
import io.hyperrec.store.ingest.IngestStats;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The serving process's Prometheus metrics, in its own registry (so tests and several servers in
 * one JVM do not collide), exposed by {@code GET /metrics} in the Prometheus text format.
 *
 * <p>Request count and latency are recorded per route template (never the raw path, whose user ids
 * would make unbounded label values). Store and ingest figures are read from their counters when
 * scraped, so they cost nothing on the hot path:
 *
 * <pre>
 * hyperrec_http_requests_total{route,method,status}       requests
 * hyperrec_http_request_duration_seconds{route,method}    latency histogram
 * hyperrec_recommendations_total                          recommendations served
 * hyperrec_recommendation_fallbacks_total                 of which non-personalised
 * hyperrec_updates_applied_total{kind}                    embedding upserts applied
 * hyperrec_updates_dropped_total{kind}                    dropped as not newer
 * hyperrec_model_version                                  the served version (absent before one)
 * hyperrec_freshness_lag_seconds                          now − sourceTime of the last applied upsert
 * hyperrec_ingest_records_total{topic}                    records consumed (rate() = throughput)
 * hyperrec_ingest_rejected_total{topic}                   records rejected as bad input
 * hyperrec_ingest_records_per_second                      throughput over the ingest's window
 * </pre>
 *
 * Thread-safe.
 */
public final class ServingMetrics {
    private static final double[] LATENCY_BOUNDS = {
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5
    };

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests;
    private final Histogram latency;

    /**
     * Metrics for a store.
     *
     * @param store the store whose counters are exposed
     * @param clock the clock of the freshness gauge
     */
    public ServingMetrics(ModelStore store, Clock clock) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(clock, "clock");
        Supplier<StoreStats> stats = store::stats;
        requests =
                Counter.builder()
                        .name("hyperrec_http_requests")
                        .help("HTTP requests by route template, method and status")
                        .labelNames("route", "method", "status")
                        .register(registry);
        latency =
                Histogram.builder()
                        .name("hyperrec_http_request_duration_seconds")
                        .help("HTTP request latency by route template and method")
                        .labelNames("route", "method")
                        .classicOnly()
                        .classicUpperBounds(LATENCY_BOUNDS)
                        .register(registry);
        CounterWithCallback.builder()
                .name("hyperrec_recommendations")
                .help("Recommendation lists served")
                .callback(cb -> cb.call(stats.get().recommendationsServed()))
                .register(registry);
        CounterWithCallback.builder()
                .name("hyperrec_recommendation_fallbacks")
                .help("Recommendation lists served from the popular items (user without a point)")
                .callback(cb -> cb.call(stats.get().fallbacksServed()))
                .register(registry);
        CounterWithCallback.builder()
                .name("hyperrec_updates_applied")
                .help("Embedding upserts applied, by kind")
                .labelNames("kind")
                .callback(
                        cb -> {
                            StoreStats s = stats.get();
                            for (Kind k : Kind.values()) {
                                cb.call(s.updatesApplied().get(k), k.name());
                            }
                        })
                .register(registry);
        CounterWithCallback.builder()
                .name("hyperrec_updates_dropped")
                .help("Embedding upserts dropped as not newer than what was stored, by kind")
                .labelNames("kind")
                .callback(
                        cb -> {
                            StoreStats s = stats.get();
                            for (Kind k : Kind.values()) {
                                cb.call(s.updatesDropped().get(k), k.name());
                            }
                        })
                .register(registry);
        GaugeWithCallback.builder()
                .name("hyperrec_model_version")
                .help("The model version served")
                .callback(cb -> store.currentVersion().ifPresent(v -> cb.call(v)))
                .register(registry);
        GaugeWithCallback.builder()
                .name("hyperrec_freshness_lag_seconds")
                .help("Now minus the source time of the last applied embedding upsert")
                .callback(
                        cb ->
                                stats.get()
                                        .lastAppliedSourceTimeMillis()
                                        .ifPresent(t -> cb.call((clock.millis() - t) / 1000.0)))
                .register(registry);
    }

    /**
     * Exposes an ingest's counters as well. Call at most once.
     *
     * @param ingest the ingest's counters, read at scrape time
     */
    public void bindIngest(Supplier<IngestStats> ingest) {
        Objects.requireNonNull(ingest, "ingest");
        CounterWithCallback.builder()
                .name("hyperrec_ingest_records")
                .help("Records consumed by the model store ingest, by topic")
                .labelNames("topic")
                .callback(cb -> ingest.get().records().forEach((t, n) -> cb.call(n, t)))
                .register(registry);
        CounterWithCallback.builder()
                .name("hyperrec_ingest_rejected")
                .help("Records rejected by the model store ingest as bad input, by topic")
                .labelNames("topic")
                .callback(cb -> ingest.get().rejected().forEach((t, n) -> cb.call(n, t)))
                .register(registry);
        GaugeWithCallback.builder()
                .name("hyperrec_ingest_records_per_second")
                .help("Records consumed per second over the ingest's throughput window")
                .callback(cb -> cb.call(ingest.get().recordsPerSecond()))
                .register(registry);
    }

    /**
     * Records one request.
     *
     * @param route the route template, e.g. {@code /v1/recommendations/{user}}
     * @param method the HTTP method
     * @param status the response status
     * @param nanos the time it took
     */
    public void observeRequest(String route, String method, int status, long nanos) {
        requests.labelValues(route, method, Integer.toString(status)).inc();
        latency.labelValues(route, method).observe(nanos / 1e9);
    }

    /** The content type of {@link #scrape}. */
    public String contentType() {
        return writer.getContentType();
    }

    /**
     * All metrics in the Prometheus text format.
     *
     * @return the exposition bytes
     */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the metrics", e);
        }
        return out.toByteArray();
    }
}
