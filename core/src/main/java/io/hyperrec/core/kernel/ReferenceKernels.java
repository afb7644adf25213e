package io.hyperrec.core.kernel;

import io.hyperrec.core.data.Interactions;
import io.hyperrec.core.geometry.Lorentz;

/**
 * Plain, obviously-correct single-threaded kernels: one loop per formula of HYPERLLM.md, every
 * distance through {@link Lorentz}. The contract test suite checks every other implementation
 * against this one; it is too slow for real datasets.
 */
public class ReferenceKernels implements Kernels {

    /** Sparse handle of the CPU kernels: the matrix and its transpose. */
    record CpuSparse(CsrMatrix matrix, CsrMatrix transposed) implements SparseMat {
        @Override
        public int rows() {
            return matrix.rows();
        }

        @Override
        public int cols() {
            return matrix.cols();
        }
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public Mat allocate(int rows, int cols) {
        return new CpuMat(rows, cols);
    }

    @Override
    public SparseMat sparse(CsrMatrix matrix) {
        return new CpuSparse(matrix, matrix.transpose());
    }

    static CpuSparse sparseOf(SparseMat s) {
        if (s instanceof CpuSparse c) {
            return c;
        }
        throw new IllegalArgumentException(
                "expected a sparse matrix of the CPU kernels, got " + s.getClass().getName());
    }

    static void checkSameShape(Mat a, Mat b) {
        if (a.rows() != b.rows() || a.cols() != b.cols()) {
            throw new IllegalArgumentException(
                    "shapes differ: "
                            + a.rows()
                            + "x"
                            + a.cols()
                            + " vs "
                            + b.rows()
                            + "x"
                            + b.cols());
        }
    }

    @Override
    public void upload(float[] src, Mat dst) {
        CpuMat d = CpuMat.of(dst);
        int n = d.rows() * d.cols();
        if (src.length < n) {
            throw new IllegalArgumentException(
                    "source has " + src.length + " floats, matrix needs " + n);
        }
        System.arraycopy(src, 0, d.data(), d.offset(), n);
    }

    @Override
    public void download(Mat src, float[] dst) {
        CpuMat s = CpuMat.of(src);
        int n = s.rows() * s.cols();
        if (dst.length < n) {
            throw new IllegalArgumentException(
                    "destination has " + dst.length + " floats, matrix holds " + n);
        }
        System.arraycopy(s.data(), s.offset(), dst, 0, n);
    }

    @Override
    public void copy(Mat src, Mat dst) {
        checkSameShape(src, dst);
        CpuMat s = CpuMat.of(src);
        CpuMat d = CpuMat.of(dst);
        System.arraycopy(s.data(), s.offset(), d.data(), d.offset(), s.rows() * s.cols());
    }

    @Override
    public void fill(Mat m, float value) {
        CpuMat c = CpuMat.of(m);
        java.util.Arrays.fill(c.data(), c.offset(), c.offset() + c.rows() * c.cols(), value);
    }

    @Override
    public void addInPlace(Mat src, Mat dst) {
        checkSameShape(src, dst);
        CpuMat s = CpuMat.of(src);
        CpuMat d = CpuMat.of(dst);
        float[] sd = s.data();
        float[] dd = d.data();
        int n = s.rows() * s.cols();
        for (int i = 0; i < n; i++) {
            dd[d.offset() + i] += sd[s.offset() + i];
        }
    }

    @Override
    public void spmm(SparseMat a, boolean transpose, Mat x, Mat out) {
        CpuSparse sp = sparseOf(a);
        CsrMatrix m = transpose ? sp.transposed() : sp.matrix();
        CpuMat xm = CpuMat.of(x);
        CpuMat om = CpuMat.of(out);
        checkSpmmShapes(m, xm, om);
        spmmRows(m, xm, om, 0, m.rows());
    }

    static void checkSpmmShapes(CsrMatrix m, Mat x, Mat out) {
        if (m.cols() != x.rows() || m.rows() != out.rows() || x.cols() != out.cols()) {
            throw new IllegalArgumentException(
                    "spmm shapes: A "
                            + m.rows()
                            + "x"
                            + m.cols()
                            + ", x "
                            + x.rows()
                            + "x"
                            + x.cols()
                            + ", out "
                            + out.rows()
                            + "x"
                            + out.cols());
        }
    }

    static void spmmRows(CsrMatrix m, CpuMat x, CpuMat out, int from, int to) {
        int d = x.cols();
        float[] xd = x.data();
        float[] od = out.data();
        int xo = x.offset();
        int oo = out.offset();
        int[] ptr = m.rowPtr();
        int[] col = m.colIdx();
        float[] val = m.values();
        float[] acc = new float[d];
        for (int i = from; i < to; i++) {
            java.util.Arrays.fill(acc, 0f);
            for (int k = ptr[i]; k < ptr[i + 1]; k++) {
                float v = val[k];
                int base = xo + col[k] * d;
                for (int j = 0; j < d; j++) {
                    acc[j] += v * xd[base + j];
                }
            }
            System.arraycopy(acc, 0, od, oo + i * d, d);
        }
    }

    @Override
    public void gemm(Mat a, boolean transA, Mat b, boolean transB, Mat c, float alpha, float beta) {
        int k = checkGemmShapes(a, transA, b, transB, c);
        gemmRows(
                CpuMat.of(a),
                transA,
                CpuMat.of(b),
                transB,
                CpuMat.of(c),
                alpha,
                beta,
                k,
                0,
                c.rows());
    }

    /**
     * Checks that c = op(a)·op(b) is well-formed, for every implementation of {@link Kernels#gemm}.
     *
     * @return the inner dimension
     * @throws IllegalArgumentException naming the shapes when they do not fit
     */
    public static int checkGemmShapes(Mat a, boolean transA, Mat b, boolean transB, Mat c) {
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        if (k != kb || c.rows() != m || c.cols() != n) {
            throw new IllegalArgumentException(
                    "gemm shapes: op(a) "
                            + m
                            + "x"
                            + k
                            + ", op(b) "
                            + kb
                            + "x"
                            + n
                            + ", c "
                            + c.rows()
                            + "x"
                            + c.cols());
        }
        return k;
    }

    static void gemmRows(
            CpuMat am,
            boolean transA,
            CpuMat bm,
            boolean transB,
            CpuMat cm,
            float alpha,
            float beta,
            int k,
            int from,
            int to) {
        int n = cm.cols();
        float[] ad = am.data();
        float[] bd = bm.data();
        float[] cd = cm.data();
        for (int i = from; i < to; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int q = 0; q < k; q++) {
                    float x =
                            transA
                                    ? ad[am.offset() + q * am.cols() + i]
                                    : ad[am.offset() + i * am.cols() + q];
                    float y =
                            transB
                                    ? bd[bm.offset() + j * bm.cols() + q]
                                    : bd[bm.offset() + q * bm.cols() + j];
                    s += (double) x * y;
                }
                int ci = cm.offset() + i * n + j;
                cd[ci] = (float) (alpha * s + (beta == 0 ? 0 : beta * cd[ci]));
            }
        }
    }

    @Override
    public void logmap0(Mat y, Mat t) {
        checkSameShape(y, t);
        CpuMat ym = CpuMat.of(y);
        CpuMat tm = CpuMat.of(t);
        int d = ym.cols();
        for (int i = 0; i < ym.rows(); i++) {
            Lorentz.logmap0(ym.data(), ym.offset() + i * d, tm.data(), tm.offset() + i * d, d);
        }
    }

    @Override
    public void logmap0Backward(Mat y, Mat gt, Mat gy) {
        checkSameShape(y, gt);
        checkSameShape(y, gy);
        CpuMat ym = CpuMat.of(y);
        CpuMat gtm = CpuMat.of(gt);
        CpuMat gym = CpuMat.of(gy);
        int d = ym.cols();
        for (int i = 0; i < ym.rows(); i++) {
            Lorentz.logmap0Backward(
                    ym.data(),
                    ym.offset() + i * d,
                    gtm.data(),
                    gtm.offset() + i * d,
                    gym.data(),
                    gym.offset() + i * d,
                    d);
        }
    }

    @Override
    public void expmap0(Mat u, Mat h) {
        checkSameShape(u, h);
        CpuMat um = CpuMat.of(u);
        CpuMat hm = CpuMat.of(h);
        int d = um.cols();
        for (int i = 0; i < um.rows(); i++) {
            Lorentz.expmap0(um.data(), um.offset() + i * d, hm.data(), hm.offset() + i * d, d);
        }
    }

    @Override
    public void expmap0Backward(Mat u, Mat h, Mat gh, Mat gu) {
        checkSameShape(u, h);
        checkSameShape(u, gh);
        checkSameShape(u, gu);
        CpuMat um = CpuMat.of(u);
        CpuMat hm = CpuMat.of(h);
        CpuMat ghm = CpuMat.of(gh);
        CpuMat gum = CpuMat.of(gu);
        int d = um.cols();
        for (int i = 0; i < um.rows(); i++) {
            Lorentz.expmap0Backward(
                    um.data(),
                    um.offset() + i * d,
                    hm.data(),
                    hm.offset() + i * d,
                    ghm.data(),
                    ghm.offset() + i * d,
                    gum.data(),
                    gum.offset() + i * d,
                    d);
        }
    }

    @Override
    public double marginLoss(Mat h, Triples t, float margin, Mat gh) {
        checkSameShape(h, gh);
        CpuMat hm = CpuMat.of(h);
        CpuMat gm = CpuMat.of(gh);
        float[] x = hm.data();
        float[] g = gm.data();
        int d = hm.cols();
        double loss = 0;
        for (int e = 0; e < t.count(); e++) {
            int a = hm.offset() + t.anchors()[e] * d;
            int p = hm.offset() + t.positives()[e] * d;
            int n = hm.offset() + t.negatives()[e] * d;
            double wp = -Lorentz.inner(x, a, x, p, d);
            double wn = -Lorentz.inner(x, a, x, n, d);
            double rp = Lorentz.acosh(wp);
            double rn = Lorentz.acosh(wn);
            double l = rp * rp - rn * rn + margin;
            if (l < 0) {
                continue;
            }
            loss += l;
            // dL/dw for w = −⟨a,b⟩_L; dw/da = (b0, −b1, …).
            double cp = 2 * rp * Lorentz.acoshGrad(wp);
            double cn = -2 * rn * Lorentz.acoshGrad(wn);
            int ga = gm.offset() + t.anchors()[e] * d;
            int gp = gm.offset() + t.positives()[e] * d;
            int gn = gm.offset() + t.negatives()[e] * d;
            for (int j = 0; j < d; j++) {
                double sgn = j == 0 ? 1 : -1;
                g[ga + j] += (float) (sgn * (cp * x[p + j] + cn * x[n + j]));
                g[gp + j] += (float) (sgn * cp * x[a + j]);
                g[gn + j] += (float) (sgn * cn * x[a + j]);
            }
        }
        return loss;
    }

    @Override
    public double contrastiveLoss(Mat a, Mat b, float tau, float weight, Mat ga, Mat gb) {
        checkSameShape(a, b);
        checkSameShape(a, ga);
        checkSameShape(a, gb);
        CpuMat am = CpuMat.of(a);
        CpuMat bm = CpuMat.of(b);
        CpuMat gam = CpuMat.of(ga);
        CpuMat gbm = CpuMat.of(gb);
        int n = am.rows();
        int d = am.cols();
        double loss = 0;
        double[] w = new double[n];
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            int ai = am.offset() + i * d;
            double sum = 0;
            for (int j = 0; j < n; j++) {
                w[j] = -Lorentz.inner(am.data(), ai, bm.data(), bm.offset() + j * d, d);
                double r = Lorentz.acosh(w[j]);
                e[j] = Math.exp(-r * r / tau);
                sum += e[j];
            }
            double rii = Lorentz.acosh(w[i]);
            loss += rii * rii / tau + Math.log(sum);
            for (int j = 0; j < n; j++) {
                double r = Lorentz.acosh(w[j]);
                double dd = ((i == j ? 1 : 0) - e[j] / sum) / tau;
                double c = weight * dd * 2 * r * Lorentz.acoshGrad(w[j]);
                int bj = bm.offset() + j * d;
                int gai = gam.offset() + i * d;
                int gbj = gbm.offset() + j * d;
                for (int k = 0; k < d; k++) {
                    double sgn = k == 0 ? 1 : -1;
                    gam.data()[gai + k] += (float) (c * sgn * bm.data()[bj + k]);
                    gbm.data()[gbj + k] += (float) (c * sgn * am.data()[ai + k]);
                }
            }
        }
        return loss;
    }

    @Override
    public void rsgdStep(
            Mat x, Mat grad, Mat buf, boolean first, float lr, float momentum, float wd) {
        checkSameShape(x, grad);
        checkSameShape(x, buf);
        CpuMat xm = CpuMat.of(x);
        CpuMat gm = CpuMat.of(grad);
        CpuMat bm = CpuMat.of(buf);
        rsgdRows(xm, gm, bm, first, lr, momentum, wd, 0, xm.rows());
    }

    static void rsgdRows(
            CpuMat xm,
            CpuMat gm,
            CpuMat bm,
            boolean first,
            float lr,
            float momentum,
            float wd,
            int from,
            int to) {
        int d = xm.cols();
        float[] x = xm.data();
        float[] g = gm.data();
        float[] b = bm.data();
        float[] u = new float[d];
        float[] y = new float[d];
        for (int i = from; i < to; i++) {
            int xo = xm.offset() + i * d;
            int go = gm.offset() + i * d;
            int bo = bm.offset() + i * d;
            if (first) {
                System.arraycopy(g, go, b, bo, d);
            }
            for (int j = 0; j < d; j++) {
                g[go + j] += wd * x[xo + j];
            }
            Lorentz.egradToRgrad(x, xo, g, go, d);
            for (int j = 0; j < d; j++) {
                b[bo + j] = momentum * b[bo + j] + g[go + j];
                u[j] = -lr * b[bo + j];
            }
            Lorentz.expmap(x, xo, u, 0, y, 0, d);
            Lorentz.transport(x, xo, y, 0, b, bo, d);
            System.arraycopy(y, 0, x, xo, d);
        }
    }

    @Override
    public void topK(
            Mat users,
            Mat items,
            Interactions exclude,
            int excludeRowOffset,
            int k,
            int[] outItems,
            float[] outScores) {
        CpuMat um = CpuMat.of(users);
        CpuMat im = CpuMat.of(items);
        int d = um.cols();
        for (int u = 0; u < um.rows(); u++) {
            TopKHeap heap = new TopKHeap(k);
            for (int i = 0; i < im.rows(); i++) {
                if (exclude != null && exclude.contains(excludeRowOffset + u, i)) {
                    continue;
                }
                double s =
                        -Lorentz.sqdist(
                                um.data(), um.offset() + u * d, im.data(), im.offset() + i * d, d);
                heap.offer(i, (float) s);
            }
            heap.drainBestFirst(outItems, outScores, u * k);
        }
    }

    @Override
    public void close() {}
}
