package io.hyperrec.core.coldstart;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.inverse.InvertMatrix;

/**
 * Ridge regression with an unpenalised bias, in double on ND4J: W = (XᵀX + λI)⁻¹ XᵀY over centred X
 * and Y, bias = ȳ − Wᵀx̄. Sizes here are small (p ≤ a few hundred features, q = the embedding
 * dimension), so the normal equations are solved directly.
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
        INDArray xm = Nd4j.create(xc, new long[] {n, p}, DataType.DOUBLE);
        INDArray ym = Nd4j.create(yc, new long[] {n, q}, DataType.DOUBLE);
        INDArray xtx = xm.transpose().mmul(xm);
        // A tiny floor keeps the system invertible when λ = 0 and a feature is constant.
        INDArray reg = Nd4j.eye(p).castTo(DataType.DOUBLE).muli(Math.max(lambda, 1e-9));
        INDArray w = InvertMatrix.invert(xtx.addi(reg), false).mmul(xm.transpose().mmul(ym));
        double[][] wm = w.toDoubleMatrix(); // p×q whatever the result's storage order
        double[] wv = new double[p * q];
        for (int i = 0; i < p; i++) {
            System.arraycopy(wm[i], 0, wv, i * q, q);
        }
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
