package io.hyperrec.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hyperrec.core.data.Interactions;
import io.hyperrec.core.geometry.Lorentz;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Kernels} implementation must meet: the same results as {@link
 * ReferenceKernels} within float tolerance. Subclass it per implementation (a GPU one skips itself
 * when no device is present).
 */
abstract class KernelsContractTest {
    static final int D = 50;
    protected Kernels kernels;
    private final ReferenceKernels ref = new ReferenceKernels();

    /** The implementation under test. */
    protected abstract Kernels create();

    @BeforeEach
    void open() {
        kernels = create();
    }

    @AfterEach
    void close() {
        if (kernels != null) { // null when create() skipped the test (no device)
            kernels.close();
        }
    }

    static float[] tangents(SplittableRandom rnd, int rows, double scale) {
        float[] u = new float[rows * D];
        for (int i = 0; i < rows; i++) {
            for (int j = 1; j < D; j++) {
                u[i * D + j] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
            }
        }
        return u;
    }

    static float[] points(SplittableRandom rnd, int rows, double scale) {
        float[] u = tangents(rnd, rows, scale);
        for (int i = 0; i < rows; i++) {
            Lorentz.expmap0(u, i * D, u, i * D, D);
        }
        return u;
    }

    Mat up(Kernels k, float[] data, int rows) {
        Mat m = k.allocate(rows, D);
        k.upload(data, m);
        return m;
    }

    static float[] down(Kernels k, Mat m) {
        float[] out = new float[m.rows() * m.cols()];
        k.download(m, out);
        return out;
    }

    static void assertClose(float[] actual, float[] expected, double tol) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(1, Math.abs(expected[i]));
            assertThat((double) actual[i])
                    .as("element %s", i)
                    .isCloseTo(expected[i], within(tol * scale));
        }
    }

    static CsrMatrix randomGraph(SplittableRandom rnd, int n, int edges) {
        int[] r = new int[2 * edges];
        int[] c = new int[2 * edges];
        for (int e = 0; e < edges; e++) {
            int a = rnd.nextInt(n);
            int b = rnd.nextInt(n);
            r[2 * e] = a;
            c[2 * e] = b;
            r[2 * e + 1] = b;
            c[2 * e + 1] = a;
        }
        return CsrMatrix.fromCoo(n, n, r, c, null, 2 * edges).plusIdentityRowNormalized();
    }

    @Test
    void spmmMatchesTheReferenceBothWays() {
        SplittableRandom rnd = new SplittableRandom(11);
        int n = 1500;
        CsrMatrix g = randomGraph(rnd, n, 6000);
        float[] x = tangents(rnd, n, 1);
        for (boolean transpose : new boolean[] {false, true}) {
            Mat out = kernels.allocate(n, D);
            kernels.spmm(kernels.sparse(g), transpose, up(kernels, x, n), out);
            Mat refOut = ref.allocate(n, D);
            ref.spmm(ref.sparse(g), transpose, up(ref, x, n), refOut);
            assertClose(down(kernels, out), down(ref, refOut), 1e-5);
        }
    }

    @Test
    void gemmMatchesTheReferenceForEveryTransposeCombination() {
        SplittableRandom rnd = new SplittableRandom(17);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                int m = 37;
                int k = 53;
                int n = 29;
                Mat ka = matrix(kernels, rnd, ta ? k : m, ta ? m : k);
                Mat kb = matrix(kernels, rnd, tb ? n : k, tb ? k : n);
                Mat kc = matrix(kernels, rnd, m, n);
                Mat ra = copyTo(ref, kernels, ka);
                Mat rb = copyTo(ref, kernels, kb);
                Mat rc = copyTo(ref, kernels, kc);
                kernels.gemm(ka, ta, kb, tb, kc, 0.7f, 0.5f);
                ref.gemm(ra, ta, rb, tb, rc, 0.7f, 0.5f);
                assertClose(down(kernels, kc), down(ref, rc), 1e-5);
            }
        }
    }

    private static Mat matrix(Kernels k, SplittableRandom rnd, int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        Mat m = k.allocate(rows, cols);
        k.upload(v, m);
        return m;
    }

    private static Mat copyTo(Kernels to, Kernels from, Mat m) {
        float[] v = new float[m.rows() * m.cols()];
        from.download(m, v);
        Mat out = to.allocate(m.rows(), m.cols());
        to.upload(v, out);
        return out;
    }

    @Test
    void rowMapsAndTheirBackwardMatchTheReference() {
        SplittableRandom rnd = new SplittableRandom(12);
        int n = 3000;
        float[] y = points(rnd, n, 1.2);
        float[] g = tangents(rnd, n, 1);
        for (int i = 0; i < n; i++) {
            g[i * D] = (float) rnd.nextDouble();
        }
        Mat ky = up(kernels, y, n);
        Mat kt = kernels.allocate(n, D);
        kernels.logmap0(ky, kt);
        Mat ry = up(ref, y, n);
        Mat rt = ref.allocate(n, D);
        ref.logmap0(ry, rt);
        assertClose(down(kernels, kt), down(ref, rt), 1e-5);

        Mat kgy = kernels.allocate(n, D);
        kernels.logmap0Backward(ky, up(kernels, g, n), kgy);
        Mat rgy = ref.allocate(n, D);
        ref.logmap0Backward(ry, up(ref, g, n), rgy);
        assertClose(down(kernels, kgy), down(ref, rgy), 1e-5);

        float[] u = tangents(rnd, n, 0.8);
        Mat ku = up(kernels, u, n);
        Mat kh = kernels.allocate(n, D);
        kernels.expmap0(ku, kh);
        Mat ru = up(ref, u, n);
        Mat rh = ref.allocate(n, D);
        ref.expmap0(ru, rh);
        assertClose(down(kernels, kh), down(ref, rh), 1e-5);

        Mat kgu = kernels.allocate(n, D);
        kernels.expmap0Backward(ku, kh, up(kernels, g, n), kgu);
        Mat rgu = ref.allocate(n, D);
        ref.expmap0Backward(ru, rh, up(ref, g, n), rgu);
        assertClose(down(kernels, kgu), down(ref, rgu), 1e-5);
    }

    @Test
    void marginLossMatchesTheReference() {
        SplittableRandom rnd = new SplittableRandom(13);
        int n = 800;
        float[] h = points(rnd, n, 0.5);
        Triples t = Triples.allocate(2000);
        for (int e = 0; e < 2000; e++) {
            t.anchors()[e] = rnd.nextInt(n);
            t.positives()[e] = rnd.nextInt(n);
            t.negatives()[e] = rnd.nextInt(n);
        }
        t = t.withCount(2000);
        Mat kg = kernels.allocate(n, D);
        double kl = kernels.marginLoss(up(kernels, h, n), t, 0.5f, kg);
        Mat rg = ref.allocate(n, D);
        double rl = ref.marginLoss(up(ref, h, n), t, 0.5f, rg);
        assertThat(kl).isCloseTo(rl, within(1e-6 * Math.abs(rl) + 1e-6));
        assertThat(rl).isPositive();
        assertClose(down(kernels, kg), down(ref, rg), 1e-4);
    }

    @Test
    void contrastiveLossMatchesTheReferenceAcrossBlockBoundaries() {
        SplittableRandom rnd = new SplittableRandom(14);
        int n = 1300; // more than one CPU block, the last one partial
        float[] a = points(rnd, n, 0.6);
        float[] b = a.clone();
        float[] noise = tangents(rnd, n, 0.2);
        for (int i = 0; i < n; i++) {
            for (int j = 1; j < D; j++) {
                b[i * D + j] += noise[i * D + j];
            }
            Lorentz.project(b, i * D, D);
        }
        Mat kga = kernels.allocate(n, D);
        Mat kgb = kernels.allocate(n, D);
        double kl =
                kernels.contrastiveLoss(
                        up(kernels, a, n), up(kernels, b, n), 0.5f, 0.01f, kga, kgb);
        Mat rga = ref.allocate(n, D);
        Mat rgb = ref.allocate(n, D);
        double rl = ref.contrastiveLoss(up(ref, a, n), up(ref, b, n), 0.5f, 0.01f, rga, rgb);
        assertThat(kl).isCloseTo(rl, within(1e-4 * Math.abs(rl)));
        assertClose(down(kernels, kga), down(ref, rga), 2e-4);
        assertClose(down(kernels, kgb), down(ref, rgb), 2e-4);
    }

    @Test
    void rsgdStepMatchesTheReference() {
        SplittableRandom rnd = new SplittableRandom(15);
        int n = 2500;
        float[] x = points(rnd, n, 0.7);
        float[] g = tangents(rnd, n, 3);
        float[] b = tangents(rnd, n, 1);
        for (boolean first : new boolean[] {true, false}) {
            Mat kx = up(kernels, x, n);
            Mat kb = up(kernels, b, n);
            kernels.rsgdStep(kx, up(kernels, g, n), kb, first, 0.05f, 0.95f, 5e-4f);
            Mat rx = up(ref, x, n);
            Mat rb = up(ref, b, n);
            ref.rsgdStep(rx, up(ref, g, n), rb, first, 0.05f, 0.95f, 5e-4f);
            assertClose(down(kernels, kx), down(ref, rx), 1e-5);
            assertClose(down(kernels, kb), down(ref, rb), 1e-5);
        }
    }

    @Test
    void topKMatchesTheReferenceAndSkipsExcludedItems() {
        SplittableRandom rnd = new SplittableRandom(16);
        int nu = 600;
        int ni = 900;
        int k = 20;
        float[] users = points(rnd, nu, 1.0);
        float[] items = points(rnd, ni, 1.0);
        int[] eu = new int[nu * 30];
        int[] ei = new int[nu * 30];
        for (int e = 0; e < eu.length; e++) {
            eu[e] = e / 30;
            ei[e] = rnd.nextInt(ni);
        }
        Interactions exclude = Interactions.fromPairs(nu, ni, eu, ei);
        int[] kItems = new int[nu * k];
        float[] kScores = new float[nu * k];
        kernels.topK(
                up(kernels, users, nu), up(kernels, items, ni), exclude, 0, k, kItems, kScores);
        int[] rItems = new int[nu * k];
        float[] rScores = new float[nu * k];
        ref.topK(up(ref, users, nu), up(ref, items, ni), exclude, 0, k, rItems, rScores);
        assertClose(kScores, rScores, 1e-3);
        int mismatches = 0;
        for (int q = 0; q < kItems.length; q++) {
            assertThat(exclude.contains(q / k, kItems[q])).isFalse();
            if (kItems[q] != rItems[q]) {
                mismatches++;
            }
        }
        // Float rounding may swap near-ties; nothing more.
        assertThat(mismatches).isLessThan(nu * k / 100);
        for (int u = 0; u < nu; u++) {
            for (int q = 1; q < k; q++) {
                assertThat(kScores[u * k + q]).isLessThanOrEqualTo(kScores[u * k + q - 1]);
            }
        }
    }
}
