package io.hyperrec.enrichment.service;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Counters of one {@link Enricher} since it was created, and a latency histogram of its items.
 * Thread-safe; each value is read on its own, so a set of reads is not an atomic snapshot.
 *
 * <p>An item's latency runs from the start of the {@link Enricher#enrich} or {@link
 * Enricher#enrichAll} call that carried it until both its tagging and its embedding were done (so
 * it includes the wait for a free tagging thread); failed items are observed too.
 */
public final class EnricherStats {
    /**
     * The latency histogram's bucket upper bounds, in seconds; a last bucket, +Inf, follows. Wide,
     * as an LLM call takes seconds while the offline path takes milliseconds.
     */
    private static final double[] LATENCY_BOUNDS_SECONDS = {
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120
    };

    private final AtomicLong items = new AtomicLong();
    private final AtomicLong enriched = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong fallbacks = new AtomicLong();
    private final AtomicLong embedderCalls = new AtomicLong();
    private final AtomicLongArray latencyBuckets =
            new AtomicLongArray(LATENCY_BOUNDS_SECONDS.length + 1);
    private final DoubleAdder latencySumSeconds = new DoubleAdder();

    EnricherStats() {}

    /** Items asked for: {@link #enriched()} plus {@link #failures()} once their calls returned. */
    public long items() {
        return items.get();
    }

    /** Items enriched. */
    public long enriched() {
        return enriched.get();
    }

    /** Items that failed (tagging or embedding), each answered with its error. */
    public long failures() {
        return failures.get();
    }

    /**
     * Enriched items whose tagging is an offline fallback: offline with a {@link
     * io.hyperrec.enrichment.Tagging#fallbackReason()}, i.e. the primary (LLM) tagger failed.
     */
    public long fallbacks() {
        return fallbacks.get();
    }

    /** Calls to the text embedder: one per batch, more only when a batch call failed. */
    public long embedderCalls() {
        return embedderCalls.get();
    }

    /** The latency histogram's bucket upper bounds in seconds, without the final +Inf bucket. */
    public static double[] latencyBoundsSeconds() {
        return LATENCY_BOUNDS_SECONDS.clone();
    }

    /**
     * Items per latency bucket (not cumulative): entry {@code i} counts the latencies in {@code
     * (bound[i-1], bound[i]]}, the last entry those above the last bound.
     */
    public long[] latencyBucketCounts() {
        long[] out = new long[latencyBuckets.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = latencyBuckets.get(i);
        }
        return out;
    }

    /** The sum of all observed latencies, in seconds. */
    public double latencySumSeconds() {
        return latencySumSeconds.sum();
    }

    void itemsAsked(int n) {
        items.addAndGet(n);
    }

    void embedderCall() {
        embedderCalls.incrementAndGet();
    }

    void enriched(boolean fallback, long latencyNanos) {
        enriched.incrementAndGet();
        if (fallback) {
            fallbacks.incrementAndGet();
        }
        observe(latencyNanos);
    }

    void failed(long latencyNanos) {
        failures.incrementAndGet();
        observe(latencyNanos);
    }

    private void observe(long nanos) {
        double seconds = Math.max(0, nanos) / 1e9;
        int i = Arrays.binarySearch(LATENCY_BOUNDS_SECONDS, seconds);
        latencyBuckets.incrementAndGet(i >= 0 ? i : -i - 1);
        latencySumSeconds.add(seconds);
    }

    @Override
    public String toString() {
        return "EnricherStats{items="
                + items
                + ", enriched="
                + enriched
                + ", failures="
                + failures
                + ", fallbacks="
                + fallbacks
                + ", embedderCalls="
                + embedderCalls
                + "}";
    }
}
