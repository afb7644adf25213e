package io.hyperrec.core.data;

import java.util.Arrays;

/**
 * Interactions collected one at a time (from a stream) and turned into a {@link Dataset} when
 * complete: the retrain's view of everything in {@code interactions} up to its snapshot. Ids are
 * assigned in order of first appearance; repeated (user, item) pairs are kept here and dropped by
 * the split, which keeps the first occurrence.
 */
public final class InteractionLog {
    private final IdMap.Builder users = IdMap.builder();
    private final IdMap.Builder items = IdMap.builder();
    private int[] u = new int[1024];
    private int[] i = new int[1024];
    private double[] t = new double[1024];
    private boolean[] fresh = new boolean[1024];
    private int n;

    /** Appends one interaction at time {@code time} (any monotone clock, e.g. epoch ms). */
    public void add(String user, String item, double time) {
        add(user, item, time, false);
    }

    /**
     * Appends one interaction.
     *
     * @param fresh whether the interaction is newer than the live model (it arrived after the
     *     snapshot the live model was trained on): {@link #freshPairs} selects these
     */
    public void add(String user, String item, double time, boolean fresh) {
        if (n == u.length) {
            u = Arrays.copyOf(u, n * 2);
            i = Arrays.copyOf(i, n * 2);
            t = Arrays.copyOf(t, n * 2);
            this.fresh = Arrays.copyOf(this.fresh, n * 2);
        }
        u[n] = users.add(user);
        i[n] = items.add(item);
        t[n] = time;
        this.fresh[n] = fresh;
        n++;
    }

    /**
     * The pairs of {@code of} (e.g. a validation split of {@link #toDataset}) whose first
     * occurrence in the log was fresh: interactions no model trained before the snapshot has seen.
     * A retrain's quality gate compares the live and the new model on these.
     *
     * @param data the dataset {@link #toDataset} built from this log
     * @param of interactions of {@code data} (same users and items)
     */
    public Interactions freshPairs(Dataset data, Interactions of) {
        int ni = data.items().size();
        LongHashSet seen = new LongHashSet(n);
        LongHashSet freshFirst = new LongHashSet(n);
        int[] uf = users.finalIndices();
        int[] itf = items.finalIndices();
        for (int k = 0; k < n; k++) {
            long key = (long) uf[u[k]] * ni + itf[i[k]];
            if (seen.add(key) && fresh[k]) {
                freshFirst.add(key);
            }
        }
        int[] pu = of.pairUsers();
        int[] pi = of.pairItems();
        int m = 0;
        int[] ku = new int[pu.length];
        int[] ki = new int[pu.length];
        for (int k = 0; k < pu.length; k++) {
            if (freshFirst.contains((long) pu[k] * ni + pi[k])) {
                ku[m] = pu[k];
                ki[m++] = pi[k];
            }
        }
        return Interactions.fromPairs(
                of.numUsers(), of.numItems(), Arrays.copyOf(ku, m), Arrays.copyOf(ki, m));
    }

    /** Interactions appended so far. */
    public int size() {
        return n;
    }

    /**
     * The dataset of everything appended, split by {@code split}.
     *
     * @param name the dataset name (no path separators)
     * @param seed the split seed
     * @throws IllegalArgumentException when nothing was appended
     */
    public Dataset toDataset(String name, Split split, long seed) {
        if (n == 0) {
            throw new IllegalArgumentException(
                    "no interactions to build dataset " + name + " from");
        }
        IdMap userIds = users.build();
        int[] uf = users.finalIndices();
        IdMap itemIds = items.build();
        int[] itf = items.finalIndices();
        int[] uu = new int[n];
        int[] ii = new int[n];
        for (int k = 0; k < n; k++) {
            uu[k] = uf[u[k]];
            ii[k] = itf[i[k]];
        }
        Split.Result r = split.apply(userIds.size(), itemIds, uu, ii, Arrays.copyOf(t, n), seed);
        return new Dataset(name, userIds, itemIds, r.train(), r.valid(), r.test(), null, null);
    }
}
