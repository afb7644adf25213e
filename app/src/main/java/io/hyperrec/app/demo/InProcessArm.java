package io.hyperrec.app.demo;

import io.hyperrec.core.eval.Prequential;
import io.hyperrec.core.kernel.CpuKernels;
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
 * One arm of a prequential replay computed in this process from one published version, without the
 * pipeline's lag: it ranks each event's user against the version's items (seen items excluded, as
 * the store excludes them) and then either only remembers the event ({@link #see}) or also applies
 * the incremental update to the user ({@link #learn}) with {@link OnlineUpdater}, the update job's
 * code.
 *
 * <p>The frozen arm only sees; the incremental arm learns on version 1; the incremental+retrain arm
 * learns and is rebuilt on each newly published version the way the update job re-bases: users
 * start from the new version's points and the events after its snapshot are folded in again.
 *
 * <p>Not thread-safe: the replay's thread owns it.
 */
final class InProcessArm {
    private static final int K = 20;

    private final long version;
    private final TrainedModel model;
    private final ItemTable table;
    private final float[] items;
    private final int dim;
    private final Map<String, float[]> points = new HashMap<>();
    private final Map<String, float[]> momenta = new HashMap<>();
    private final Map<String, BitSet> seen = new HashMap<>();
    private final Map<String, long[]> steps = new HashMap<>();
    private final int[] popular;
    private final LorentzScorer scorer = new LorentzScorer();
    private final OnlineUpdater updater;
    // Scratch buffers reused by every ranking (the replay scores tens of thousands of events).
    private final float[] scores = new float[K];
    private final int[] fallback = new int[K];
    private final int[] negatives;

    /**
     * @param v the published version the arm starts from
     * @param online the incremental update's settings
     */
    InProcessArm(PublishedVersion v, OnlineConfig online) {
        version = v.version();
        model = TrainedModel.load(v.location());
        table = ItemTable.of(v.version(), model);
        items = model.itemPoints();
        dim = model.dim();
        popular =
                v.popularItems().stream()
                        .mapToInt(s -> model.items().indexOf(s.item()))
                        .filter(i -> i >= 0)
                        .toArray();
        updater = new OnlineUpdater(new CpuKernels(), online.withMaxBatch(1));
        negatives = new int[online.negatives()];
    }

    /** The version the arm started from. */
    long version() {
        return version;
    }

    /** Scores {@code e}: the rank of its item in the user's top-20 as the arm stands. */
    void rank(Replay.Event e, Prequential p, int[] top) {
        int target = model.items().indexOf(e.item());
        BitSet s = seen.get(e.user());
        float[] user = pointOf(e.user());
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

    /** The user's point: updated, or as the version has it, or null when it has none. */
    private float[] pointOf(String user) {
        float[] pt = points.get(user);
        if (pt != null) {
            return pt;
        }
        int row = model.users().indexOf(user);
        return row < 0 ? null : Arrays.copyOfRange(model.userPoints(), row * dim, (row + 1) * dim);
    }

    /** Remembers that the user has seen the item (it is excluded from their rankings). */
    void see(Replay.Event e) {
        int i = model.items().indexOf(e.item());
        BitSet s = seen.computeIfAbsent(e.user(), u -> new BitSet());
        if (i >= 0) {
            s.set(i);
        }
    }

    /** Applies the incremental update for {@code e}, then remembers it as seen. */
    void learn(Replay.Event e) {
        int i = model.items().indexOf(e.item());
        BitSet s = seen.computeIfAbsent(e.user(), u -> new BitSet());
        if (i < 0) {
            return;
        }
        float[] pt = points.get(e.user());
        if (pt == null) {
            pt = pointOf(e.user());
            if (pt == null) {
                // A user the version does not know starts at the tangent mean of their items.
                int[] known = s.stream().toArray();
                if (known.length == 0) {
                    known = new int[] {i};
                }
                pt = new float[dim];
                OnlineUpdater.tangentMean(table, known, known.length, pt);
            }
            points.put(e.user(), pt);
            momenta.put(e.user(), new float[dim]);
        }
        long[] count = steps.computeIfAbsent(e.user(), u -> new long[1]);
        OnlineUpdater.sampleNegatives(
                OnlineUpdater.stepSeed(e.user(), version, count[0]++),
                table.size(),
                s::get,
                negatives);
        updater.apply(
                List.of(new OnlineUpdater.Step(pt, momenta.get(e.user()), i, negatives.clone())),
                table);
        s.set(i);
    }
}
