package io.hyperrec.core.kernel;

/** A sparse matrix (and its transpose) owned by one {@link Kernels} implementation. */
public interface SparseMat {
    /** Number of rows. */
    int rows();

    /** Number of columns. */
    int cols();
}
