package io.hyperrec.store;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits on a condition (never a fixed sleep), failing with what was awaited. */
public final class Await {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Await() {}

    /** Returns as soon as {@code condition} holds; fails after 20 s naming {@code what}. */
    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + TIMEOUT + " waiting until " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }
}
