package io.hyperrec.gpu;

import io.hyperrec.core.kernel.Mat;

/**
 * A {@link Mat} in device memory: {@code rows x cols} floats, row-major, from device address {@code
 * ptr}. A slice is an address inside its parent's allocation, which {@link CudaKernels} frees when
 * it closes. Immutable.
 */
final class CudaMat implements Mat {
    final CudaKernels owner;
    final long ptr;
    private final int rows;
    private final int cols;

    CudaMat(CudaKernels owner, long ptr, int rows, int cols) {
        this.owner = owner;
        this.ptr = ptr;
        this.rows = rows;
        this.cols = cols;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    /** Number of elements. */
    long size() {
        return (long) rows * cols;
    }

    /** Size in bytes. */
    long bytes() {
        return 4 * size();
    }

    @Override
    public CudaMat slice(int from, int to) {
        if (from < 0 || to < from || to > rows) {
            throw new IllegalArgumentException(
                    "slice [" + from + ", " + to + ") is outside [0, " + rows + ")");
        }
        return new CudaMat(owner, ptr + 4L * from * cols, to - from, cols);
    }

    @Override
    public String toString() {
        return "CudaMat " + rows + "x" + cols;
    }
}
