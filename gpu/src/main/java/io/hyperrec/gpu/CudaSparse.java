package io.hyperrec.gpu;

import io.hyperrec.core.kernel.SparseMat;

/**
 * A CSR matrix and its transpose in device memory: row pointers, column indices and values of each,
 * as device addresses.
 */
record CudaSparse(
        CudaKernels owner,
        int rows,
        int cols,
        long ptr,
        long col,
        long val,
        long tPtr,
        long tCol,
        long tVal)
        implements SparseMat {}
