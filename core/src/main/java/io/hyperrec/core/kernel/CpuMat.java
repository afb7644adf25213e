package io.hyperrec.core.kernel;

/**
 * A {@link Mat} in a Java float array: rows {@code [offset, offset + rows)} of a row-major array
 * with {@code cols} columns. Not thread-safe; the kernels that use it parallelise internally.
 */
public final class CpuMat implements Mat {
    private final float[] data;
    private final int rowOffset;
    private final int rows;
    private final int cols;

    /** A new zeroed matrix. */
    public CpuMat(int rows, int cols) {
        this(new float[checkedSize(rows, cols)], 0, rows, cols);
    }

    /** A matrix over an existing array (not copied). */
    public CpuMat(float[] data, int rows, int cols) {
        this(data, 0, rows, cols);
    }

    private CpuMat(float[] data, int rowOffset, int rows, int cols) {
        if ((long) (rowOffset + rows) * cols > data.length) {
            throw new IllegalArgumentException(
                    "array of length " + data.length + " is too short for " + rows + "x" + cols);
        }
        this.data = data;
        this.rowOffset = rowOffset;
        this.rows = rows;
        this.cols = cols;
    }

    private static int checkedSize(int rows, int cols) {
        if (rows < 0 || cols <= 0) {
            throw new IllegalArgumentException(
                    "matrix shape must be rows >= 0, cols > 0, got " + rows + "x" + cols);
        }
        long n = (long) rows * cols;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("matrix " + rows + "x" + cols + " is too large");
        }
        return (int) n;
    }

    /** The backing array; the matrix starts at {@link #offset()}. */
    public float[] data() {
        return data;
    }

    /** Offset of element (0,0) in {@link #data()}. */
    public int offset() {
        return rowOffset * cols;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public CpuMat slice(int from, int to) {
        if (from < 0 || to < from || to > rows) {
            throw new IllegalArgumentException(
                    "slice [" + from + ", " + to + ") is outside [0, " + rows + ")");
        }
        return new CpuMat(data, rowOffset + from, to - from, cols);
    }

    /** Element (r, c). */
    public float get(int r, int c) {
        return data[offset() + r * cols + c];
    }

    /** Casts a {@link Mat} to a CpuMat, naming the implementation that owns it otherwise. */
    static CpuMat of(Mat m) {
        if (m instanceof CpuMat c) {
            return c;
        }
        throw new IllegalArgumentException(
                "expected a matrix of the CPU kernels, got " + m.getClass().getName());
    }
}
