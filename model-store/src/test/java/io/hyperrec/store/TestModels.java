package io.hyperrec.store;

import io.hyperrec.core.data.IdMap;
import io.hyperrec.core.geometry.Lorentz;
import io.hyperrec.core.model.TrainedModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** Small random models on the hyperboloid and a brute-force reference ranking. */
public final class TestModels {
    private TestModels() {}

    /** A random point: expmap0 of a Gaussian tangent vector. */
    public static float[] point(Random rnd, int dim) {
        float[] u = new float[dim];
        for (int j = 1; j < dim; j++) {
            u[j] = (float) (rnd.nextGaussian() * 0.7);
        }
        float[] p = new float[dim];
        Lorentz.expmap0(u, 0, p, 0, dim);
        return p;
    }

    /** A model with users {@code u0..} and items {@code <itemPrefix>0..}. */
    public static TrainedModel random(long seed, int users, String itemPrefix, int items, int dim) {
        Random rnd = new Random(seed);
        float[] up = new float[users * dim];
        float[] ip = new float[items * dim];
        for (int r = 0; r < users; r++) {
            System.arraycopy(point(rnd, dim), 0, up, r * dim, dim);
        }
        for (int r = 0; r < items; r++) {
            System.arraycopy(point(rnd, dim), 0, ip, r * dim, dim);
        }
        return new TrainedModel(
                IdMap.sequential("u", 0, users),
                IdMap.sequential(itemPrefix, 0, items),
                up,
                ip,
                dim,
                Map.of("variant", "test", "seed", seed));
    }

    /** The point of a user of a model. */
    public static float[] userPoint(TrainedModel m, String user) {
        int r = m.users().indexOf(user);
        float[] p = new float[m.dim()];
        System.arraycopy(m.userPoints(), r * m.dim(), p, 0, m.dim());
        return p;
    }

    /** The point of an item of a model. */
    public static float[] itemPoint(TrainedModel m, String item) {
        int r = m.items().indexOf(item);
        float[] p = new float[m.dim()];
        System.arraycopy(m.itemPoints(), r * m.dim(), p, 0, m.dim());
        return p;
    }

    /** The k nearest items of {@code m} to {@code query} by a full sort, skipping {@code skip}. */
    public static List<String> bruteForce(TrainedModel m, float[] query, int k, Set<String> skip) {
        int dim = m.dim();
        List<Integer> rows = new ArrayList<>();
        double[] score = new double[m.items().size()];
        for (int r = 0; r < m.items().size(); r++) {
            if (skip.contains(m.items().token(r))) {
                continue;
            }
            score[r] = -Lorentz.sqdist(query, 0, m.itemPoints(), r * dim, dim);
            rows.add(r);
        }
        rows.sort(Comparator.comparingDouble((Integer r) -> -score[r]));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, rows.size()); i++) {
            out.add(m.items().token(rows.get(i)));
        }
        return out;
    }
}
