package io.hyperrec.gpu;

/**
 * The column-major BLAS call that computes a row-major product C = op(A)·op(B) (C is m×n, the inner
 * dimension k, leading dimensions the column counts). A row-major matrix is its transpose in column
 * major, so the call computes Cᵀ = op(B)ᵀ·op(A)ᵀ: B is the first operand and A the second, m and n
 * swap, and each operand keeps its own transpose flag.
 *
 * @param transFirst whether the first operand (B) is transposed
 * @param transSecond whether the second operand (A) is transposed
 * @param m rows of the column-major result (n of the row-major product)
 * @param n columns of the column-major result (m of the row-major product)
 * @param k the inner dimension
 * @param ldFirst leading dimension of the first operand (B's column count)
 * @param ldSecond leading dimension of the second operand (A's column count)
 * @param ldc leading dimension of the result (C's column count)
 */
record RowMajorGemm(
        boolean transFirst,
        boolean transSecond,
        int m,
        int n,
        int k,
        int ldFirst,
        int ldSecond,
        int ldc) {

    /** The call for row-major C (m×n) = op(A)·op(B) with leading dimensions lda, ldb, ldc. */
    static RowMajorGemm of(
            boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc) {
        return new RowMajorGemm(transB, transA, n, m, k, ldb, lda, ldc);
    }
}
