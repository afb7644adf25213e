package io.hyperrec.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hyperrec.core.data.Interactions;
import io.hyperrec.core.geometry.Lorentz;
import io.hyperrec.core.kernel.Kernels;
import io.hyperrec.core.kernel.Mat;
import io.hyperrec.core.kernel.ReferenceKernels;
import io.hyperrec.core.kernel.Triples;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What the contract suite does not cover, for {@link CudaKernels} on any {@link Gpu}: row blocks of
 * the pairwise products, padding of top-k, bit-for-bit repetition in deterministic mode, refusals.
 * Subclassed for a real device ({@link CudaKernelsGpuTest}) and the CPU emulation ({@link
 * EmulatedCudaKernelsTest}).
 */
abstract class CudaKernelsBehaviourTest {
    static final int D = 50;
    final ReferenceKernels ref = new ReferenceKernels();

    /** Kernels with a working-buffer budget, or a skip where there is no such device. */
    abstract CudaKernels open(boolean deterministic, long workspaceBudget);

    CudaKernels open(boolean deterministic) {
        return open(deterministic, CudaKernels.DEFAULT_WORKSPACE_BUDGET);
    }

    static float[] points(SplittableRandom rnd, int rows, double scale) {
        float[] u = new float[rows * D];
        for (int i = 0; i < rows; i++) {
            for (int j = 1; j < D; j++) {
                u[i * D + j] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
            }
            Lorentz.expmap0(u, i * D, u, i * D, D);
        }
        return u;
    }

    static Mat up(Kernels k, float[] data, int rows) {
        Mat m = k.allocate(rows, D);
        k.upload(data, m);
        return m;
    }

    static float[] down(Kernels k, Mat m) {
        float[] out = new float[m.rows() * m.cols()];
        k.download(m, out);
        return out;
    }

    private static void assertClose(float[] actual, float[] expected, double tol) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(1, Math.abs(expected[i]));
            assertThat((double) actual[i])
                    .as("element %s", i)
                    .isCloseTo(expected[i], within(tol * scale));
        }
    }

    @Test
    void contrastiveLossOverManySmallRowBlocksMatchesTheReference() {
        int n = 1300;
        SplittableRandom rnd = new SplittableRandom(21);
        float[] a = points(rnd, n, 0.6);
        float[] b = points(rnd, n, 0.6);
        // 4·n·96 bytes: blocks of 96 rows, the last one partial.
        try (CudaKernels k = open(false, 4L * n * 96)) {
            Mat kga = k.allocate(n, D);
            Mat kgb = k.allocate(n, D);
            double kl = k.contrastiveLoss(up(k, a, n), up(k, b, n), 0.5f, 0.01f, kga, kgb);
            Mat rga = ref.allocate(n, D);
            Mat rgb = ref.allocate(n, D);
            double rl = ref.contrastiveLoss(up(ref, a, n), up(ref, b, n), 0.5f, 0.01f, rga, rgb);
            assertThat(kl).isCloseTo(rl, within(1e-4 * Math.abs(rl)));
            assertClose(down(k, kga), down(ref, rga), 2e-4);
            assertClose(down(k, kgb), down(ref, rgb), 2e-4);
        }
    }

    @Test
    void topKOverUserBlocksPadsRowsWithTooFewCandidates() {
        int nu = 300;
        int ni = 30;
        int k = 20;
        SplittableRandom rnd = new SplittableRandom(22);
        float[] users = points(rnd, nu, 1.0);
        float[] items = points(rnd, ni, 1.0);
        // Users exclude up to 25 of the 30 items, so many rows have fewer than k candidates.
        List<int[]> pairs = new ArrayList<>();
        for (int u = 0; u < nu; u++) {
            int excluded = rnd.nextInt(26);
            for (int e = 0; e < excluded; e++) {
                pairs.add(new int[] {u, rnd.nextInt(ni)});
            }
        }
        int[] eu = pairs.stream().mapToInt(p -> p[0]).toArray();
        int[] ei = pairs.stream().mapToInt(p -> p[1]).toArray();
        Interactions exclude = Interactions.fromPairs(nu + 5, ni, eu, ei);
        int[] rItems = new int[nu * k];
        float[] rScores = new float[nu * k];
        ref.topK(up(ref, users, nu), up(ref, items, ni), exclude, 0, k, rItems, rScores);
        // 4·ni·64 bytes of products per block: blocks of 64 users.
        try (CudaKernels gpu = open(false, 4L * ni * 64)) {
            int[] kItems = new int[nu * k];
            float[] kScores = new float[nu * k];
            gpu.topK(up(gpu, users, nu), up(gpu, items, ni), exclude, 0, k, kItems, kScores);
            for (int q = 0; q < kItems.length; q++) {
                if (rItems[q] < 0) {
                    assertThat(kItems[q]).as("padding at %s", q).isEqualTo(-1);
                    assertThat(kScores[q]).isEqualTo(Float.NEGATIVE_INFINITY);
                } else {
                    assertThat(kItems[q]).as("entry %s", q).isNotNegative();
                    assertThat(exclude.contains(q / k, kItems[q])).isFalse();
                    assertThat((double) kScores[q]).isCloseTo(rScores[q], within(1e-3));
                }
            }
        }
    }

    @Test
    void deterministicMarginGradientsRepeatBitForBitAndMatchTheReference() {
        int n = 400;
        SplittableRandom rnd = new SplittableRandom(23);
        float[] h = points(rnd, n, 0.5);
        Triples t = Triples.allocate(5000);
        for (int e = 0; e < 5000; e++) {
            // Few rows, many triples: each row is touched many times.
            t.anchors()[e] = rnd.nextInt(40);
            t.positives()[e] = rnd.nextInt(n);
            t.negatives()[e] = rnd.nextInt(n);
        }
        t = t.withCount(5000);
        float[][] runs = new float[2][];
        double[] losses = new double[2];
        for (int r = 0; r < 2; r++) {
            try (CudaKernels k = open(true)) {
                Mat g = k.allocate(n, D);
                losses[r] = k.marginLoss(up(k, h, n), t, 0.5f, g);
                runs[r] = down(k, g);
            }
        }
        assertThat(runs[1]).isEqualTo(runs[0]);
        assertThat(losses[1]).isEqualTo(losses[0]);
        Mat rg = ref.allocate(n, D);
        double rl = ref.marginLoss(up(ref, h, n), t, 0.5f, rg);
        assertThat(losses[0]).isCloseTo(rl, within(1e-6 * Math.abs(rl)));
        assertClose(runs[0], down(ref, rg), 1e-4);
    }

    @Test
    void aTripleOutsideTheMatrixIsRejectedBeforeTheDeviceSeesIt() {
        try (CudaKernels k = open(false)) {
            Mat h = k.allocate(10, D);
            Triples t = new Triples(new int[] {1}, new int[] {10}, new int[] {2}, 1);
            assertThatThrownBy(() -> k.marginLoss(h, t, 0.5f, k.allocate(10, D)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("triple 0: positive 10 is outside the 10 rows of h");
            k.fill(h, 1f); // the context is still usable
            assertThat(down(k, h)[0]).isEqualTo(1f);
        }
    }

    @Test
    void closedKernelsAndForeignMatricesAreRefused() {
        CudaKernels k = open(false);
        Mat m = k.allocate(2, D);
        assertThatThrownBy(() -> k.fill(ref.allocate(2, D), 0f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("expected a matrix of these CUDA kernels (cuda:0)");
        k.close();
        assertThatThrownBy(() -> k.fill(m, 0f))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the CUDA kernels on cuda:0 are closed");
    }
}
