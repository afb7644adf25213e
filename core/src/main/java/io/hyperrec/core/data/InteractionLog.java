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
    private int n;

    /** Appends one interaction at time {@code time} (any monotone clock, e.g. epoch ms). */
    public void add(String user, String item, double time) {
        if (n == u.length) {
            u = Arrays.copyOf(u, n * 2);
            i = Arrays.copyOf(i, n * 2);
            t = Arrays.copyOf(t, n * 2);
        }
        u[n] = users.add(user);
        i[n] = items.add(item);
        t[n] = time;
        n++;
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
