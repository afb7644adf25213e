package io.hyperrec.enrichment.embed;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waits between retries; injected so that tests record the delays instead of sleeping.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface Sleeper {

    /**
     * Waits for a duration.
     *
     * @param duration non-negative
     * @throws InterruptedException when the waiting thread is interrupted
     */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * Returns the sleeper that blocks the calling thread.
     *
     * @return a sleeper backed by {@link TimeUnit#sleep}
     */
    static Sleeper system() {
        return d -> TimeUnit.NANOSECONDS.sleep(d.toNanos());
    }
}
