package io.hyperrec.core.train;

import io.hyperrec.core.data.Interactions;
import io.hyperrec.core.kernel.Triples;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Draws (anchor, positive, negative) triples from a fixed list of positive pairs, with one uniform
 * negative per pair that is not a neighbour of the anchor. Anchors and positives are node indices
 * of a graph view; negatives are drawn as {@code negOffset + j}, j uniform in [0, negCount),
 * rejected while {@code excluded.contains(anchor, j)}.
 *
 * <p>{@link SamplerMode#CLEAN}: the pairs are reshuffled at the start of each epoch and split into
 * {@code stepsPerEpoch} slices, so every pair is used once per epoch. {@link SamplerMode#FAITHFUL}:
 * one shuffle at construction; batches of {@code batchSize} consecutive pairs, the last partial
 * batch of a pass dropped; each batch (with its negatives) emitted {@code repeat} times in a row;
 * the sequence runs on across epochs, with fresh negatives on every pass.
 *
 * <p>All state (the permutation, the cursor, the random generator and the current batch) is saved
 * by {@link #writeState} so that a resumed run continues exactly. Not thread-safe.
 */
public final class TripleSampler {
    private static final int MAX_REJECTIONS = 10_000;

    private final int[] pairAnchors;
    private final int[] pairPositives;
    private final Interactions excluded;
    private final int negOffset;
    private final int negCount;
    private final SamplerMode mode;
    private final int batchSize;
    private final int stepsPerEpoch;
    private final int repeat;
    private final Rng rng;
    private final int[] perm;
    private final Triples buffer;
    private int cursor;
    private int emitted;
    private int current;

    /**
     * @param pairAnchors anchor node of each positive pair
     * @param pairPositives positive node of each pair
     * @param excluded anchor × candidate pairs that may not serve as negatives
     * @param batchSize triples per step (faithful mode), an upper bound of the slice (clean mode)
     * @param stepsPerEpoch steps per epoch (clean mode slices the pairs into this many parts)
     * @param repeat consecutive uses of each batch in faithful mode (the reference: 5)
     */
    public TripleSampler(
            int[] pairAnchors,
            int[] pairPositives,
            Interactions excluded,
            int negOffset,
            int negCount,
            SamplerMode mode,
            int batchSize,
            int stepsPerEpoch,
            int repeat,
            Rng rng) {
        if (pairAnchors.length != pairPositives.length || pairAnchors.length == 0) {
            throw new IllegalArgumentException(
                    "need equally many anchors and positives, at least one, got "
                            + pairAnchors.length
                            + " and "
                            + pairPositives.length);
        }
        if (negCount <= 0 || batchSize <= 0 || stepsPerEpoch <= 0 || repeat <= 0) {
            throw new IllegalArgumentException(
                    "negCount, batchSize, stepsPerEpoch and repeat must be positive, got "
                            + negCount
                            + ", "
                            + batchSize
                            + ", "
                            + stepsPerEpoch
                            + ", "
                            + repeat);
        }
        this.pairAnchors = pairAnchors;
        this.pairPositives = pairPositives;
        this.excluded = excluded;
        this.negOffset = negOffset;
        this.negCount = negCount;
        this.mode = mode;
        this.batchSize =
                mode == SamplerMode.FAITHFUL ? Math.min(batchSize, pairAnchors.length) : batchSize;
        this.stepsPerEpoch = stepsPerEpoch;
        this.repeat = repeat;
        this.rng = rng;
        this.perm = new int[pairAnchors.length];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        int capacity =
                mode == SamplerMode.FAITHFUL
                        ? this.batchSize
                        : (pairAnchors.length + stepsPerEpoch - 1) / stepsPerEpoch;
        this.buffer = Triples.allocate(capacity);
        if (mode == SamplerMode.FAITHFUL) {
            rng.shuffle(perm, perm.length);
        }
        this.emitted = repeat; // the first call draws a batch
    }

    /** Number of distinct full batches per pass in faithful mode. */
    public int batchesPerPass() {
        return Math.max(1, pairAnchors.length / batchSize);
    }

    /**
     * The triples for one step.
     *
     * @param step the step within the epoch, 0-based (clean mode reshuffles at step 0)
     * @return a view of a reused buffer, valid until the next call
     */
    public Triples next(int step) {
        if (mode == SamplerMode.CLEAN) {
            if (step == 0) {
                rng.shuffle(perm, perm.length);
            }
            int n = pairAnchors.length;
            int from = (int) ((long) step * n / stepsPerEpoch);
            int to = (int) ((long) (step + 1) * n / stepsPerEpoch);
            current = fill(from, to);
            return buffer.withCount(current);
        }
        if (emitted >= repeat) {
            int from = cursor * batchSize;
            current = fill(from, from + batchSize);
            cursor = (cursor + 1) % batchesPerPass();
            emitted = 0;
        }
        emitted++;
        return buffer.withCount(current);
    }

    private int fill(int from, int to) {
        int count = to - from;
        int[] a = buffer.anchors();
        int[] p = buffer.positives();
        int[] ng = buffer.negatives();
        for (int q = 0; q < count; q++) {
            int e = perm[from + q];
            int anchor = pairAnchors[e];
            a[q] = anchor;
            p[q] = pairPositives[e];
            int j = rng.nextInt(negCount);
            for (int tries = 0; excluded.contains(anchor, j) && tries < MAX_REJECTIONS; tries++) {
                j = rng.nextInt(negCount);
            }
            ng[q] = negOffset + j;
        }
        return count;
    }

    /** Saves the sampler's full state. */
    public void writeState(DataOutput out) throws IOException {
        out.writeLong(rng.state());
        out.writeInt(cursor);
        out.writeInt(emitted);
        out.writeInt(current);
        out.writeInt(perm.length);
        for (int v : perm) {
            out.writeInt(v);
        }
        for (int q = 0; q < current; q++) {
            out.writeInt(buffer.anchors()[q]);
            out.writeInt(buffer.positives()[q]);
            out.writeInt(buffer.negatives()[q]);
        }
    }

    /** Restores a state saved by {@link #writeState} from a sampler built the same way. */
    public void readState(DataInput in) throws IOException {
        rng.setState(in.readLong());
        cursor = in.readInt();
        emitted = in.readInt();
        current = in.readInt();
        int n = in.readInt();
        if (n != perm.length) {
            throw new IOException(
                    "sampler state holds " + n + " pairs, this sampler has " + perm.length);
        }
        for (int i = 0; i < n; i++) {
            perm[i] = in.readInt();
        }
        for (int q = 0; q < current; q++) {
            buffer.anchors()[q] = in.readInt();
            buffer.positives()[q] = in.readInt();
            buffer.negatives()[q] = in.readInt();
        }
    }
}
