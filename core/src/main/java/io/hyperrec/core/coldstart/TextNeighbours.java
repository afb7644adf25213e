package io.hyperrec.core.coldstart;

/**
 * Text placement by neighbours: a new item goes to the similarity-weighted mean tangent vector of
 * the {@code k} warm items whose text embeddings are most similar (cosine) to its own. Unlike a
 * linear map it does not shrink placements towards the mean of the catalogue.
 */
final class TextNeighbours {
    final int k;
    final int p;
    final int d;
    final float[] text; // n×p, L2-normalised rows
    final float[] tangent; // n×d

    TextNeighbours(int k, int p, int d, float[] text, float[] tangent) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        this.k = k;
        this.p = p;
        this.d = d;
        this.text = text;
        this.tangent = tangent;
    }

    /** From the rows {@code rows} of {@code x} (texts) and {@code y} (tangents). */
    static TextNeighbours of(int k, float[][] x, float[][] y, int[] rows) {
        int p = x[rows[0]].length;
        int d = y[rows[0]].length;
        float[] t = new float[rows.length * p];
        float[] g = new float[rows.length * d];
        for (int r = 0; r < rows.length; r++) {
            float[] v = x[rows[r]];
            double n = 0;
            for (float f : v) {
                n += f * f;
            }
            double s = n > 0 ? 1 / Math.sqrt(n) : 0;
            for (int j = 0; j < p; j++) {
                t[r * p + j] = (float) (v[j] * s);
            }
            System.arraycopy(y[rows[r]], 0, g, r * d, d);
        }
        return new TextNeighbours(k, p, d, t, g);
    }

    int size() {
        return text.length / p;
    }

    /** Writes the placement tangent of {@code query} into {@code out} (length d). */
    void apply(float[] query, double[] out) {
        double qn = 0;
        for (float f : query) {
            qn += f * f;
        }
        double qs = qn > 0 ? 1 / Math.sqrt(qn) : 0;
        int n = size();
        int kk = Math.min(k, n);
        double[] best = new double[kk];
        int[] idx = new int[kk];
        java.util.Arrays.fill(best, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            double s = 0;
            int o = i * p;
            for (int j = 0; j < p; j++) {
                s += query[j] * text[o + j];
            }
            s *= qs;
            if (s > best[kk - 1]) {
                int at = kk - 1;
                while (at > 0 && best[at - 1] < s) {
                    best[at] = best[at - 1];
                    idx[at] = idx[at - 1];
                    at--;
                }
                best[at] = s;
                idx[at] = i;
            }
        }
        java.util.Arrays.fill(out, 0);
        double wsum = 0;
        for (int r = 0; r < kk; r++) {
            double w = Math.max(best[r], 0) + 1e-6;
            wsum += w;
            for (int j = 0; j < d; j++) {
                out[j] += w * tangent[idx[r] * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            out[j] /= wsum;
        }
    }
}
