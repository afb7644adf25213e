package io.hyperrec.core.kernel;

/**
 * A dense row-major float matrix owned by one {@link Kernels} implementation (host memory for the
 * CPU kernels, device memory for a GPU implementation). Only the kernels that created it may read
 * or write it; move data in and out with {@link Kernels#upload} and {@link Kernels#download}.
 */
public interface Mat {
    /** Number of rows. */
    int rows();

    /** Number of columns. */
    int cols();

    /**
     * A view of rows {@code [from, to)} sharing storage with this matrix.
     *
     * @throws IllegalArgumentException if the range is not within {@code [0, rows()]}
     */
    Mat slice(int from, int to);
}
