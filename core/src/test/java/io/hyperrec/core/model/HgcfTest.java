package io.hyperrec.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hyperrec.core.geometry.Lorentz;
import io.hyperrec.core.kernel.CsrMatrix;
import io.hyperrec.core.kernel.Kernels;
import io.hyperrec.core.kernel.Mat;
import io.hyperrec.core.kernel.ReferenceKernels;
import io.hyperrec.core.kernel.SparseMat;
import io.hyperrec.core.kernel.Triples;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HgcfTest {
    private static final int D = 5;
    private final Kernels k = new ReferenceKernels();

    private static CsrMatrix path(int n) {
        int[] r = new int[2 * (n - 1)];
        int[] c = new int[2 * (n - 1)];
        for (int i = 0; i + 1 < n; i++) {
            r[2 * i] = i;
            c[2 * i] = i + 1;
            r[2 * i + 1] = i + 1;
            c[2 * i + 1] = i;
        }
        return CsrMatrix.fromCoo(n, n, r, c, null, r.length).plusIdentityRowNormalized();
    }

    @Test
    void encodesATinyGraphExactly() {
        // Two nodes joined by an edge: Â = [[.5,.5],[.5,.5]], so every layer is the mean.
        SparseMat a = k.sparse(path(2));
        Mat t = k.allocate(2, D);
        k.upload(new float[] {0, 0.2f, 0, 0, 0, 0, 0, 0.4f, 0, 0}, t);
        Mat h = new Hgcf(3).encoder(k, a, D).encode(t);
        float[] out = new float[2 * D];
        k.download(h, out);
        // z = 3 · mean = (0, 0.3, 0.6, 0, 0); h = expmap0(z).
        float[] z = {0, 0.3f, 0.6f, 0, 0};
        float[] expected = new float[D];
        Lorentz.expmap0(z, 0, expected, 0, D);
        for (int j = 0; j < D; j++) {
            assertThat(out[j]).isCloseTo(expected[j], within(1e-6f));
            assertThat(out[D + j]).isCloseTo(expected[j], within(1e-6f));
        }
    }

    @Test
    void rejectsNonSquareAdjacencyAndZeroLayers() {
        assertThatThrownBy(() -> new Hgcf(0)).hasMessageContaining("got 0");
        CsrMatrix rect = CsrMatrix.fromCoo(2, 3, new int[] {0}, new int[] {2}, null, 1);
        assertThatThrownBy(() -> new Hgcf().encoder(k, k.sparse(rect), D))
                .hasMessageContaining("2x3");
    }

    /**
     * The whole chain x → logmap0 → propagate → expmap0 → margin loss against central differences.
     */
    @Test
    void backwardThroughTheWholeViewMatchesFiniteDifferences() {
        int n = 6;
        SplittableRandom rnd = new SplittableRandom(3);
        float[] x = new float[n * D];
        for (int i = 0; i < n; i++) {
            for (int j = 1; j < D; j++) {
                x[i * D + j] = (float) ((rnd.nextDouble() * 2 - 1) * 0.5);
            }
            Lorentz.expmap0(x, i * D, x, i * D, D);
        }
        Triples tr =
                new Triples(
                        new int[] {0, 2, 4, 1}, new int[] {1, 3, 5, 5}, new int[] {5, 0, 1, 3}, 4);
        Backbone.Encoder enc = new Hgcf(3).encoder(k, k.sparse(path(n)), D);

        Mat xm = k.allocate(n, D);
        k.upload(x, xm);
        Mat t = k.allocate(n, D);
        k.logmap0(xm, t);
        enc.encode(t);
        Mat gh = k.allocate(n, D);
        double loss = enc.loss(tr, 3.0f, gh);
        assertThat(loss).isPositive();
        Mat gt = k.allocate(n, D);
        enc.backward(gh, gt);
        Mat gx = k.allocate(n, D);
        k.logmap0Backward(xm, gt, gx);
        float[] grad = new float[n * D];
        k.download(gx, grad);

        for (int i = 0; i < n; i++) {
            for (int j = 0; j < D; j++) {
                double h = 1e-3;
                float[] p = x.clone();
                float[] m = x.clone();
                p[i * D + j] += (float) h;
                m[i * D + j] -= (float) h;
                double fd =
                        (lossAt(p, n, tr, enc) - lossAt(m, n, tr, enc))
                                / ((double) p[i * D + j] - m[i * D + j]);
                assertThat((double) grad[i * D + j])
                        .as("node %s coord %s", i, j)
                        .isCloseTo(fd, within(2e-2 * Math.max(1, Math.abs(fd))));
            }
        }
    }

    private double lossAt(float[] x, int n, Triples tr, Backbone.Encoder enc) {
        Mat xm = k.allocate(n, D);
        k.upload(x, xm);
        Mat t = k.allocate(n, D);
        k.logmap0(xm, t);
        enc.encode(t);
        return enc.loss(tr, 3.0f, k.allocate(n, D));
    }
}
