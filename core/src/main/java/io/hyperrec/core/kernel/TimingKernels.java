package io.hyperrec.core.kernel;

import io.hyperrec.core.data.Interactions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Wraps kernels and accumulates wall time per operation, to say where a training epoch's time goes
 * ({@code hyperrec train --profile}). Adds two {@code System.nanoTime()} calls per kernel call, and
 * a {@link Kernels#synchronize()} so that the time of an operation that a device runs
 * asynchronously is charged to it rather than to the next one that waits (which also takes away the
 * overlap of host and device work, so a profiled GPU run is slower); not thread-safe.
 */
public final class TimingKernels implements Kernels {
    private final Kernels inner;
    private final Map<String, long[]> totals = new LinkedHashMap<>();

    /** Times every call made to {@code inner}. */
    public TimingKernels(Kernels inner) {
        this.inner = inner;
    }

    /** Nanoseconds and call counts per operation, in first-call order: {name → [nanos, calls]}. */
    public Map<String, long[]> totals() {
        Map<String, long[]> copy = new LinkedHashMap<>();
        totals.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    /** Forgets the accumulated times. */
    public void reset() {
        totals.clear();
    }

    private void time(String op, Runnable r) {
        long t = System.nanoTime();
        r.run();
        inner.synchronize();
        add(op, System.nanoTime() - t);
    }

    private <T> T time(String op, Supplier<T> s) {
        long t = System.nanoTime();
        T v = s.get();
        inner.synchronize();
        add(op, System.nanoTime() - t);
        return v;
    }

    private void add(String op, long nanos) {
        long[] acc = totals.computeIfAbsent(op, x -> new long[2]);
        acc[0] += nanos;
        acc[1]++;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public Mat allocate(int rows, int cols) {
        return inner.allocate(rows, cols);
    }

    @Override
    public SparseMat sparse(CsrMatrix matrix) {
        return inner.sparse(matrix);
    }

    @Override
    public void upload(float[] src, Mat dst) {
        time("upload", () -> inner.upload(src, dst));
    }

    @Override
    public void download(Mat src, float[] dst) {
        time("download", () -> inner.download(src, dst));
    }

    @Override
    public void copy(Mat src, Mat dst) {
        time("copy/fill/add", () -> inner.copy(src, dst));
    }

    @Override
    public void fill(Mat m, float value) {
        time("copy/fill/add", () -> inner.fill(m, value));
    }

    @Override
    public void addInPlace(Mat src, Mat dst) {
        time("copy/fill/add", () -> inner.addInPlace(src, dst));
    }

    @Override
    public void spmm(SparseMat a, boolean transpose, Mat x, Mat out) {
        time(
                transpose ? "spmm (backward)" : "spmm (forward)",
                () -> inner.spmm(a, transpose, x, out));
    }

    @Override
    public void gemm(Mat a, boolean transA, Mat b, boolean transB, Mat c, float alpha, float beta) {
        time("gemm", () -> inner.gemm(a, transA, b, transB, c, alpha, beta));
    }

    @Override
    public void logmap0(Mat y, Mat t) {
        time("logmap0", () -> inner.logmap0(y, t));
    }

    @Override
    public void logmap0Backward(Mat y, Mat gt, Mat gy) {
        time("logmap0 backward", () -> inner.logmap0Backward(y, gt, gy));
    }

    @Override
    public void expmap0(Mat u, Mat h) {
        time("expmap0", () -> inner.expmap0(u, h));
    }

    @Override
    public void expmap0Backward(Mat u, Mat h, Mat gh, Mat gu) {
        time("expmap0 backward", () -> inner.expmap0Backward(u, h, gh, gu));
    }

    @Override
    public double marginLoss(Mat h, Triples triples, float margin, Mat gh) {
        return time("margin loss", () -> inner.marginLoss(h, triples, margin, gh));
    }

    @Override
    public double contrastiveLoss(Mat a, Mat b, float tau, float weight, Mat ga, Mat gb) {
        return time("contrastive loss", () -> inner.contrastiveLoss(a, b, tau, weight, ga, gb));
    }

    @Override
    public void rsgdStep(
            Mat x, Mat grad, Mat buf, boolean first, float lr, float momentum, float wd) {
        time("riemannian sgd", () -> inner.rsgdStep(x, grad, buf, first, lr, momentum, wd));
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
        time(
                "top-k (evaluation)",
                () -> inner.topK(users, items, exclude, excludeRowOffset, k, outItems, outScores));
    }

    @Override
    public void synchronize() {
        inner.synchronize();
    }

    @Override
    public void close() {
        inner.close();
    }
}
