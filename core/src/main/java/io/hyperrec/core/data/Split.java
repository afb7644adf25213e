package io.hyperrec.core.data;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * How to split one list of (user, item) interactions into train, validation and test sets, per
 * user. Duplicate pairs are dropped first, keeping the first occurrence in input order. Users with
 * fewer than 3 distinct items keep all of them in train.
 *
 * <p>Both strategies are deterministic: the same input (including its order) and seed give the same
 * result. The enum constants are immutable and thread-safe.
 */
public enum Split {

    /**
     * Per-user random 8:1:1 split as in the HyperLLM paper: each user's items (in input order) are
     * shuffled with one {@link SplittableRandom} seeded with the seed and consumed user by user in
     * index order; for a user with {@code n >= 3} items, the first {@code max(1, floor(0.1 n))}
     * shuffled items go to test, the next as many to validation, the rest to train.
     */
    RANDOM_811,

    /**
     * Per-user leave-one-out by time: each user's interactions are ordered by their order key
     * (timestamp or sequence number), ties broken by item token in {@link IdMap#TOKEN_ORDER} (or by
     * item index when no item map is given), then by input position; the last goes to test, the
     * second last to validation, the rest to train. The seed is ignored.
     */
    LEAVE_ONE_OUT;

    /** Users with fewer interactions than this keep all of them in train. */
    public static final int MIN_INTERACTIONS_TO_SPLIT = 3;

    /**
     * The three parts of a split, all over the same users and items. Immutable and thread-safe.
     *
     * @param train training interactions; not null
     * @param valid validation interactions; not null
     * @param test test interactions; not null
     */
    public record Result(Interactions train, Interactions valid, Interactions test) {

        /**
         * Validates that the parts are non-null and have the same shape.
         *
         * @throws IllegalArgumentException naming the mismatching shapes
         */
        public Result {
            Objects.requireNonNull(train, "train");
            Objects.requireNonNull(valid, "valid");
            Objects.requireNonNull(test, "test");
            for (Interactions m : new Interactions[] {valid, test}) {
                if (m.numUsers() != train.numUsers() || m.numItems() != train.numItems()) {
                    throw new IllegalArgumentException(
                            "all parts must be "
                                    + train.numUsers()
                                    + " x "
                                    + train.numItems()
                                    + ", got "
                                    + m.numUsers()
                                    + " x "
                                    + m.numItems());
                }
            }
        }
    }

    /**
     * Splits interactions; for {@link #LEAVE_ONE_OUT} ties are broken by item index.
     *
     * @param numUsers the number of users; non-negative
     * @param numItems the number of items; non-negative
     * @param users the user index of each interaction; not null
     * @param items the item index of each interaction, parallel to {@code users}
     * @param orderKeys the time (or sequence number) of each interaction, parallel to {@code
     *     users}, no NaN; null means input order is time order (only {@link #LEAVE_ONE_OUT} reads
     *     it)
     * @param seed the shuffle seed (only {@link #RANDOM_811} reads it)
     * @return the split
     * @throws IllegalArgumentException for mismatching lengths, indices out of range or NaN keys
     */
    public Result apply(
            int numUsers, int numItems, int[] users, int[] items, double[] orderKeys, long seed) {
        return split(numUsers, numItems, users, items, orderKeys, null, seed);
    }

    /**
     * Splits interactions; for {@link #LEAVE_ONE_OUT} ties are broken by item token in {@link
     * IdMap#TOKEN_ORDER}, then by input position.
     *
     * @param numUsers the number of users; non-negative
     * @param itemIds the item id map; its size is the number of items; not null
     * @param users the user index of each interaction; not null
     * @param items the item index of each interaction, parallel to {@code users}
     * @param orderKeys the time (or sequence number) of each interaction, parallel to {@code
     *     users}, no NaN; null means input order is time order (only {@link #LEAVE_ONE_OUT} reads
     *     it)
     * @param seed the shuffle seed (only {@link #RANDOM_811} reads it)
     * @return the split
     * @throws IllegalArgumentException for mismatching lengths, indices out of range or NaN keys
     */
    public Result apply(
            int numUsers, IdMap itemIds, int[] users, int[] items, double[] orderKeys, long seed) {
        Objects.requireNonNull(itemIds, "itemIds");
        int[] rank = null;
        if (this == LEAVE_ONE_OUT) {
            int n = itemIds.size();
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> IdMap.compareTokens(itemIds.token(a), itemIds.token(b)));
            rank = new int[n];
            for (int r = 0; r < n; r++) {
                rank[order[r]] = r;
            }
        }
        return split(numUsers, itemIds.size(), users, items, orderKeys, rank, seed);
    }

    private Result split(
            int numUsers,
            int numItems,
            int[] users,
            int[] items,
            double[] orderKeys,
            int[] itemRank,
            long seed) {
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(items, "items");
        if (numUsers < 0 || numItems < 0) {
            throw new IllegalArgumentException(
                    "numUsers and numItems must be non-negative, got "
                            + numUsers
                            + " and "
                            + numItems);
        }
        int n = users.length;
        if (items.length != n || (orderKeys != null && orderKeys.length != n)) {
            throw new IllegalArgumentException(
                    "users, items and orderKeys must have the same length, got "
                            + n
                            + ", "
                            + items.length
                            + " and "
                            + (orderKeys == null ? "null" : String.valueOf(orderKeys.length)));
        }
        // Group positions by user (stable), dropping repeated pairs.
        LongHashSet seen = new LongHashSet(n);
        int[] start = new int[numUsers + 1];
        boolean[] keep = new boolean[n];
        for (int k = 0; k < n; k++) {
            int u = users[k];
            int i = items[k];
            Interactions.checkPair(k, u, i, numUsers, numItems);
            if (orderKeys != null && Double.isNaN(orderKeys[k])) {
                throw new IllegalArgumentException("orderKeys[" + k + "] must not be NaN");
            }
            if (seen.add(LongHashSet.pack(u, i))) {
                keep[k] = true;
                start[u + 1]++;
            }
        }
        for (int u = 0; u < numUsers; u++) {
            start[u + 1] += start[u];
        }
        int total = start[numUsers];
        int[] pos = new int[total];
        int[] fill = Arrays.copyOf(start, numUsers);
        for (int k = 0; k < n; k++) {
            if (keep[k]) {
                pos[fill[users[k]]++] = k;
            }
        }

        // part[k]: 0 train, 1 valid, 2 test (indexed by position in pos)
        byte[] part = new byte[total];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int u = 0; u < numUsers; u++) {
            int from = start[u];
            int m = start[u + 1] - from;
            if (m < MIN_INTERACTIONS_TO_SPLIT) {
                continue;
            }
            if (this == RANDOM_811) {
                for (int a = m - 1; a > 0; a--) {
                    int b = rng.nextInt(a + 1);
                    int t = pos[from + a];
                    pos[from + a] = pos[from + b];
                    pos[from + b] = t;
                }
                int held = Math.max(1, m / 10);
                Arrays.fill(part, from, from + held, (byte) 2);
                Arrays.fill(part, from + held, from + 2 * held, (byte) 1);
            } else {
                int last = -1;
                int second = -1;
                for (int k = from; k < from + m; k++) {
                    if (last < 0 || later(pos[k], pos[last], items, orderKeys, itemRank)) {
                        second = last;
                        last = k;
                    } else if (second < 0
                            || later(pos[k], pos[second], items, orderKeys, itemRank)) {
                        second = k;
                    }
                }
                part[last] = 2;
                part[second] = 1;
            }
        }
        int[] counts = new int[3];
        for (byte p : part) {
            counts[p]++;
        }
        int[][] pu = {new int[counts[0]], new int[counts[1]], new int[counts[2]]};
        int[][] pi = {new int[counts[0]], new int[counts[1]], new int[counts[2]]};
        int[] w = new int[3];
        for (int k = 0; k < total; k++) {
            int p = part[k];
            pu[p][w[p]] = users[pos[k]];
            pi[p][w[p]] = items[pos[k]];
            w[p]++;
        }
        return new Result(
                Interactions.fromPairs(numUsers, numItems, pu[0], pi[0]),
                Interactions.fromPairs(numUsers, numItems, pu[1], pi[1]),
                Interactions.fromPairs(numUsers, numItems, pu[2], pi[2]));
    }

    /** Whether interaction at input position {@code a} comes after the one at {@code b}. */
    private static boolean later(int a, int b, int[] items, double[] keys, int[] itemRank) {
        if (keys == null) {
            return a > b; // input order is the time order
        }
        int c = Double.compare(keys[a], keys[b]);
        if (c != 0) {
            return c > 0;
        }
        int ra = itemRank == null ? items[a] : itemRank[items[a]];
        int rb = itemRank == null ? items[b] : itemRank[items[b]];
        if (ra != rb) {
            return ra > rb;
        }
        return a > b;
    }
}
