package io.hyperrec.enrichment.embed;

import io.hyperrec.enrichment.EnrichmentException;

/** Vector helpers shared by the embedders. Stateless and thread-safe. */
final class Vectors {

    private Vectors() {}

    /**
     * Scales a vector to unit L2 norm in place, accumulating in double precision.
     *
     * @param v the vector; modified
     * @param what names the vector in the error message
     * @return {@code v}
     * @throws EnrichmentException when {@code v} has a non-finite entry or norm zero
     */
    static float[] normalizeInPlace(float[] v, String what) {
        double sum = 0;
        for (float x : v) {
            if (!Float.isFinite(x)) {
                throw new EnrichmentException(what + " has a non-finite entry " + x);
            }
            sum += (double) x * x;
        }
        if (sum == 0) {
            throw new EnrichmentException(what + " is all zeros and cannot be normalised");
        }
        double inv = 1.0 / Math.sqrt(sum);
        for (int d = 0; d < v.length; d++) {
            v[d] = (float) (v[d] * inv);
        }
        return v;
    }
}
