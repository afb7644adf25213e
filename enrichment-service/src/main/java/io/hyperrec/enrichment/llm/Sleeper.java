package io.hyperrec.enrichment.llm;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waits between retries; injected so that tests record the waits instead of sleeping them.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface Sleeper {
    /** Sleeps on the calling thread with {@link TimeUnit#sleep}. */
    Sleeper SYSTEM = d -> TimeUnit.NANOSECONDS.sleep(d.toNanos());

    /**
     * Waits for {@code duration} (always positive).
     *
     * @throws InterruptedException when the calling thread is interrupted while waiting
     */
    void sleep(Duration duration) throws InterruptedException;
}
