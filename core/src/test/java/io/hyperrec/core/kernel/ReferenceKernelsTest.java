package io.hyperrec.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hyperrec.core.geometry.Lorentz;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The reference kernels against themselves (the contract) and against finite differences: the
 * gradients of both losses are hand-derived, so each gets a numerical check.
 */
class ReferenceKernelsTest extends KernelsContractTest {
    @Override
    protected Kernels create() {
        return new ReferenceKernels();
    }

    /** Perturbs coordinate k of row i of a point set and re-projects, as the manifold requires. */
    private static double fdOnRow(
            float[] pts, int row, int k, java.util.function.ToDoubleFunction<float[]> f) {
        double h = 1e-3;
        float[] p = pts.clone();
        float[] m = pts.clone();
        p[row * D + k] += (float) h;
        m[row * D + k] -= (float) h;
        return (f.applyAsDouble(p) - f.applyAsDouble(m))
                / ((double) p[row * D + k] - m[row * D + k]);
    }

    @Test
    void marginLossGradientMatchesFiniteDifferences() {
        SplittableRandom rnd = new SplittableRandom(21);
        int n = 6;
        float[] h = points(rnd, n, 0.6);
        Triples t =
                new Triples(
                        new int[] {0, 1, 2, 0}, new int[] {3, 4, 5, 5}, new int[] {4, 5, 3, 1}, 4);
        ReferenceKernels k = new ReferenceKernels();
        Mat g = k.allocate(n, D);
        k.marginLoss(up(k, h, n), t, 2.0f, g);
        float[] grad = down(k, g);
        for (int row = 0; row < n; row++) {
            for (int c = 0; c < D; c += 7) {
                final int rr = row;
                double fd =
                        fdOnRow(
                                h,
                                rr,
                                c,
                                v -> k.marginLoss(up(k, v, n), t, 2.0f, k.allocate(n, D)));
                assertThat((double) grad[row * D + c])
                        .as("row %s coord %s", row, c)
                        .isCloseTo(fd, within(2e-2 * Math.max(1, Math.abs(fd))));
            }
        }
    }

    @Test
    void contrastiveGradientMatchesFiniteDifferences() {
        SplittableRandom rnd = new SplittableRandom(22);
        int n = 5;
        float[] a = points(rnd, n, 0.7);
        float[] b = points(rnd, n, 0.7);
        ReferenceKernels k = new ReferenceKernels();
        Mat ga = k.allocate(n, D);
        Mat gb = k.allocate(n, D);
        k.contrastiveLoss(up(k, a, n), up(k, b, n), 0.5f, 1f, ga, gb);
        float[] gra = down(k, ga);
        float[] grb = down(k, gb);
        for (int row = 0; row < n; row++) {
            for (int c = 0; c < D; c += 9) {
                double fda =
                        fdOnRow(
                                a,
                                row,
                                c,
                                v ->
                                        k.contrastiveLoss(
                                                up(k, v, n),
                                                up(k, b, n),
                                                0.5f,
                                                1f,
                                                k.allocate(n, D),
                                                k.allocate(n, D)));
                double fdb =
                        fdOnRow(
                                b,
                                row,
                                c,
                                v ->
                                        k.contrastiveLoss(
                                                up(k, a, n),
                                                up(k, v, n),
                                                0.5f,
                                                1f,
                                                k.allocate(n, D),
                                                k.allocate(n, D)));
                assertThat((double) gra[row * D + c])
                        .isCloseTo(fda, within(2e-2 * Math.max(1, Math.abs(fda))));
                assertThat((double) grb[row * D + c])
                        .isCloseTo(fdb, within(2e-2 * Math.max(1, Math.abs(fdb))));
            }
        }
    }

    @Test
    void topKOfTheReferenceIsTheBruteForceOrder() {
        SplittableRandom rnd = new SplittableRandom(23);
        float[] users = points(rnd, 1, 0.5);
        float[] items = points(rnd, 30, 0.5);
        ReferenceKernels k = new ReferenceKernels();
        int[] out = new int[5];
        float[] scores = new float[5];
        k.topK(up(k, users, 1), up(k, items, 30), null, 0, 5, out, scores);
        double[] all = new double[30];
        for (int i = 0; i < 30; i++) {
            all[i] = -Lorentz.sqdist(users, 0, items, i * D, D);
        }
        double[] sorted = all.clone();
        java.util.Arrays.sort(sorted);
        for (int q = 0; q < 5; q++) {
            assertThat((double) scores[q]).isCloseTo(sorted[29 - q], within(1e-5));
            assertThat(all[out[q]]).isCloseTo(sorted[29 - q], within(1e-5));
        }
    }
}
