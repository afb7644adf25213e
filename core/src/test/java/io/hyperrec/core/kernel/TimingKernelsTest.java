package io.hyperrec.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TimingKernelsTest {

    /** Kernels that return at once and finish their work in {@link #synchronize}, as a GPU does. */
    private static final class AsyncKernels extends ReferenceKernels {
        int synchronizations;

        @Override
        public void synchronize() {
            synchronizations++;
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void chargesWorkStillRunningOnTheDeviceToTheOperationThatQueuedIt() {
        AsyncKernels inner = new AsyncKernels();
        TimingKernels timing = new TimingKernels(inner);
        Mat m = timing.allocate(3, 2);
        timing.fill(m, 1f);
        long[] fill = timing.totals().get("copy/fill/add");
        assertThat(fill[1]).isEqualTo(1);
        assertThat(fill[0]).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
        assertThat(inner.synchronizations).isEqualTo(1);
    }

    @Test
    void synchronizeReachesTheWrappedKernels() {
        AsyncKernels inner = new AsyncKernels();
        new TimingKernels(inner).synchronize();
        assertThat(inner.synchronizations).isEqualTo(1);
    }
}
