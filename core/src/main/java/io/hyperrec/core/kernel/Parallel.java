package io.hyperrec.core.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Splits index ranges over a dedicated fork-join pool with one worker per core (the common pool has
 * cores − 1 workers, which leaves one of our two cores idle).
 */
public final class Parallel {
    private static final ForkJoinPool POOL =
            new ForkJoinPool(Runtime.getRuntime().availableProcessors());

    /** A body over the half-open range [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        /** Processes indices {@code [from, to)}. */
        void run(int from, int to);
    }

    private Parallel() {}

    /** Number of worker threads. */
    public static int threads() {
        return POOL.getParallelism();
    }

    /**
     * Runs {@code body} over [0, n) in chunks of at least {@code grain} indices, in parallel, and
     * returns when all are done. Runs inline when the range is small.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int g = Math.max(1, grain);
        if (n <= g || POOL.getParallelism() == 1) {
            body.run(0, n);
            return;
        }
        int chunks = Math.min(POOL.getParallelism() * 4, (n + g - 1) / g);
        POOL.invoke(new Split(body, 0, n, Math.max(g, (n + chunks - 1) / chunks)));
    }

    private static final class Split extends RecursiveAction {
        private final RangeBody body;
        private final int from;
        private final int to;
        private final int grain;

        Split(RangeBody body, int from, int to, int grain) {
            this.body = body;
            this.from = from;
            this.to = to;
            this.grain = grain;
        }

        @Override
        protected void compute() {
            if (to - from <= grain) {
                body.run(from, to);
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new Split(body, from, mid, grain), new Split(body, mid, to, grain));
        }
    }
}
