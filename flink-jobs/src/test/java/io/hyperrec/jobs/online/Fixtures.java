package io.hyperrec.jobs.online;

import io.hyperrec.core.data.IdMap;
import io.hyperrec.core.geometry.Lorentz;
import io.hyperrec.core.model.TrainedModel;
import io.hyperrec.core.train.Rng;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small random models and event streams for the update job's tests. */
final class Fixtures {
    static final int DIM = 9;

    private Fixtures() {}

    /** A random model with users u1..u{users} and items i1..i{items}, saved under {@code dir}. */
    static String model(Path dir, long seed, int users, int items) {
        Rng rng = new Rng(seed);
        TrainedModel m =
                new TrainedModel(
                        IdMap.sequential("u", 1, users),
                        IdMap.sequential("i", 1, items),
                        points(rng, users),
                        points(rng, items),
                        DIM,
                        Map.of("seed", seed));
        Path out = dir.resolve("model-" + seed);
        m.save(out);
        return out.toString();
    }

    private static float[] points(Rng rng, int n) {
        float[] pts = new float[n * DIM];
        float[] u = new float[DIM];
        for (int i = 0; i < n; i++) {
            for (int j = 1; j < DIM; j++) {
                u[j] = (float) (rng.nextDouble() - 0.5);
            }
            Lorentz.expmap0(u, 0, pts, i * DIM, DIM);
        }
        return pts;
    }

    /**
     * {@code n} events of {@code users} users (u1.., some unknown to the model when {@code users}
     * exceeds its users) over items i1..i{items}, on partition 0 at offsets 0..n-1.
     */
    static List<UserEvent> events(long seed, int n, int users, int items) {
        Rng rng = new Rng(seed);
        List<UserEvent> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            String user = "u" + (1 + rng.nextInt(users));
            String item = "i" + (1 + rng.nextInt(items));
            out.add(new UserEvent(user, item, 1f, 1000L + k, 0, k, 5000L + k));
        }
        return out;
    }
}
