package io.hyperrec.core.train;

import io.hyperrec.core.data.Dataset;
import io.hyperrec.core.data.IdMap;
import io.hyperrec.core.data.Interactions;
import io.hyperrec.core.eval.Evaluator;
import io.hyperrec.core.eval.Metrics;
import io.hyperrec.core.kernel.Kernels;
import io.hyperrec.core.kernel.Mat;
import io.hyperrec.core.model.TrainedModel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A periodic retrain: trains a new model on the data up to a snapshot (resuming from the training
 * checkpoint when a previous attempt crashed) and decides, by a quality gate, whether it may
 * replace the live version.
 *
 * <p>The gate compares both models on the same held-out interactions, and only on those neither has
 * trained on: the validation pairs of the new split that arrived after the live version's snapshot
 * (the caller passes them as {@code gate}). The new split's validation set as a whole would favour
 * the live model, which trained on the older part of it; the figure recorded when the live version
 * was trained measured another task, since the data moved. Users and items the live version has
 * never seen sit at the origin of the hyperboloid for it, which is how it would serve them. The new
 * model is accepted when its Recall@20 on the gate set is at least the live one's minus {@code
 * tolerance}, or when the gate set is empty (nothing new to compare on).
 */
public final class Retrainer {
    /** What a retrain produced. */
    public record Outcome(
            TrainedModel model,
            TrainResult result,
            Metrics newValidation,
            Metrics newGate,
            Metrics liveGate,
            boolean accepted,
            String reason) {}

    private final Kernels kernels;

    /** A retrainer computing on {@code kernels}. */
    public Retrainer(Kernels kernels) {
        this.kernels = kernels;
    }

    /**
     * Trains, evaluates and gates.
     *
     * @param live the live model, or null for the first version (always accepted)
     * @param gate the held-out pairs to compare on (validation pairs newer than the live model), or
     *     null for the whole validation split
     * @param tolerance how far (absolute Recall@20) the new model may fall below the live one
     */
    public Outcome run(
            Dataset data,
            TrainConfig cfg,
            float[] phase1Users,
            float[] phase1Items,
            CheckpointStore store,
            TrainListener listener,
            TrainedModel live,
            Interactions gate,
            double tolerance) {
        HyperLlmTrainer trainer = new HyperLlmTrainer(data, cfg, kernels, phase1Users, phase1Items);
        TrainResult r = trainer.train(store, listener);
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("dataset", data.name());
        md.put("variant", cfg.variant().name().toLowerCase());
        md.put("backbone", cfg.backbone().name());
        md.put("best_epoch", r.bestEpoch());
        md.put("valid_recall@20", r.bestValidation().recall20());
        md.put("valid_ndcg@20", r.bestValidation().ndcg20());
        md.put("test_recall@20", r.test().recall20());
        md.put("test_ndcg@20", r.test().ndcg20());
        md.put("kernels", kernels.name());
        TrainedModel model =
                new TrainedModel(
                        data.users(),
                        data.items(),
                        r.userEmbeddings(),
                        r.itemEmbeddings(),
                        r.dim(),
                        md);
        Metrics newValid = r.bestValidation();
        if (live == null) {
            return new Outcome(model, r, newValid, null, null, true, "first version");
        }
        Interactions held = gate == null ? data.valid() : gate;
        if (held.nnz() == 0) {
            return new Outcome(
                    model,
                    r,
                    newValid,
                    null,
                    null,
                    true,
                    "no held-out interactions newer than the live version: accepted without comparison");
        }
        Metrics newGate = evaluateOn(model, data, held);
        Metrics liveGate = evaluateOn(live, data, held);
        boolean ok = newGate.recall20() >= liveGate.recall20() - tolerance;
        String reason =
                String.format(
                        "R@20 on %d new held-out interactions of %d users: %.4f (new) vs %.4f"
                                + " (live), tolerance %.4f: %s",
                        held.nnz(),
                        newGate.users(),
                        newGate.recall20(),
                        liveGate.recall20(),
                        tolerance,
                        ok ? "accepted" : "rejected");
        return new Outcome(model, r, newValid, newGate, liveGate, ok, reason);
    }

    /** A model's validation metrics on {@code data}'s split, ids matched by name. */
    public Metrics evaluateOn(TrainedModel m, Dataset data) {
        return evaluateOn(m, data, data.valid());
    }

    /**
     * A model's metrics on {@code heldOut} (interactions of {@code data}'s users and items), with
     * {@code data}'s training interactions masked; ids matched by name.
     */
    public Metrics evaluateOn(TrainedModel m, Dataset data, Interactions heldOut) {
        int d = m.dim();
        float[] users = align(m.users(), m.userPoints(), data.users(), d);
        float[] items = align(m.items(), m.itemPoints(), data.items(), d);
        Mat um = kernels.allocate(data.users().size(), d);
        Mat im = kernels.allocate(data.items().size(), d);
        kernels.upload(users, um);
        kernels.upload(items, im);
        return new Evaluator(kernels).evaluate(um, im, data.train(), heldOut);
    }

    private static float[] align(IdMap from, float[] points, IdMap to, int d) {
        float[] out = new float[to.size() * d];
        for (int k = 0; k < to.size(); k++) {
            int row = from.indexOf(to.token(k));
            if (row >= 0) {
                System.arraycopy(points, row * d, out, k * d, d);
            } else {
                out[k * d] = 1f; // the origin of the hyperboloid
            }
        }
        return out;
    }
}
