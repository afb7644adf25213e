package io.hyperrec.core.kernel;

import java.util.Arrays;

/**
 * An immutable sparse float matrix in compressed-sparse-row form (columns sorted within a row,
 * duplicates summed). Used for the normalised propagation matrices of the graph views.
 */
public final class CsrMatrix {
    private final int rows;
    private final int cols;
    private final int[] rowPtr;
    private final int[] colIdx;
    private final float[] values;

    /**
     * Wraps CSR arrays (not copied; callers must not modify them afterwards).
     *
     * @throws IllegalArgumentException if the arrays are inconsistent
     */
    public CsrMatrix(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values) {
        if (rowPtr.length != rows + 1 || rowPtr[0] != 0 || rowPtr[rows] != colIdx.length) {
            throw new IllegalArgumentException(
                    "rowPtr must have rows+1="
                            + (rows + 1)
                            + " entries from 0 to nnz="
                            + colIdx.length
                            + ", got length "
                            + rowPtr.length);
        }
        if (colIdx.length != values.length) {
            throw new IllegalArgumentException(
                    "colIdx and values differ in length: "
                            + colIdx.length
                            + " vs "
                            + values.length);
        }
        this.rows = rows;
        this.cols = cols;
        this.rowPtr = rowPtr;
        this.colIdx = colIdx;
        this.values = values;
    }

    /**
     * Builds a matrix from coordinate entries; duplicates are summed.
     *
     * @param r row of each entry
     * @param c column of each entry
     * @param v value of each entry (null means 1 for every entry)
     */
    public static CsrMatrix fromCoo(int rows, int cols, int[] r, int[] c, float[] v, int count) {
        int[] counts = new int[rows + 1];
        for (int e = 0; e < count; e++) {
            if (r[e] < 0 || r[e] >= rows || c[e] < 0 || c[e] >= cols) {
                throw new IllegalArgumentException(
                        "entry (" + r[e] + ", " + c[e] + ") outside " + rows + "x" + cols);
            }
            counts[r[e] + 1]++;
        }
        for (int i = 0; i < rows; i++) {
            counts[i + 1] += counts[i];
        }
        int[] fill = Arrays.copyOf(counts, rows);
        long[] keyed = new long[count];
        float[] tmpV = new float[count];
        int[] order = new int[count];
        for (int e = 0; e < count; e++) {
            order[fill[r[e]]++] = e;
        }
        // Sort each row by column, then merge duplicates.
        int[] outPtr = new int[rows + 1];
        int[] outCol = new int[count];
        float[] outVal = new float[count];
        int nnz = 0;
        for (int i = 0; i < rows; i++) {
            int from = counts[i];
            int to = counts[i + 1];
            for (int k = from; k < to; k++) {
                int e = order[k];
                keyed[k] = ((long) c[e] << 32) | (k - from);
                tmpV[k] = v == null ? 1f : v[e];
            }
            float[] rowVals = Arrays.copyOfRange(tmpV, from, to);
            Arrays.sort(keyed, from, to);
            int prev = -1;
            for (int k = from; k < to; k++) {
                int col = (int) (keyed[k] >>> 32);
                float val = rowVals[(int) (keyed[k] & 0xffffffffL)];
                if (col == prev) {
                    outVal[nnz - 1] += val;
                } else {
                    outCol[nnz] = col;
                    outVal[nnz] = val;
                    nnz++;
                    prev = col;
                }
            }
            outPtr[i + 1] = nnz;
        }
        return new CsrMatrix(
                rows, cols, outPtr, Arrays.copyOf(outCol, nnz), Arrays.copyOf(outVal, nnz));
    }

    /** D⁻¹(A + I): adds the identity and divides each row by its sum (rows summing to 0 stay 0). */
    public CsrMatrix plusIdentityRowNormalized() {
        if (rows != cols) {
            throw new IllegalStateException("matrix must be square, got " + rows + "x" + cols);
        }
        int n = colIdx.length + rows;
        int[] r = new int[n];
        int[] c = new int[n];
        float[] v = new float[n];
        int e = 0;
        for (int i = 0; i < rows; i++) {
            for (int k = rowPtr[i]; k < rowPtr[i + 1]; k++) {
                r[e] = i;
                c[e] = colIdx[k];
                v[e++] = values[k];
            }
            r[e] = i;
            c[e] = i;
            v[e++] = 1f;
        }
        CsrMatrix m = fromCoo(rows, cols, r, c, v, n);
        for (int i = 0; i < rows; i++) {
            double sum = 0;
            for (int k = m.rowPtr[i]; k < m.rowPtr[i + 1]; k++) {
                sum += m.values[k];
            }
            float inv = sum == 0 ? 0f : (float) (1.0 / sum);
            for (int k = m.rowPtr[i]; k < m.rowPtr[i + 1]; k++) {
                m.values[k] *= inv;
            }
        }
        return m;
    }

    /** The transpose, as a new CSR matrix. */
    public CsrMatrix transpose() {
        int nnz = colIdx.length;
        int[] ptr = new int[cols + 1];
        for (int k = 0; k < nnz; k++) {
            ptr[colIdx[k] + 1]++;
        }
        for (int j = 0; j < cols; j++) {
            ptr[j + 1] += ptr[j];
        }
        int[] fill = Arrays.copyOf(ptr, cols);
        int[] tc = new int[nnz];
        float[] tv = new float[nnz];
        for (int i = 0; i < rows; i++) {
            for (int k = rowPtr[i]; k < rowPtr[i + 1]; k++) {
                int p = fill[colIdx[k]]++;
                tc[p] = i;
                tv[p] = values[k];
            }
        }
        return new CsrMatrix(cols, rows, ptr, tc, tv);
    }

    /** Number of rows. */
    public int rows() {
        return rows;
    }

    /** Number of columns. */
    public int cols() {
        return cols;
    }

    /** Number of stored entries. */
    public int nnz() {
        return colIdx.length;
    }

    /** Row pointers (must not be modified). */
    public int[] rowPtr() {
        return rowPtr;
    }

    /** Column indices (must not be modified). */
    public int[] colIdx() {
        return colIdx;
    }

    /** Values (must not be modified). */
    public float[] values() {
        return values;
    }
}
