package io.hyperrec.enrichment.llm;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one {@link ChatClient} and the taggers using it, since it was created. Thread-safe;
 * each value is read on its own, so a set of reads is not an atomic snapshot.
 */
public final class LlmStats {
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong invalidReplies = new AtomicLong();
    private final AtomicLong cacheHits = new AtomicLong();
    private final AtomicLong cacheMisses = new AtomicLong();

    LlmStats() {}

    /** HTTP requests sent. */
    public long requests() {
        return requests.get();
    }

    /** Attempts after the first of a call, whatever the cause. */
    public long retries() {
        return retries.get();
    }

    /** Calls that gave up: attempts exhausted or a failure not worth retrying. */
    public long failures() {
        return failures.get();
    }

    /** Replies that arrived but failed parsing or validation. */
    public long invalidReplies() {
        return invalidReplies.get();
    }

    /** Replies served from the reply cache, without a request. */
    public long cacheHits() {
        return cacheHits.get();
    }

    /** Cache lookups that found no usable reply. */
    public long cacheMisses() {
        return cacheMisses.get();
    }

    void request() {
        requests.incrementAndGet();
    }

    void retry() {
        retries.incrementAndGet();
    }

    void failure() {
        failures.incrementAndGet();
    }

    void invalidReply() {
        invalidReplies.incrementAndGet();
    }

    void cacheHit() {
        cacheHits.incrementAndGet();
    }

    void cacheMiss() {
        cacheMisses.incrementAndGet();
    }

    @Override
    public String toString() {
        return "LlmStats{requests="
                + requests
                + ", retries="
                + retries
                + ", failures="
                + failures
                + ", invalidReplies="
                + invalidReplies
                + ", cacheHits="
                + cacheHits
                + ", cacheMisses="
                + cacheMisses
                + "}";
    }
}
