package io.hyperrec.core.online;

import io.hyperrec.core.geometry.Lorentz;
import io.hyperrec.core.kernel.Kernels;
import io.hyperrec.core.kernel.Mat;
import io.hyperrec.core.kernel.Triples;
import io.hyperrec.core.train.Rng;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Applies incremental user updates in micro-batches through {@link Kernels}: for each {@link Step}
 * one Riemannian SGD step (with the user's own momentum buffer) on the margin loss of the
 * interacted item against sampled negatives, with the item points held fixed. This is the trainer's
 * geometry and optimiser ({@link Kernels#marginLoss}, {@link Kernels#rsgdStep}) applied to one user
 * row at a time.
 *
 * <p>The result for a user depends only on its own step (point, momentum, positive, negatives),
 * never on which other users share the batch: the margin kernel accumulates an anchor's gradient
 * over its own triples in order and the optimiser works row by row. So a replay cut into other
 * batches (after a restore, or with another batch size) produces the same embeddings bit for bit.
 * The steps of one call must belong to distinct users; a user's later events go in a later call.
 *
 * <p>Not thread-safe: one instance per streaming subtask, like its kernels.
 */
public final class OnlineUpdater implements AutoCloseable {
    private final Kernels kernels;
    private final OnlineConfig config;
    private Mat h;
    private Mat gh;
    private Mat buf;
    private int dim = -1;
    private float[] hostH = new float[0];
    private float[] hostBuf = new float[0];
    private final Triples triples;

    /**
     * @param kernels the kernels to run on (owned by the caller, who closes them)
     * @param config the step settings
     */
    public OnlineUpdater(Kernels kernels, OnlineConfig config) {
        this.kernels = kernels;
        this.config = config;
        this.triples = Triples.allocate(config.maxBatch() * config.negatives());
    }

    /** The settings. */
    public OnlineConfig config() {
        return config;
    }

    /**
     * One user's step: the user's point and momentum (updated in place), the row of the positive
     * item and the rows of the negatives in the item table.
     */
    public static final class Step {
        /** The user's point, d+1 coordinates; updated in place. */
        public final float[] point;

        /** The user's momentum buffer, d+1 coordinates; updated in place. */
        public final float[] momentum;

        /** Row of the interacted item. */
        public final int positive;

        /** Rows of the sampled negatives (length = the config's negatives). */
        public final int[] negatives;

        /** Creates a step; the arrays are used in place. */
        public Step(float[] point, float[] momentum, int positive, int[] negatives) {
            if (point.length != momentum.length) {
                throw new IllegalArgumentException(
                        "point and momentum differ in length: "
                                + point.length
                                + " vs "
                                + momentum.length);
            }
            this.point = point;
            this.momentum = momentum;
            this.positive = positive;
            this.negatives = negatives;
        }
    }

    /**
     * Applies every step (each to a distinct user), in batches of at most {@code maxBatch}.
     *
     * @return the summed margin loss before the steps
     */
    public double apply(List<Step> steps, ItemTable items) {
        int d = items.dim();
        ensureCapacity(d);
        double loss = 0;
        int m = config.negatives();
        for (int from = 0; from < steps.size(); from += config.maxBatch()) {
            int b = Math.min(config.maxBatch(), steps.size() - from);
            // Rows: the b users, then per user its positive followed by its m negatives.
            int rows = b * (2 + m);
            int[] anchors = triples.anchors();
            int[] positives = triples.positives();
            int[] negatives = triples.negatives();
            for (int j = 0; j < b; j++) {
                Step s = steps.get(from + j);
                if (s.point.length != d || s.negatives.length != m) {
                    throw new IllegalArgumentException(
                            "step "
                                    + (from + j)
                                    + ": expected a point of "
                                    + d
                                    + " coordinates and "
                                    + m
                                    + " negatives, got "
                                    + s.point.length
                                    + " and "
                                    + s.negatives.length);
                }
                System.arraycopy(s.point, 0, hostH, j * d, d);
                System.arraycopy(s.momentum, 0, hostBuf, j * d, d);
                int itemRow = b + j * (1 + m);
                items.copyPoint(s.positive, hostH, itemRow * d);
                for (int t = 0; t < m; t++) {
                    items.copyPoint(s.negatives[t], hostH, (itemRow + 1 + t) * d);
                    int e = j * m + t;
                    anchors[e] = j;
                    positives[e] = itemRow;
                    negatives[e] = itemRow + 1 + t;
                }
            }
            Mat hs = h.slice(0, rows);
            Mat gs = gh.slice(0, rows);
            Mat users = h.slice(0, b);
            Mat userGrad = gh.slice(0, b);
            Mat userBuf = buf.slice(0, b);
            kernels.upload(hostH, hs);
            kernels.upload(hostBuf, userBuf);
            kernels.fill(gs, 0f);
            loss += kernels.marginLoss(hs, triples.withCount(b * m), config.margin(), gs);
            kernels.rsgdStep(
                    users,
                    userGrad,
                    userBuf,
                    false,
                    config.lr(),
                    config.momentum(),
                    config.weightDecay());
            kernels.download(users, hostH);
            kernels.download(userBuf, hostBuf);
            for (int j = 0; j < b; j++) {
                Step s = steps.get(from + j);
                System.arraycopy(hostH, j * d, s.point, 0, d);
                System.arraycopy(hostBuf, j * d, s.momentum, 0, d);
            }
        }
        return loss;
    }

    private void ensureCapacity(int d) {
        if (d == dim) {
            return;
        }
        releaseMats();
        int maxRows = config.maxBatch() * (2 + config.negatives());
        h = kernels.allocate(maxRows, d);
        gh = kernels.allocate(maxRows, d);
        buf = kernels.allocate(config.maxBatch(), d);
        hostH = new float[maxRows * d];
        hostBuf = new float[config.maxBatch() * d];
        dim = d;
    }

    private void releaseMats() {
        h = null;
        gh = null;
        buf = null;
    }

    /**
     * Samples {@code out.length} negatives uniformly from {@code [0, itemCount)}, skipping rows for
     * which {@code excluded} holds (a bounded number of tries, then accepting the draw, so that a
     * user who has seen most of a tiny catalogue still gets negatives). Deterministic in the seed,
     * so a replay draws the same negatives.
     */
    public static void sampleNegatives(long seed, int itemCount, IntPredicate excluded, int[] out) {
        if (itemCount <= 0) {
            throw new IllegalArgumentException("cannot sample negatives from an empty item table");
        }
        Rng rng = new Rng(seed);
        for (int t = 0; t < out.length; t++) {
            int pick = rng.nextInt(itemCount);
            for (int tries = 0; tries < 16 && excluded.test(pick); tries++) {
                pick = rng.nextInt(itemCount);
            }
            out[t] = pick;
        }
    }

    /**
     * A seed for one user step: mixes the user id, the model version and the user's event count
     * (SplitMix64 finaliser), so every step of every user draws its own negatives.
     */
    public static long stepSeed(String user, long version, long eventCount) {
        long z = user.hashCode() * 0x9E3779B97F4A7C15L ^ version * 0xBF58476D1CE4E5B9L ^ eventCount;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * The tangent mean of item points: expmap0 of the mean of their logmap0 images. This is where a
     * user without a trained embedding starts.
     *
     * @param rows item rows (at least one)
     * @param out receives the point (d+1 coordinates)
     */
    public static void tangentMean(ItemTable items, int[] rows, int count, float[] out) {
        if (count <= 0) {
            throw new IllegalArgumentException("the tangent mean needs at least one item");
        }
        int d = items.dim();
        float[] p = new float[d];
        double[] sum = new double[d];
        for (int i = 0; i < count; i++) {
            items.copyPoint(rows[i], p, 0);
            Lorentz.logmap0(p, 0, p, 0, d);
            for (int j = 1; j < d; j++) {
                sum[j] += p[j];
            }
        }
        float[] u = new float[d];
        for (int j = 1; j < d; j++) {
            u[j] = (float) (sum[j] / count);
        }
        Lorentz.expmap0(u, 0, out, 0, d);
    }

    /** Drops the references to the kernel matrices; the kernels themselves belong to the caller. */
    @Override
    public void close() {
        releaseMats();
    }
}
