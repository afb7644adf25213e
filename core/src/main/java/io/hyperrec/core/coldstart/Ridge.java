package io.hyperrec.core.coldstart;

/**
 * Ridge regression with an unpenalised bias, in double: W = (XᵀX + λI)⁻¹ XᵀY over centred X and Y,
 * bias = ȳ − Wᵀx̄. Sizes here are small (p ≤ a few hundred features, q = the embedding dimension),
 * so the normal equations are solved directly by Cholesky. Plain Java rather than ND4J: this runs
 * inside Flink tasks, where ND4J's lazily initialised services load through the first job's class
 * loader and fail once that job has ended ("Trying to access closed classloader").
 */
final class Ridge {
    /** A fitted linear map y = Wᵀx + b. */
    record Fit(int p, int q, double[] w, double[] bias) {
        /** Applies the map to {@code x} (length p) into {@code out} (length q). */
        void apply(float[] x, double[] out) {
            for (int j = 0; j < q; j++) {
                double s = bias[j];
                for (int i = 0; i < p; i++) {
                    s += x[i] * w[i * q + j];
                }
                out[j] = s;
            }
        }
    }

    private Ridge() {}

    /** Solves A X = B for symmetric positive definite A (p×p) and B (p×q) by Cholesky. */
    static double[] solveSpd(double[] a, double[] b, int p, int q) {
        double[] l = new double[p * p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * p + j];
                for (int k = 0; k < j; k++) {
                    s -= l[i * p + k] * l[j * p + k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalStateException(
                                "the ridge system is not positive definite at row " + i);
                    }
                    l[i * p + i] = Math.sqrt(s);
                } else {
                    l[i * p + j] = s / l[j * p + j];
                }
            }
        }
        double[] x = b.clone();
        for (int c = 0; c < q; c++) {
            for (int i = 0; i < p; i++) { // L y = b
                double s = x[i * q + c];
                for (int k = 0; k < i; k++) {
                    s -= l[i * p + k] * x[k * q + c];
                }
                x[i * q + c] = s / l[i * p + i];
            }
            for (int i = p - 1; i >= 0; i--) { // Lᵀ x = y
                double s = x[i * q + c];
                for (int k = i + 1; k < p; k++) {
                    s -= l[k * p + i] * x[k * q + c];
                }
                x[i * q + c] = s / l[i * p + i];
            }
        }
        return x;
    }

    /**
     * Fits rows {@code rows} of {@code x} (n×p, row-major) to the same rows of {@code y} (n×q).
     *
     * @param lambda the penalty on W (not on the bias), ≥ 0
     */
    static Fit fit(float[][] x, float[][] y, int[] rows, double lambda) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("ridge regression needs at least one row");
        }
        if (!(lambda >= 0)) {
            throw new IllegalArgumentException("lambda must be >= 0, got " + lambda);
        }
        int p = x[rows[0]].length;
        int q = y[rows[0]].length;
        int n = rows.length;
        double[] mx = new double[p];
        double[] my = new double[q];
        for (int r : rows) {
            for (int i = 0; i < p; i++) {
                mx[i] += x[r][i];
            }
            for (int j = 0; j < q; j++) {
                my[j] += y[r][j];
            }
        }
        for (int i = 0; i < p; i++) {
            mx[i] /= n;
        }
        for (int j = 0; j < q; j++) {
            my[j] /= n;
        }
        double[] xc = new double[n * p];
        double[] yc = new double[n * q];
        for (int k = 0; k < n; k++) {
            int r = rows[k];
            for (int i = 0; i < p; i++) {
                xc[k * p + i] = x[r][i] - mx[i];
            }
            for (int j = 0; j < q; j++) {
                yc[k * q + j] = y[r][j] - my[j];
            }
        }
        // Normal equations (XᵀX + λI) W = XᵀY, solved by Cholesky (the matrix is SPD).
        double[] a = new double[p * p];
        double[] rhs = new double[p * q];
        for (int k = 0; k < n; k++) {
            int xo = k * p;
            int yo = k * q;
            for (int i = 0; i < p; i++) {
                double xi = xc[xo + i];
                if (xi == 0) {
                    continue;
                }
                for (int j = i; j < p; j++) {
                    a[i * p + j] += xi * xc[xo + j];
                }
                for (int j = 0; j < q; j++) {
                    rhs[i * q + j] += xi * yc[yo + j];
                }
            }
        }
        // A tiny floor keeps the system positive definite when λ = 0 and a feature is constant.
        double reg = Math.max(lambda, 1e-9);
        for (int i = 0; i < p; i++) {
            a[i * p + i] += reg;
            for (int j = 0; j < i; j++) {
                a[i * p + j] = a[j * p + i];
            }
        }
        double[] wv = solveSpd(a, rhs, p, q);
        double[] bias = new double[q];
        for (int j = 0; j < q; j++) {
            double s = my[j];
            for (int i = 0; i < p; i++) {
                s -= mx[i] * wv[i * q + j];
            }
            bias[j] = s;
        }
        return new Fit(p, q, wv, bias);
    }
}
