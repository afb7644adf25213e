package io.hyperrec.core.kernel;

import io.hyperrec.core.data.Interactions;
import io.hyperrec.core.geometry.Lorentz;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The default CPU kernels: dense products through ND4J's BLAS ({@code Nd4j.gemm} into buffers
 * allocated once and reused, with transpose flags instead of transposed copies), fused elementwise
 * passes with the JDK Vector API, and row-parallel sparse propagation and manifold updates on one
 * worker per core. PERFORMANCE.md explains each choice.
 *
 * <p>The n×n contrastive term is computed in row blocks of {@value #BLOCK} so that the working set
 * stays near the caches: per block one product for the Minkowski products, two fused passes (row
 * sums, then gradient weights written in place), and two products for the gradients.
 */
public final class CpuKernels extends ReferenceKernels {
    /**
     * Whether transcendental functions use {@link VectorMath} (same bits interpreted or compiled,
     * so runs repeat exactly across processes) instead of the Vector API's EXP/LOG (SVML when
     * compiled, about 4× faster, but scalar {@code Math} before the JIT compiles them).
     */
    private final boolean deterministic;

    /** Fast kernels: results repeat within a process, not bit for bit across processes. */
    public CpuKernels() {
        this(false);
    }

    /**
     * @param deterministic true for results that repeat bit for bit across processes (a resumed
     *     training equals an uninterrupted one), at about 1.3× the time of a phase-2 epoch
     */
    public CpuKernels(boolean deterministic) {
        this.deterministic = deterministic;
    }

    static final int BLOCK = 1024;
    private float[] rowScale = new float[0];
    private double[] diagWeight = new double[0];
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final float ACOSH_MIN = (float) Lorentz.ACOSH_MIN;
    private static final float SQRT_MIN = (float) Lorentz.SQRT_MIN;

    // Reused native buffers, (re)allocated when a shape changes. Hot loops reuse them on purpose.
    private NdBuf blockA;
    private NdBuf allB;
    private NdBuf products;
    private NdBuf blockGrad;
    private NdBuf gradB;
    private float[] hostA = new float[0];
    private float[] hostGradB = new float[0];

    /** A buffer and its native-order views. */
    private record NdBuf(INDArray array, ByteBuffer bytes, FloatBuffer floats, int rows, int cols) {
        static NdBuf create(int rows, int cols) {
            INDArray a = Nd4j.create(DataType.FLOAT, rows, cols);
            ByteBuffer b = a.data().asNio().order(ORDER);
            return new NdBuf(a, b, b.asFloatBuffer(), rows, cols);
        }

        boolean fits(int r, int c) {
            return rows == r && cols == c;
        }
    }

    private static NdBuf ensure(NdBuf buf, int rows, int cols) {
        if (buf != null && buf.fits(rows, cols)) {
            return buf;
        }
        if (buf != null) {
            buf.array().close();
        }
        return NdBuf.create(rows, cols);
    }

    @Override
    public String name() {
        return deterministic ? "cpu-nd4j-vector-deterministic" : "cpu-nd4j-vector";
    }

    @Override
    public void spmm(SparseMat a, boolean transpose, Mat x, Mat out) {
        CpuSparse sp = sparseOf(a);
        CsrMatrix m = transpose ? sp.transposed() : sp.matrix();
        CpuMat xm = CpuMat.of(x);
        CpuMat om = CpuMat.of(out);
        checkSpmmShapes(m, xm, om);
        Parallel.forRange(m.rows(), 512, (from, to) -> spmmRows(m, xm, om, from, to));
    }

    @Override
    public void gemm(Mat a, boolean transA, Mat b, boolean transB, Mat c, float alpha, float beta) {
        checkGemmShapes(a, transA, b, transB, c);
        CpuMat am = CpuMat.of(a);
        CpuMat bm = CpuMat.of(b);
        CpuMat cm = CpuMat.of(c);
        // Copies in and out of native buffers: fine for the MoE's few large products per step.
        try (INDArray x = toNd(am);
                INDArray y = toNd(bm);
                INDArray z = toNd(cm)) {
            Nd4j.gemm(x, y, z, transA, transB, alpha, beta);
            z.data().asNioFloat().get(cm.data(), cm.offset(), cm.rows() * cm.cols());
        }
    }

    private static INDArray toNd(CpuMat m) {
        INDArray a = Nd4j.create(DataType.FLOAT, m.rows(), m.cols());
        a.data().asNioFloat().put(m.data(), m.offset(), m.rows() * m.cols());
        return a;
    }

    @Override
    public void logmap0(Mat y, Mat t) {
        rowParallel(y, (from, to) -> super.logmap0(y.slice(from, to), t.slice(from, to)));
    }

    @Override
    public void logmap0Backward(Mat y, Mat gt, Mat gy) {
        rowParallel(
                y,
                (from, to) ->
                        super.logmap0Backward(
                                y.slice(from, to), gt.slice(from, to), gy.slice(from, to)));
    }

    @Override
    public void expmap0(Mat u, Mat h) {
        rowParallel(u, (from, to) -> super.expmap0(u.slice(from, to), h.slice(from, to)));
    }

    @Override
    public void expmap0Backward(Mat u, Mat h, Mat gh, Mat gu) {
        rowParallel(
                u,
                (from, to) ->
                        super.expmap0Backward(
                                u.slice(from, to),
                                h.slice(from, to),
                                gh.slice(from, to),
                                gu.slice(from, to)));
    }

    @Override
    public void rsgdStep(
            Mat x, Mat grad, Mat buf, boolean first, float lr, float momentum, float wd) {
        checkSameShape(x, grad);
        checkSameShape(x, buf);
        CpuMat xm = CpuMat.of(x);
        CpuMat gm = CpuMat.of(grad);
        CpuMat bm = CpuMat.of(buf);
        Parallel.forRange(
                xm.rows(),
                1024,
                (from, to) -> rsgdRows(xm, gm, bm, first, lr, momentum, wd, from, to));
    }

    private static void rowParallel(Mat m, Parallel.RangeBody body) {
        Parallel.forRange(m.rows(), 1024, body);
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
        int block = Math.min(BLOCK, n);
        blockA = ensure(blockA, block, d);
        allB = ensure(allB, n, d);
        products = ensure(products, block, n);
        blockGrad = ensure(blockGrad, block, d);
        gradB = ensure(gradB, d, n);
        if (hostA.length < block * d) {
            hostA = new float[block * d];
        }
        if (rowScale.length < block) {
            rowScale = new float[block];
            diagWeight = new double[block];
        }
        allB.floats().clear();
        allB.floats().put(bm.data(), bm.offset(), n * d);
        gradB.array().assign(0f);
        final float negInvTau = -1f / tau;
        final float c = weight / tau;
        double[] rowLoss = new double[block];
        double loss = 0;
        for (int r0 = 0; r0 < n; r0 += block) {
            int rows = Math.min(block, n - r0);
            // A' = a with space coordinates negated, so that A'·Bᵀ = −⟨a_i, b_j⟩_L.
            int src = am.offset() + r0 * d;
            for (int i = 0; i < rows * d; i++) {
                float v = am.data()[src + i];
                hostA[i] = (i % d) == 0 ? v : -v;
            }
            java.util.Arrays.fill(hostA, rows * d, block * d, 0f);
            blockA.floats().clear();
            blockA.floats().put(hostA, 0, block * d);
            Nd4j.gemm(blockA.array(), allB.array(), products.array(), false, true, 1.0, 0.0);
            final int base = r0;
            ByteBuffer w = products.bytes();
            // One fused pass: F_ij = e_ij·2·arcosh(w_ij)/z_ij in place and the row sums of e_ij.
            // The softmax normalisation −c/sum is a per-row scale applied to the (small) gemm
            // inputs and outputs, and the δ_ij term is a diagonal correction, so no second
            // transcendental pass is needed.
            Parallel.forRange(
                    rows,
                    16,
                    (from, to) -> {
                        for (int r = from; r < to; r++) {
                            int rowByte = r * n * Float.BYTES;
                            double wii = w.getFloat(rowByte + (base + r) * Float.BYTES);
                            float sum = writeWeightsAndSum(w, rowByte, n, negInvTau, deterministic);
                            double rii = Lorentz.acosh(wii);
                            rowLoss[r] = rii * rii / tau + Math.log(sum);
                            rowScale[r] = -c / sum;
                            diagWeight[r] = c * 2 * rii * Lorentz.acoshGrad(wii);
                        }
                    });
            for (int r = 0; r < rows; r++) {
                loss += rowLoss[r];
            }
            Nd4j.gemm(products.array(), allB.array(), blockGrad.array(), false, false, 1.0, 0.0);
            // Scale A' rows by the row factors before it meets F in the gradient of b.
            for (int r = 0; r < rows; r++) {
                for (int col = 0; col < d; col++) {
                    hostA[r * d + col] *= rowScale[r];
                }
            }
            blockA.floats().clear();
            blockA.floats().put(hostA, 0, block * d);
            // gradBᵀ (d×n) += (diag(s)·A')ᵀ·F: 1.6× faster in OpenBLAS than into gradB (n×d).
            Nd4j.gemm(blockA.array(), products.array(), gradB.array(), true, false, 1.0, 1.0);
            FloatBuffer gbuf = blockGrad.floats();
            float[] g = gam.data();
            float[] bd = bm.data();
            float[] ad = am.data();
            int dst = gam.offset() + r0 * d;
            for (int r = 0; r < rows; r++) {
                int i = r0 + r;
                int bi = bm.offset() + i * d;
                int ai = am.offset() + i * d;
                int gbi = gbm.offset() + i * d;
                double dw = diagWeight[r];
                float s = rowScale[r];
                for (int col = 0; col < d; col++) {
                    // dA' = s·(F·B) + δ-term; dA = dA'·diag(1, −1, …).
                    double v = s * gbuf.get(r * d + col) + dw * bd[bi + col];
                    g[dst + r * d + col] += (float) (col == 0 ? v : -v);
                    // δ-term of the gradient of b: dw·a'_i, with a' = a·diag(1, −1, …).
                    double ap = col == 0 ? ad[ai] : -ad[ai + col];
                    gbm.data()[gbi + col] += (float) (dw * ap);
                }
            }
        }
        if (hostGradB.length < n * d) {
            hostGradB = new float[n * d];
        }
        float[] gbT = hostGradB;
        gradB.floats().clear();
        gradB.floats().get(gbT, 0, n * d);
        float[] g = gbm.data();
        int dst = gbm.offset();
        for (int col = 0; col < d; col++) {
            for (int j = 0; j < n; j++) {
                g[dst + j * d + col] += gbT[col * n + j];
            }
        }
        return loss;
    }

    /**
     * Overwrites one row of products w_j with F_j = e_j·2·arcosh(w_j)/z_j, where e_j =
     * exp(−arcosh(w_j)²/τ) and z_j = sqrt(max(w_j²−1, 1e-9)), with the reference's clamps; returns
     * Σ_j e_j.
     */
    static float writeWeightsAndSum(
            ByteBuffer w, int rowByte, int n, float negInvTau, boolean det) {
        FloatVector acc = FloatVector.zero(S);
        int upper = S.loopBound(n);
        int j = 0;
        for (; j < upper; j += S.length()) {
            int off = rowByte + j * Float.BYTES;
            FloatVector x = FloatVector.fromByteBuffer(S, w, off, ORDER);
            FloatVector wc = x.max(ACOSH_MIN);
            FloatVector z = wc.mul(wc).sub(1f).max(SQRT_MIN).lanewise(VectorOperators.SQRT);
            FloatVector r = log(wc.add(z), det);
            FloatVector e = exp(r.mul(r).mul(negInvTau), det);
            acc = acc.add(e);
            e.mul(r).mul(2f).div(z).intoByteBuffer(w, off, ORDER);
        }
        float sum = det ? sumInLaneOrder(acc) : acc.reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) {
            int off = rowByte + j * Float.BYTES;
            float x = w.getFloat(off);
            double r = Lorentz.acosh(x);
            double e = Math.exp(r * r * negInvTau);
            sum += (float) e;
            w.putFloat(off, (float) (e * 2 * r * Lorentz.acoshGrad(x)));
        }
        return sum;
    }

    /**
     * Σ of the lanes from lane 0 up: {@code reduceLanes} may add in another order once compiled,
     * and float addition is not associative.
     */
    private static float sumInLaneOrder(FloatVector v) {
        float[] lanes = new float[S.length()];
        v.intoArray(lanes, 0);
        float s = 0;
        for (float x : lanes) {
            s += x;
        }
        return s;
    }

    private static FloatVector log(FloatVector v, boolean det) {
        return det ? VectorMath.log(v) : v.lanewise(VectorOperators.LOG);
    }

    private static FloatVector exp(FloatVector v, boolean det) {
        return det ? VectorMath.exp(v) : v.lanewise(VectorOperators.EXP);
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
        int nu = um.rows();
        int ni = im.rows();
        int d = um.cols();
        if (nu == 0) {
            return;
        }
        int block = Math.min(BLOCK, nu);
        blockA = ensure(blockA, block, d);
        allB = ensure(allB, ni, d);
        products = ensure(products, block, ni);
        if (hostA.length < block * d) {
            hostA = new float[block * d];
        }
        allB.floats().clear();
        allB.floats().put(im.data(), im.offset(), ni * d);
        for (int u0 = 0; u0 < nu; u0 += block) {
            int rows = Math.min(block, nu - u0);
            int src = um.offset() + u0 * d;
            for (int i = 0; i < rows * d; i++) {
                float v = um.data()[src + i];
                hostA[i] = (i % d) == 0 ? v : -v;
            }
            java.util.Arrays.fill(hostA, rows * d, block * d, 0f);
            blockA.floats().clear();
            blockA.floats().put(hostA, 0, block * d);
            Nd4j.gemm(blockA.array(), allB.array(), products.array(), false, true, 1.0, 0.0);
            final int base = u0;
            Parallel.forRange(
                    rows,
                    8,
                    (from, to) -> {
                        TopKHeap heap = new TopKHeap(k);
                        float[] row = new float[ni];
                        FloatBuffer fb = products.floats().duplicate();
                        for (int r = from; r < to; r++) {
                            fb.position(r * ni);
                            fb.get(row, 0, ni);
                            selectRow(row, ni, exclude, excludeRowOffset + base + r, heap);
                            int out = (base + r) * k;
                            heap.drainBestFirst(outItems, outScores, out);
                            for (int q = out; q < out + k; q++) {
                                if (outItems[q] >= 0) {
                                    double dist = Lorentz.acosh(-outScores[q]);
                                    outScores[q] = (float) (-dist * dist);
                                }
                            }
                        }
                    });
        }
    }

    /** Offers every non-excluded item of one row of products w (key −w: larger is nearer). */
    private static void selectRow(
            float[] w, int ni, Interactions exclude, int excludeRow, TopKHeap heap) {
        int[] ptr = exclude == null ? null : exclude.rowPtr();
        int[] cols = exclude == null ? null : exclude.cols();
        int e = exclude == null ? 0 : ptr[excludeRow];
        int eEnd = exclude == null ? 0 : ptr[excludeRow + 1];
        int next = e < eEnd ? cols[e] : Integer.MAX_VALUE;
        float threshold = heap.threshold();
        for (int i = 0; i < ni; i++) {
            if (i == next) {
                e++;
                next = e < eEnd ? cols[e] : Integer.MAX_VALUE;
                continue;
            }
            float key = -w[i];
            if (key > threshold) {
                heap.offer(i, key);
                threshold = heap.threshold();
            } else if (key == threshold) {
                heap.offer(i, key);
            }
        }
    }

    @Override
    public void close() {
        for (NdBuf b : new NdBuf[] {blockA, allB, products, blockGrad, gradB}) {
            if (b != null) {
                b.array().close();
            }
        }
        blockA = allB = products = blockGrad = gradB = null;
    }
}
