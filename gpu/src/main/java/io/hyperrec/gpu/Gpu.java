package io.hyperrec.gpu;

import io.hyperrec.core.kernel.Device;

/**
 * What {@link CudaKernels} needs of a device: memory, copies, dense products and launches of the
 * kernels of {@code hyperrec_kernels.cu}, all queued in order. {@link CudaContext} is the real one
 * (CUDA driver API, cuBLAS); the tests also run the same CUDA C on a CPU emulation of it. Addresses
 * are device addresses; used by one thread at a time.
 */
interface Gpu extends AutoCloseable {
    /** Threads per block of the one-warp-per-row kernels (4 rows per block). */
    int ROW_BLOCK = 128;

    /** Threads per block of elementwise kernels and of the contrastive row pass. */
    int ELEMENT_BLOCK = 256;

    /** The device asked for. */
    Device device();

    /** The device's name, e.g. "NVIDIA H200". */
    String name();

    /** What the kernels were compiled for, e.g. {@code sm_90}. */
    String target();

    /**
     * Allocates device memory, freed by {@link #free} or {@link #close}.
     *
     * @param what what it is for, named if the device is out of memory (e.g. "a 6086x50 matrix")
     */
    long alloc(long bytes, String what);

    /** Frees what {@link #alloc} returned, after the work queued so far. */
    void free(long ptr);

    /** Copies {@code n} floats of {@code src} from {@code off} to device address {@code dst}. */
    void upload(float[] src, int off, int n, long dst);

    /** Copies {@code n} ints of {@code src} from {@code off} to device address {@code dst}. */
    void upload(int[] src, int off, int n, long dst);

    /** Copies {@code n} floats from device address {@code src} into {@code dst} at {@code off}. */
    void download(long src, float[] dst, int off, int n);

    /** Copies {@code n} ints from device address {@code src} into {@code dst} at {@code off}. */
    void download(long src, int[] dst, int off, int n);

    /** Copies {@code n} doubles from device address {@code src} into {@code dst}. */
    void download(long src, double[] dst, int n);

    /** Queues a device-to-device copy of {@code bytes}. */
    void copy(long src, long dst, long bytes);

    /** Queues setting {@code n} 32-bit words at {@code dst} to {@code bits}. */
    void fill32(long dst, int bits, long n);

    /**
     * Queues C = alpha·op(A)·op(B) + beta·C for row-major matrices (C is m×n, the inner dimension
     * k), with leading dimensions their column counts, as the column-major call of {@link
     * RowMajorGemm}.
     */
    void sgemm(
            boolean transA,
            boolean transB,
            int m,
            int n,
            int k,
            float alpha,
            long a,
            int lda,
            long b,
            int ldb,
            float beta,
            long c,
            int ldc);

    /** The (emptied) arguments of the next launch. */
    KernelArgs args();

    /** Queues {@code fn} on {@code grid} blocks of {@code block} threads. */
    void launch(Fn fn, long grid, int block, KernelArgs args);

    /** Waits for everything queued. */
    void synchronize();

    /** Frees every allocation and releases the device. */
    @Override
    void close();
}
