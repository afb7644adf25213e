package io.hyperrec.gpu;

import static io.hyperrec.gpu.Gpu.ELEMENT_BLOCK;
import static io.hyperrec.gpu.Gpu.ROW_BLOCK;

import io.hyperrec.core.data.Interactions;
import io.hyperrec.core.geometry.Lorentz;
import io.hyperrec.core.kernel.CsrMatrix;
import io.hyperrec.core.kernel.Device;
import io.hyperrec.core.kernel.DeviceException;
import io.hyperrec.core.kernel.Kernels;
import io.hyperrec.core.kernel.Mat;
import io.hyperrec.core.kernel.ReferenceKernels;
import io.hyperrec.core.kernel.SparseMat;
import io.hyperrec.core.kernel.Triples;

/**
 * The {@link Kernels} on an NVIDIA GPU: dense products on cuBLAS (row-major through the transpose
 * identity), everything else in hyperrec's own CUDA kernels, compiled by NVRTC at start-up for the
 * device's architecture ({@code hyperrec_kernels.cu}). Every {@link Mat} is device memory,
 * allocated once by {@link #allocate} and freed by {@link #close}; working buffers grow to the
 * largest shape seen and are reused across steps. Data crosses between host and device only in
 * {@link #upload}, {@link #download}, the triples of {@link #marginLoss}, the losses returned and
 * the results of {@link #topK}.
 *
 * <p>Operations are queued on one CUDA stream and may return before the device has finished; the
 * calls that return data to the host wait, and so does {@link #synchronize}. The contrastive loss
 * and top-k follow {@code CpuKernels}: pairwise Minkowski products by one product of the
 * space-negated rows with the other side, in row blocks of at most {@value
 * #DEFAULT_WORKSPACE_BUDGET} bytes, and one fused elementwise pass.
 *
 * <p>Deterministic mode adds the margin loss's gradient in a fixed order (gathered per row on the
 * device from an index built on the host) instead of with atomic additions; every other operation
 * is deterministic in both modes. Results then repeat bit for bit on the same GPU model with the
 * same driver and CUDA libraries (cuBLAS guarantees no more than that).
 *
 * <p>Not thread-safe: one thread at a time, as the interface says (any thread; the context is made
 * current on each call).
 */
public final class CudaKernels implements Kernels {
    /** Bytes a row block of pairwise products, or of top-k's candidate lists, may take. */
    static final long DEFAULT_WORKSPACE_BUDGET = 256L << 20;

    private final Gpu cx;
    private final boolean deterministic;
    private final long budget;

    // Working buffers, grown to the largest shape seen and reused (hot paths reuse them on
    // purpose).
    private final Workspace flipped = new Workspace("space-negated rows");
    private final Workspace products = new Workspace("a block of pairwise products");
    private final Workspace blockGrad = new Workspace("a contrastive gradient block");
    private final Workspace scaled = new Workspace("scaled contrastive rows");
    private final Workspace rowScale = new Workspace("contrastive row scales");
    private final Workspace diagWeight = new Workspace("contrastive diagonal weights");
    private final Workspace rowLoss = new Workspace("contrastive row losses");
    private final Workspace tripleIdx = new Workspace("triple indices");
    private final Workspace coef = new Workspace("margin coefficients");
    private final Workspace blockLoss = new Workspace("margin block losses");
    private final Workspace gatherIdx = new Workspace("the margin gradient index");
    private final Workspace scratchKeys = new Workspace("top-k candidate scores");
    private final Workspace scratchItems = new Workspace("top-k candidate items");
    private final Workspace topKeys = new Workspace("top-k scores");
    private final Workspace topItems = new Workspace("top-k items");
    private Interactions excludeHost;
    private long excludePtr;
    private long excludeCols;
    private double[] hostLoss = new double[0];
    private final MarginGatherIndex gatherIndex = new MarginGatherIndex();
    private boolean closed;

    /** A device buffer that grows on demand. */
    private final class Workspace {
        private final String what;
        private long ptr;
        private long bytes = -1;

        Workspace(String what) {
            this.what = what;
        }

        long ensure(long need) {
            if (need > bytes) {
                if (bytes >= 0) {
                    cx.free(ptr);
                    bytes = -1;
                }
                ptr = cx.alloc(need, what);
                bytes = need;
            }
            return ptr;
        }
    }

    CudaKernels(Gpu cx, boolean deterministic, long workspaceBudget) {
        this.cx = cx;
        this.deterministic = deterministic;
        this.budget = workspaceBudget;
    }

    /**
     * Opens kernels on a CUDA device.
     *
     * @param deterministic whether results must repeat bit for bit (see the class comment)
     * @throws DeviceException naming what is missing: the JavaCPP bindings or a native library
     *     (driver, CUDA runtime, NVRTC, cuBLAS), a driver too old for the bindings, the device, or
     *     memory
     */
    public static CudaKernels open(Device device, boolean deterministic) {
        return open(device, deterministic, DEFAULT_WORKSPACE_BUDGET);
    }

    /** As {@link #open(Device, boolean)}, with another working-buffer budget (tests). */
    static CudaKernels open(Device device, boolean deterministic, long workspaceBudget) {
        return new CudaKernels(CudaContext.open(device), deterministic, workspaceBudget);
    }

    /** E.g. {@code cuda-nvrtc-cublas cuda:0 NVIDIA H200 sm_90}, for reports. */
    @Override
    public String name() {
        return "cuda-nvrtc-cublas "
                + cx.device()
                + " "
                + cx.name()
                + " "
                + cx.target()
                + (deterministic ? " deterministic" : "");
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the CUDA kernels on " + cx.device() + " are closed");
        }
    }

    private CudaMat mat(Mat m) {
        checkOpen();
        if (m instanceof CudaMat c && c.owner == this) {
            return c;
        }
        throw new IllegalArgumentException(
                "expected a matrix of these CUDA kernels (" + cx.device() + "), got " + m);
    }

    private CudaSparse sparseOf(SparseMat s) {
        checkOpen();
        if (s instanceof CudaSparse c && c.owner() == this) {
            return c;
        }
        throw new IllegalArgumentException(
                "expected a sparse matrix of these CUDA kernels (" + cx.device() + "), got " + s);
    }

    private static void checkSameShape(Mat a, Mat b) {
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
    public Mat allocate(int rows, int cols) {
        checkOpen();
        if (rows < 0 || cols <= 0) {
            throw new IllegalArgumentException(
                    "matrix shape must be rows >= 0, cols > 0, got " + rows + "x" + cols);
        }
        long n = (long) rows * cols;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("matrix " + rows + "x" + cols + " is too large");
        }
        long ptr = cx.alloc(4 * n, "a " + rows + "x" + cols + " matrix");
        cx.fill32(ptr, 0, n);
        return new CudaMat(this, ptr, rows, cols);
    }

    @Override
    public SparseMat sparse(CsrMatrix m) {
        checkOpen();
        CsrMatrix t = m.transpose();
        String what =
                "a " + m.rows() + "x" + m.cols() + " sparse matrix of " + m.nnz() + " entries";
        long[] p = new long[6];
        CsrMatrix[] both = {m, t};
        for (int i = 0; i < 2; i++) {
            CsrMatrix s = both[i];
            p[3 * i] = cx.alloc(4L * s.rowPtr().length, what);
            p[3 * i + 1] = cx.alloc(4L * s.nnz(), what);
            p[3 * i + 2] = cx.alloc(4L * s.nnz(), what);
            cx.upload(s.rowPtr(), 0, s.rowPtr().length, p[3 * i]);
            cx.upload(s.colIdx(), 0, s.nnz(), p[3 * i + 1]);
            cx.upload(s.values(), 0, s.nnz(), p[3 * i + 2]);
        }
        return new CudaSparse(this, m.rows(), m.cols(), p[0], p[1], p[2], p[3], p[4], p[5]);
    }

    @Override
    public void upload(float[] src, Mat dst) {
        CudaMat d = mat(dst);
        int n = (int) d.size();
        if (src.length < n) {
            throw new IllegalArgumentException(
                    "source has " + src.length + " floats, matrix needs " + n);
        }
        cx.upload(src, 0, n, d.ptr);
    }

    @Override
    public void download(Mat src, float[] dst) {
        CudaMat s = mat(src);
        int n = (int) s.size();
        if (dst.length < n) {
            throw new IllegalArgumentException(
                    "destination has " + dst.length + " floats, matrix holds " + n);
        }
        cx.download(s.ptr, dst, 0, n);
    }

    @Override
    public void copy(Mat src, Mat dst) {
        checkSameShape(src, dst);
        CudaMat s = mat(src);
        CudaMat d = mat(dst);
        cx.copy(s.ptr, d.ptr, s.bytes());
    }

    @Override
    public void fill(Mat m, float value) {
        CudaMat c = mat(m);
        cx.fill32(c.ptr, Float.floatToRawIntBits(value), c.size());
    }

    @Override
    public void addInPlace(Mat src, Mat dst) {
        checkSameShape(src, dst);
        CudaMat s = mat(src);
        CudaMat d = mat(dst);
        cx.args().i64(s.size()).ptr(s.ptr).ptr(d.ptr).launchElements(Fn.ADD, s.size());
    }

    @Override
    public void spmm(SparseMat a, boolean transpose, Mat x, Mat out) {
        CudaSparse sp = sparseOf(a);
        CudaMat xm = mat(x);
        CudaMat om = mat(out);
        int rows = transpose ? sp.cols() : sp.rows();
        int cols = transpose ? sp.rows() : sp.cols();
        if (cols != xm.rows() || rows != om.rows() || xm.cols() != om.cols()) {
            throw new IllegalArgumentException(
                    "spmm shapes: A "
                            + rows
                            + "x"
                            + cols
                            + ", x "
                            + xm.rows()
                            + "x"
                            + xm.cols()
                            + ", out "
                            + om.rows()
                            + "x"
                            + om.cols());
        }
        if (xm.ptr < om.ptr + om.bytes() && om.ptr < xm.ptr + xm.bytes()) {
            throw new IllegalArgumentException("spmm: out must not overlap x");
        }
        cx.args()
                .i32(rows)
                .i32(xm.cols())
                .ptr(transpose ? sp.tPtr() : sp.ptr())
                .ptr(transpose ? sp.tCol() : sp.col())
                .ptr(transpose ? sp.tVal() : sp.val())
                .ptr(xm.ptr)
                .ptr(om.ptr)
                .launchRows(Fn.SPMM, rows);
    }

    @Override
    public void gemm(Mat a, boolean transA, Mat b, boolean transB, Mat c, float alpha, float beta) {
        CudaMat am = mat(a);
        CudaMat bm = mat(b);
        CudaMat cm = mat(c);
        int k = ReferenceKernels.checkGemmShapes(a, transA, b, transB, c);
        int m = c.rows();
        int n = c.cols();
        cx.sgemm(
                transA, transB, m, n, k, alpha, am.ptr, am.cols(), bm.ptr, bm.cols(), beta, cm.ptr,
                cm.cols());
    }

    @Override
    public void logmap0(Mat y, Mat t) {
        checkSameShape(y, t);
        CudaMat ym = mat(y);
        cx.args()
                .i32(ym.rows())
                .i32(ym.cols())
                .ptr(ym.ptr)
                .ptr(mat(t).ptr)
                .launchRows(Fn.LOGMAP0, ym.rows());
    }

    @Override
    public void logmap0Backward(Mat y, Mat gt, Mat gy) {
        checkSameShape(y, gt);
        checkSameShape(y, gy);
        CudaMat ym = mat(y);
        cx.args()
                .i32(ym.rows())
                .i32(ym.cols())
                .ptr(ym.ptr)
                .ptr(mat(gt).ptr)
                .ptr(mat(gy).ptr)
                .launchRows(Fn.LOGMAP0_BACKWARD, ym.rows());
    }

    @Override
    public void expmap0(Mat u, Mat h) {
        checkSameShape(u, h);
        CudaMat um = mat(u);
        cx.args()
                .i32(um.rows())
                .i32(um.cols())
                .ptr(um.ptr)
                .ptr(mat(h).ptr)
                .launchRows(Fn.EXPMAP0, um.rows());
    }

    @Override
    public void expmap0Backward(Mat u, Mat h, Mat gh, Mat gu) {
        checkSameShape(u, h);
        checkSameShape(u, gh);
        checkSameShape(u, gu);
        CudaMat um = mat(u);
        cx.args()
                .i32(um.rows())
                .i32(um.cols())
                .ptr(um.ptr)
                .ptr(mat(h).ptr)
                .ptr(mat(gh).ptr)
                .ptr(mat(gu).ptr)
                .launchRows(Fn.EXPMAP0_BACKWARD, um.rows());
    }

    @Override
    public double marginLoss(Mat h, Triples t, float margin, Mat gh) {
        checkSameShape(h, gh);
        CudaMat hm = mat(h);
        CudaMat gm = mat(gh);
        int count = t.count();
        if (count == 0) {
            return 0;
        }
        checkRows(t.anchors(), count, hm.rows(), "anchor");
        checkRows(t.positives(), count, hm.rows(), "positive");
        checkRows(t.negatives(), count, hm.rows(), "negative");
        long idx = tripleIdx.ensure(12L * count);
        long anchors = idx;
        long positives = idx + 4L * count;
        long negatives = idx + 8L * count;
        cx.upload(t.anchors(), 0, count, anchors);
        cx.upload(t.positives(), 0, count, positives);
        cx.upload(t.negatives(), 0, count, negatives);
        int perBlock = ROW_BLOCK / 32;
        int blocks = (count + perBlock - 1) / perBlock;
        long losses = blockLoss.ensure(8L * blocks);
        long coefficients = deterministic ? coef.ensure(16L * count) : 0;
        cx.args()
                .i32(count)
                .i32(hm.cols())
                .ptr(hm.ptr)
                .ptr(anchors)
                .ptr(positives)
                .ptr(negatives)
                .f32(margin)
                .ptr(gm.ptr)
                .ptr(coefficients)
                .ptr(losses)
                .launch(Fn.MARGIN, blocks, ROW_BLOCK);
        if (deterministic) {
            gatherMarginGradient(t, hm, gm, anchors, positives, negatives, coefficients);
        }
        if (hostLoss.length < blocks) {
            hostLoss = new double[blocks];
        }
        cx.download(losses, hostLoss, blocks);
        double loss = 0;
        for (int i = 0; i < blocks; i++) {
            loss += hostLoss[i];
        }
        return loss;
    }

    private static void checkRows(int[] rows, int count, int limit, String role) {
        for (int e = 0; e < count; e++) {
            if (rows[e] < 0 || rows[e] >= limit) {
                throw new IllegalArgumentException(
                        "triple "
                                + e
                                + ": "
                                + role
                                + " "
                                + rows[e]
                                + " is outside the "
                                + limit
                                + " rows of h");
            }
        }
    }

    /**
     * Adds the margin loss's gradient without atomics: {@code hr_margin_gather} adds each touched
     * row's contributions in the order of {@link MarginGatherIndex}, which is the reference's.
     */
    private void gatherMarginGradient(
            Triples t,
            CudaMat hm,
            CudaMat gm,
            long anchors,
            long positives,
            long negatives,
            long coefficients) {
        int n = gatherIndex.build(t, hm.rows());
        long dev = gatherIdx.ensure(4L * n);
        cx.upload(gatherIndex.data(), 0, n, dev);
        cx.args()
                .i32(gatherIndex.touched())
                .i32(hm.cols())
                .ptr(dev)
                .ptr(dev + 4L * gatherIndex.ptrAt())
                .ptr(dev + 4L * gatherIndex.entriesAt())
                .ptr(hm.ptr)
                .ptr(anchors)
                .ptr(positives)
                .ptr(negatives)
                .ptr(coefficients)
                .ptr(gm.ptr)
                .launchRows(Fn.MARGIN_GATHER, gatherIndex.touched());
    }

    /** Rows per block of pairwise products against {@code n} columns. */
    private int blockRows(int rows, long bytesPerRow) {
        return (int) Math.max(1, Math.min(rows, budget / Math.max(1, bytesPerRow)));
    }

    @Override
    public double contrastiveLoss(Mat a, Mat b, float tau, float weight, Mat ga, Mat gb) {
        checkSameShape(a, b);
        checkSameShape(a, ga);
        checkSameShape(a, gb);
        CudaMat am = mat(a);
        CudaMat bm = mat(b);
        CudaMat gam = mat(ga);
        CudaMat gbm = mat(gb);
        int n = am.rows();
        int d = am.cols();
        if (n == 0) {
            return 0;
        }
        int block = blockRows(n, 4L * n);
        long fl = flipped.ensure(4L * n * d);
        long pr = products.ensure(4L * block * n);
        long bg = blockGrad.ensure(4L * block * d);
        long sc = scaled.ensure(4L * block * d);
        long rs = rowScale.ensure(4L * block);
        long dw = diagWeight.ensure(8L * block);
        long rl = rowLoss.ensure(8L * n);
        // A' = a with space coordinates negated, so that A'·Bᵀ = −⟨a_i, b_j⟩_L.
        cx.args()
                .i64(am.size())
                .i32(d)
                .ptr(am.ptr)
                .ptr(fl)
                .launchElements(Fn.FLIP_SPACE, am.size());
        float negInvTau = -1f / tau;
        float c = weight / tau;
        for (int r0 = 0; r0 < n; r0 += block) {
            int rows = Math.min(block, n - r0);
            long aBlock = fl + 4L * r0 * d;
            cx.sgemm(false, true, rows, n, d, 1f, aBlock, d, bm.ptr, d, 0f, pr, n);
            // F_ij in place, row losses, softmax scales s_i = −c/Σ_j e_ij and diagonal weights.
            cx.args()
                    .i32(rows)
                    .i32(n)
                    .i32(r0)
                    .ptr(pr)
                    .f32(negInvTau)
                    .f32(tau)
                    .f32(c)
                    .ptr(rl)
                    .ptr(rs)
                    .ptr(dw)
                    .launch(Fn.CONTRASTIVE_ROWS, rows, ELEMENT_BLOCK);
            // F·B for the gradient of a; gb += (diag(s)·A')ᵀ·F, i.e. Fᵀ·(diag(s)·A').
            cx.sgemm(false, false, rows, d, n, 1f, pr, n, bm.ptr, d, 0f, bg, d);
            long m = (long) rows * d;
            cx.args().i64(m).i32(d).ptr(aBlock).ptr(rs).ptr(sc).launchElements(Fn.SCALE_ROWS, m);
            cx.sgemm(true, false, n, d, rows, 1f, pr, n, sc, d, 1f, gbm.ptr, d);
            cx.args()
                    .i32(rows)
                    .i32(d)
                    .i32(r0)
                    .ptr(bg)
                    .ptr(rs)
                    .ptr(dw)
                    .ptr(am.ptr)
                    .ptr(bm.ptr)
                    .ptr(gam.ptr)
                    .ptr(gbm.ptr)
                    .launchElements(Fn.CONTRASTIVE_FINISH, m);
        }
        if (hostLoss.length < n) {
            hostLoss = new double[n];
        }
        cx.download(rl, hostLoss, n);
        double loss = 0;
        for (int i = 0; i < n; i++) {
            loss += hostLoss[i];
        }
        return loss;
    }

    @Override
    public void rsgdStep(
            Mat x, Mat grad, Mat buf, boolean first, float lr, float momentum, float wd) {
        checkSameShape(x, grad);
        checkSameShape(x, buf);
        CudaMat xm = mat(x);
        cx.args()
                .i32(xm.rows())
                .i32(xm.cols())
                .ptr(xm.ptr)
                .ptr(mat(grad).ptr)
                .ptr(mat(buf).ptr)
                .i32(first ? 1 : 0)
                .f32(lr)
                .f32(momentum)
                .f32(wd)
                .launchRows(Fn.RSGD, xm.rows());
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
        CudaMat um = mat(users);
        CudaMat im = mat(items);
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
        if (um.cols() != im.cols()) {
            throw new IllegalArgumentException(
                    "users have " + um.cols() + " columns, items " + im.cols());
        }
        int nu = um.rows();
        int ni = im.rows();
        int d = um.cols();
        if ((long) nu * k > Math.min(outItems.length, outScores.length)) {
            throw new IllegalArgumentException(
                    "outputs hold "
                            + Math.min(outItems.length, outScores.length)
                            + " entries, "
                            + nu
                            + " users x k="
                            + k
                            + " need more");
        }
        if (nu == 0) {
            return;
        }
        if (exclude != null) {
            if (excludeRowOffset < 0 || excludeRowOffset + nu > exclude.numUsers()) {
                throw new IllegalArgumentException(
                        "exclude rows ["
                                + excludeRowOffset
                                + ", "
                                + (excludeRowOffset + nu)
                                + ") are outside its "
                                + exclude.numUsers()
                                + " rows");
            }
            uploadExclusions(exclude);
        }
        int width = Math.max(ni, 1);
        int block = Math.min(blockRows(nu, 4L * width), blockRows(nu, 32L * k * (Float.BYTES + 4)));
        long fl = flipped.ensure(4L * block * d);
        long pr = products.ensure(4L * block * width);
        long sk = scratchKeys.ensure(4L * block * 32 * k);
        long si = scratchItems.ensure(4L * block * 32 * k);
        long ok = topKeys.ensure(4L * block * k);
        long oi = topItems.ensure(4L * block * k);
        for (int u0 = 0; u0 < nu; u0 += block) {
            int rows = Math.min(block, nu - u0);
            long m = (long) rows * d;
            cx.args()
                    .i64(m)
                    .i32(d)
                    .ptr(um.ptr + 4L * u0 * d)
                    .ptr(fl)
                    .launchElements(Fn.FLIP_SPACE, m);
            cx.sgemm(false, true, rows, ni, d, 1f, fl, d, im.ptr, d, 0f, pr, width);
            if (exclude != null) {
                cx.args()
                        .i32(rows)
                        .i32(ni)
                        .ptr(excludePtr)
                        .ptr(excludeCols)
                        .i32(excludeRowOffset + u0)
                        .ptr(pr)
                        .launchRows(Fn.MASK, rows);
            }
            cx.args()
                    .i32(rows)
                    .i32(ni)
                    .i32(k)
                    .ptr(pr)
                    .ptr(sk)
                    .ptr(si)
                    .ptr(ok)
                    .ptr(oi)
                    .launchRows(Fn.TOPK, rows);
            int at = u0 * k;
            cx.download(oi, outItems, at, rows * k);
            cx.download(ok, outScores, at, rows * k);
            for (int q = at; q < at + rows * k; q++) {
                if (outItems[q] >= 0) {
                    double dist = Lorentz.acosh(-outScores[q]);
                    outScores[q] = (float) (-dist * dist);
                }
            }
        }
    }

    /** Keeps a device copy of the exclusion matrix, replaced when another one comes. */
    private void uploadExclusions(Interactions exclude) {
        if (exclude == excludeHost) {
            return;
        }
        if (excludeHost != null) {
            cx.free(excludePtr);
            cx.free(excludeCols);
            excludeHost = null;
        }
        int[] ptr = exclude.rowPtr();
        int[] cols = exclude.cols();
        excludePtr = cx.alloc(4L * ptr.length, "the exclusion matrix");
        excludeCols = cx.alloc(4L * cols.length, "the exclusion matrix");
        cx.upload(ptr, 0, ptr.length, excludePtr);
        cx.upload(cols, 0, cols.length, excludeCols);
        excludeHost = exclude;
    }

    @Override
    public void synchronize() {
        checkOpen();
        cx.synchronize();
    }

    /** Frees every matrix and buffer of these kernels and releases the device. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            cx.close();
        }
    }
}
