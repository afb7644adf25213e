package io.hyperrec.core.kernel;

import io.hyperrec.core.data.Interactions;

/**
 * The hot kernels of training, updating and scoring, behind one interface so that a GPU
 * implementation slots in without touching the trainer. Every implementation is checked against
 * {@link ReferenceKernels} by one contract test suite.
 *
 * <p>Matrices are created by the implementation ({@link #allocate}) and live where it computes
 * (host or device); data crosses only through {@link #upload} and {@link #download}. Rows are
 * points or tangent vectors of the Lorentz model (coordinate 0 is time), see {@code
 * io.hyperrec.core.geometry.Lorentz} for the exact formulas. Methods documented with "+="
 * accumulate into their output; all others overwrite it. An instance is used by one thread at a
 * time (it may parallelise internally).
 */
public interface Kernels extends AutoCloseable {

    /** A short name for reports, e.g. {@code cpu-nd4j-vector}. */
    String name();

    /** A new zeroed {@code rows x cols} matrix. */
    Mat allocate(int rows, int cols);

    /** Makes a sparse matrix (and its transpose) available to {@link #spmm}. */
    SparseMat sparse(CsrMatrix matrix);

    /** Copies {@code rows*cols} floats (row-major) from the host into {@code dst}. */
    void upload(float[] src, Mat dst);

    /** Copies {@code src} into a host array (row-major). */
    void download(Mat src, float[] dst);

    /** dst = src (same shape). */
    void copy(Mat src, Mat dst);

    /** Sets every element to {@code value}. */
    void fill(Mat m, float value);

    /** dst += src (same shape). */
    void addInPlace(Mat src, Mat dst);

    /** out = A·x, or Aᵀ·x when {@code transpose}; out must not alias x. */
    void spmm(SparseMat a, boolean transpose, Mat x, Mat out);

    /**
     * Dense product c = alpha·op(a)·op(b) + beta·c, where op transposes when asked (the MoE of
     * phase 1).
     */
    void gemm(Mat a, boolean transA, Mat b, boolean transB, Mat c, float alpha, float beta);

    /** Row-wise logmap0: t = logmap0(y). */
    void logmap0(Mat y, Mat t);

    /** Row-wise backward of logmap0: gy += J(y)ᵀ·gt. */
    void logmap0Backward(Mat y, Mat gt, Mat gy);

    /** Row-wise expmap0 followed by project: h = expmap0(u). */
    void expmap0(Mat u, Mat h);

    /** Row-wise backward of expmap0: gu = J(u)ᵀ·gh (overwritten). */
    void expmap0Backward(Mat u, Mat h, Mat gh, Mat gu);

    /**
     * Margin loss Σ max(0, d²(h_a,h_p) − d²(h_a,h_n) + margin) over the triples (a sum, not a
     * mean); gh += its gradient with respect to h.
     *
     * @return the loss
     */
    double marginLoss(Mat h, Triples triples, float margin, Mat gh);

    /**
     * Contrastive alignment of two views of the same n rows, in squared distance: L = −Σ_i log(
     * exp(−d²(a_i,b_i)/τ) / Σ_j exp(−d²(a_i,b_j)/τ) ). Adds {@code weight}·dL/da to {@code ga} and
     * {@code weight}·dL/db to {@code gb}.
     *
     * @return the unweighted loss L
     */
    double contrastiveLoss(Mat a, Mat b, float tau, float weight, Mat ga, Mat gb);

    /**
     * One Riemannian SGD step with momentum and weight decay on every row of {@code x}, exactly as
     * the reference optimiser: g ← grad + wd·x; Riemannian gradient; buf ← μ·buf + g (on the first
     * step buf starts at the raw {@code grad}); x ← expmap(x, −lr·buf); buf transported to the new
     * x. {@code grad} is clobbered.
     */
    void rsgdStep(Mat x, Mat grad, Mat buf, boolean first, float lr, float momentum, float wd);

    /**
     * Top-k items per user by score −d²(u, i), best first, skipping the items of each user's row in
     * {@code exclude} (may be null). Users are rows {@code [0, users.rows())}, matched to rows of
     * {@code exclude} starting at {@code excludeRowOffset}. Rows with fewer than k candidates are
     * padded with item −1 and score −∞.
     *
     * @param outItems receives users.rows()·k item indices, row-major
     * @param outScores receives the matching scores
     */
    void topK(
            Mat users,
            Mat items,
            Interactions exclude,
            int excludeRowOffset,
            int k,
            int[] outItems,
            float[] outScores);

    /**
     * Waits until every operation called so far has finished on the device. Operations of a device
     * implementation may return before the device is done (results reach the host through {@link
     * #download} and the returned losses, which wait); {@link TimingKernels} calls this to measure
     * device time. The CPU kernels finish every call before returning, so this does nothing there.
     */
    default void synchronize() {}

    /** Releases native or device memory; the kernels and their matrices are unusable afterwards. */
    @Override
    void close();
}
