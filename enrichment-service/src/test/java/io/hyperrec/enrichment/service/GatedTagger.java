package io.hyperrec.enrichment.service;

import io.hyperrec.enrichment.EnrichmentException;
import io.hyperrec.enrichment.ItemText;
import io.hyperrec.enrichment.Tagger;
import io.hyperrec.enrichment.Tagging;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only tagger that holds every call until the test opens its gate, and measures how many
 * calls were inside at once. {@link #awaitEntered} is the signal that calls have arrived, so tests
 * wait on it rather than sleeping. An interrupted call fails with an {@link EnrichmentException}.
 */
final class GatedTagger implements Tagger {
    private final Semaphore gate = new Semaphore(0);
    private final Semaphore entered = new Semaphore(0);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    @Override
    public Tagging tag(ItemText item) {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        entered.release();
        try {
            gate.acquire();
            return StubOfflineTagger.tagging(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnrichmentException("interrupted while tagging item '" + item.item() + "'");
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Waits (up to 10 s) until {@code n} more calls have entered; true when they did. */
    boolean awaitEntered(int n) throws InterruptedException {
        return entered.tryAcquire(n, 10, TimeUnit.SECONDS);
    }

    /** Lets {@code n} calls through. */
    void open(int n) {
        gate.release(n);
    }

    /** Lets every call through from now on. */
    void openForGood() {
        gate.release(Integer.MAX_VALUE / 2);
    }

    /** The most calls that were inside at once. */
    int maxInFlight() {
        return maxInFlight.get();
    }

    @Override
    public String name() {
        return "offline:gated";
    }
}
