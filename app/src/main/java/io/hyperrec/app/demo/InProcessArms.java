package io.hyperrec.app.demo;

import io.hyperrec.core.eval.Prequential;
import io.hyperrec.core.kernel.CpuKernels;
import io.hyperrec.core.kernel.Kernels;
import io.hyperrec.core.model.LorentzScorer;
import io.hyperrec.core.model.TrainedModel;
import io.hyperrec.core.online.ItemTable;
import io.hyperrec.core.online.OnlineConfig;
import io.hyperrec.core.online.OnlineUpdater;
import io.hyperrec.store.PublishedVersion;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The frozen and the incremental arm of a prequential replay, computed in this process from one
 * published version: the frozen arm ranks with the version's points as published; the incremental
 * arm applies {@link OnlineUpdater} (the update job's code) to every event, without the pipeline's
 * lag. Both exclude the items each user has seen, as the store does.
 */
public final class InProcessArms {
    private final TrainedModel model;
    private final ItemTable table;
    private final float[] items;
    private final int dim;
    private final Map<String, float[]> frozenUsers = new HashMap<>();
    private final Map<String, float[]> points = new HashMap<>();
    private final Map<String, float[]> momenta = new HashMap<>();
    private final Map<String, BitSet> seen = new HashMap<>();
    private final Map<String, long[]> steps = new HashMap<>();
    private final int[] popular;
    private final LorentzScorer scorer = new LorentzScorer();
    private final Kernels kernels = new CpuKernels();
    private final OnlineUpdater updater;
    private static final int K = 20;
    private final float[] scores = new float[K];
    private final int[] fallback = new int[K];

    /**
     * @param v1 the published version both arms start from
     * @param history the events before the replay (they fill the seen sets)
     * @param online the incremental update's settings
     */
    public InProcessArms(PublishedVersion v1, List<Replay.Event> history, OnlineConfig online) {
        model = TrainedModel.load(v1.location());
        table = ItemTable.of(v1.version(), model);
        items = model.itemPoints();
        dim = model.dim();
        for (int u = 0; u < model.users().size(); u++) {
            float[] p = Arrays.copyOfRange(model.userPoints(), u * dim, (u + 1) * dim);
            frozenUsers.put(model.users().token(u), p);
        }
        popular =
                v1.popularItems().stream()
                        .mapToInt(s -> model.items().indexOf(s.item()))
                        .filter(i -> i >= 0)
                        .toArray();
        updater = new OnlineUpdater(kernels, online.withMaxBatch(1));
        for (Replay.Event e : history) {
            int i = model.items().indexOf(e.item());
            if (i >= 0) {
                seen.computeIfAbsent(e.user(), u -> new BitSet()).set(i);
            }
        }
    }

    /** Scores {@code e} with the frozen arm. */
    public void frozen(Replay.Event e, Prequential p, int[] top) {
        rank(frozenUsers.get(e.user()), e, p, top);
    }

    /** Scores {@code e} with the incremental arm. */
    public void incremental(Replay.Event e, Prequential p, int[] top) {
        float[] pt = points.get(e.user());
        rank(pt != null ? pt : frozenUsers.get(e.user()), e, p, top);
    }

    private void rank(float[] user, Replay.Event e, Prequential p, int[] top) {
        int target = model.items().indexOf(e.item());
        BitSet s = seen.get(e.user());
        int n;
        if (user == null) {
            n = 0;
            for (int i : popular) {
                if ((s == null || !s.get(i)) && n < K) {
                    fallback[n++] = i;
                }
            }
            System.arraycopy(fallback, 0, top, 0, n);
        } else {
            int[] ex = s == null ? new int[0] : s.stream().toArray();
            n = scorer.topK(user, 0, items, table.size(), dim, K, ex, ex.length, null, top, scores);
        }
        if (target < 0) {
            p.recordMiss();
        } else {
            p.record(top, n, target);
        }
    }

    /** Applies the event to the incremental arm and to the seen sets. */
    public void learn(Replay.Event e) throws Exception {
        int i = model.items().indexOf(e.item());
        BitSet s = seen.computeIfAbsent(e.user(), u -> new BitSet());
        if (i < 0) {
            return;
        }
        float[] pt = points.get(e.user());
        if (pt == null) {
            float[] base = frozenUsers.get(e.user());
            pt = new float[dim];
            if (base != null) {
                System.arraycopy(base, 0, pt, 0, dim);
            } else {
                int[] known = s.stream().toArray();
                if (known.length == 0) {
                    known = new int[] {i};
                }
                OnlineUpdater.tangentMean(table, known, known.length, pt);
            }
            points.put(e.user(), pt);
            momenta.put(e.user(), new float[dim]);
        }
        long[] count = steps.computeIfAbsent(e.user(), u -> new long[1]);
        int[] neg = new int[updater.config().negatives()];
        OnlineUpdater.sampleNegatives(
                OnlineUpdater.stepSeed(e.user(), table.version(), count[0]++),
                table.size(),
                s::get,
                neg);
        updater.apply(List.of(new OnlineUpdater.Step(pt, momenta.get(e.user()), i, neg)), table);
        s.set(i);
    }
}
