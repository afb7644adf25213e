package io.hyperrec.enrichment.service;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The enrichment service's Prometheus metrics, in its own registry (so tests and several servers in
 * one JVM do not collide), exposed by {@code GET /metrics} in the Prometheus text format.
 *
 * <p>Request count and latency are recorded per route template; the enricher's figures are read
 * from its {@link EnricherStats} when scraped, so they cost nothing on the hot path:
 *
 * <pre>
 * hyperrec_http_requests_total{route,method,status}     requests
 * hyperrec_http_request_duration_seconds{route,method}  request latency histogram
 * hyperrec_enrichment_items_total                       items enriched (answered with an enrichment)
 * hyperrec_enrichment_failures_total                    items answered with an error
 * hyperrec_enrichment_fallbacks_total                   enriched items tagged offline after an LLM failure
 * hyperrec_enrichment_embedder_calls_total              text embedder calls (one per batch)
 * hyperrec_enrichment_duration_seconds                  per-item latency histogram, failures included
 * </pre>
 *
 * Thread-safe.
 */
final class EnrichmentMetrics {
    private static final double[] REQUEST_BOUNDS = {
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120
    };

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests;
    private final Histogram latency;

    EnrichmentMetrics(EnricherStats stats) {
        Objects.requireNonNull(stats, "stats");
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
                        .classicUpperBounds(REQUEST_BOUNDS)
                        .register(registry);
        CounterWithCallback.builder()
                .name("hyperrec_enrichment_items")
                .help("Items enriched: answered with a tagging and an embedding")
                .callback(cb -> cb.call(stats.enriched()))
                .register(registry);
        CounterWithCallback.builder()
                .name("hyperrec_enrichment_failures")
                .help("Items answered with an error (tagging, offline included, or embedding)")
                .callback(cb -> cb.call(stats.failures()))
                .register(registry);
        CounterWithCallback.builder()
                .name("hyperrec_enrichment_fallbacks")
                .help(
                        "Items enriched with an offline tagging after the primary (LLM) tagger failed")
                .callback(cb -> cb.call(stats.fallbacks()))
                .register(registry);
        CounterWithCallback.builder()
                .name("hyperrec_enrichment_embedder_calls")
                .help("Text embedder calls: one per batch, more when a batch call failed")
                .callback(cb -> cb.call(stats.embedderCalls()))
                .register(registry);
        registry.register(latencyCollector(stats));
    }

    /** The enricher's per-item latency histogram, read from its stats at scrape time. */
    private static Collector latencyCollector(EnricherStats stats) {
        double[] finite = EnricherStats.latencyBoundsSeconds();
        double[] withInf = Arrays.copyOf(finite, finite.length + 1);
        withInf[finite.length] = Double.POSITIVE_INFINITY;
        return new Collector() {
            @Override
            public MetricSnapshot collect() {
                return HistogramSnapshot.builder()
                        .name("hyperrec_enrichment_duration_seconds")
                        .help(
                                "Per-item enrichment latency: from the call's start until the"
                                        + " item's tagging and embedding were both done")
                        .dataPoint(
                                HistogramDataPointSnapshot.builder()
                                        .classicHistogramBuckets(
                                                ClassicHistogramBuckets.of(
                                                        withInf, stats.latencyBucketCounts()))
                                        .sum(stats.latencySumSeconds())
                                        .build())
                        .build();
            }

            @Override
            public String getPrometheusName() {
                return "hyperrec_enrichment_duration_seconds";
            }
        };
    }

    /**
     * Records one request.
     *
     * @param route the route template
     * @param method the HTTP method
     * @param status the response status
     * @param nanos the time it took
     */
    void observeRequest(String route, String method, int status, long nanos) {
        requests.labelValues(route, method, Integer.toString(status)).inc();
        latency.labelValues(route, method).observe(nanos / 1e9);
    }

    /** The content type of {@link #scrape}. */
    String contentType() {
        return writer.getContentType();
    }

    /** All metrics in the Prometheus text format. */
    byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the metrics", e);
        }
        return out.toByteArray();
    }
}
