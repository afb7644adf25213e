package io.hyperrec.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hyperrec.core.kernel.CpuMat;
import io.hyperrec.core.kernel.ReferenceKernels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The transpose identity behind the cuBLAS calls, checked without a GPU: a column-major gemm with
 * cuBLAS's semantics, given the arguments of {@link RowMajorGemm}, computes the row-major product
 * of the reference kernels.
 */
class RowMajorGemmTest {

    /** C = alpha·op(X)·op(Y) + beta·C in column major, as cublasSgemm defines it. */
    private static void columnMajorGemm(
            boolean transX,
            boolean transY,
            int m,
            int n,
            int k,
            float alpha,
            float[] x,
            int ldx,
            float[] y,
            int ldy,
            float beta,
            float[] c,
            int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    float xv = transX ? x[p + i * ldx] : x[i + p * ldx];
                    float yv = transY ? y[j + p * ldy] : y[p + j * ldy];
                    s += (double) xv * yv;
                }
                c[i + j * ldc] = (float) (alpha * s + beta * c[i + j * ldc]);
            }
        }
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return v;
    }

    @Test
    void theColumnMajorCallComputesTheRowMajorProductForEveryTransposeCombination() {
        SplittableRandom rnd = new SplittableRandom(31);
        ReferenceKernels ref = new ReferenceKernels();
        int m = 37;
        int k = 53;
        int n = 29;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                int aRows = ta ? k : m;
                int aCols = ta ? m : k;
                int bRows = tb ? n : k;
                int bCols = tb ? k : n;
                float[] a = random(rnd, aRows * aCols);
                float[] b = random(rnd, bRows * bCols);
                float[] c = random(rnd, m * n);
                float[] expected = c.clone();
                ref.gemm(
                        new CpuMat(a, aRows, aCols),
                        ta,
                        new CpuMat(b, bRows, bCols),
                        tb,
                        new CpuMat(expected, m, n),
                        0.7f,
                        0.5f);
                RowMajorGemm g = RowMajorGemm.of(ta, tb, m, n, k, aCols, bCols, n);
                columnMajorGemm(
                        g.transFirst(),
                        g.transSecond(),
                        g.m(),
                        g.n(),
                        g.k(),
                        0.7f,
                        b,
                        g.ldFirst(),
                        a,
                        g.ldSecond(),
                        0.5f,
                        c,
                        g.ldc());
                for (int i = 0; i < c.length; i++) {
                    assertThat(c[i])
                            .as("ta=%s tb=%s element %s", ta, tb, i)
                            .isCloseTo(expected[i], within(1e-5f));
                }
            }
        }
    }

    @Test
    void cuBlasLeadingDimensionsAreLargeEnough() {
        // cublasSgemm needs ld >= rows of each stored column-major operand.
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                int m = 5;
                int n = 7;
                int k = 3;
                RowMajorGemm g = RowMajorGemm.of(ta, tb, m, n, k, ta ? m : k, tb ? k : n, n);
                int firstStoredRows = g.transFirst() ? g.k() : g.m();
                int secondStoredRows = g.transSecond() ? g.n() : g.k();
                assertThat(g.ldFirst()).isGreaterThanOrEqualTo(firstStoredRows);
                assertThat(g.ldSecond()).isGreaterThanOrEqualTo(secondStoredRows);
                assertThat(g.ldc()).isGreaterThanOrEqualTo(g.m());
            }
        }
    }
}
