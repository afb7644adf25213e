package io.hyperrec.bench;

import io.hyperrec.core.data.IdMap;
import io.hyperrec.core.geometry.Lorentz;
import io.hyperrec.core.model.TrainedModel;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random models of a given shape for the whole-process benchmarks: throughput and latency depend on
 * the shapes (users, items, coordinates), not on what the points mean, so no training is needed.
 */
final class RandomModels {
    private RandomModels() {}

    /**
     * A model with users {@code u1..u<users>} and items {@code i1..i<items>} whose points are
     * expmap₀ of tangent vectors uniform in [-0.5, 0.5) per spatial coordinate (the test fixtures'
     * recipe, OnlineJobFixtures).
     *
     * @param dim ambient dimension (time coordinate first), at least 2
     */
    static TrainedModel random(long seed, int users, int items, int dim) {
        if (dim < 2) {
            throw new IllegalArgumentException("dim must be at least 2, got " + dim);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        return new TrainedModel(
                IdMap.sequential("u", 1, users),
                IdMap.sequential("i", 1, items),
                points(rnd, users, dim),
                points(rnd, items, dim),
                dim,
                Map.of("seed", seed, "kind", "random benchmark model"));
    }

    private static float[] points(SplittableRandom rnd, int n, int dim) {
        float[] pts = new float[Math.multiplyExact(n, dim)];
        float[] u = new float[dim];
        for (int i = 0; i < n; i++) {
            for (int j = 1; j < dim; j++) {
                u[j] = (float) (rnd.nextDouble() - 0.5);
            }
            Lorentz.expmap0(u, 0, pts, i * dim, dim);
        }
        return pts;
    }
}
