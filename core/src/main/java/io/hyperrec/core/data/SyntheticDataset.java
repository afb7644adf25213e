package io.hyperrec.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Deterministic synthetic data with a real hierarchy, for tests, demos and replays without licensed
 * data. Everything is a function of the {@link SyntheticConfig} (seeded {@link SplittableRandom}s):
 * the same config gives the same dataset and the same event stream.
 *
 * <p>The world:
 *
 * <ul>
 *   <li>a tag taxonomy tree of {@link SyntheticConfig#tagLevels()} levels with readable names drawn
 *       from a fixed vocabulary ({@code "Skincare"}, {@code "Skincare/Moisturizers"}, {@code
 *       "Skincare/Moisturizers/Hydrating"}); tag tokens are {@code 1..T} (written {@code t1..tT} in
 *       a {@code .kg} file), indexed breadth-first, roots first;
 *   <li>items {@code i1..iM}, each on one leaf, tagged with every tag on its root-to-leaf path,
 *       with a product-like title and text built from the path, a brand and a few descriptive
 *       words; popularity is Zipf-distributed within each level-1 subtree;
 *   <li>users {@code u1..uN}, each preferring {@link SyntheticConfig#preferredSubtrees()} level-1
 *       subtrees (see {@link #preferredSubtrees}); each draws {@code min + Geometric} distinct
 *       items (mean {@link SyntheticConfig#meanInteractionsPerUser()}, never fewer than the
 *       minimum), a share {@link SyntheticConfig#noiseShare()} of them (in expectation) from other
 *       subtrees; when the preferred subtrees run out of items, the rest come from other subtrees.
 *       User {@code u} (0-based) has its first event at {@code startMillis + u *
 *       userJoinIntervalMillis}, then strictly increasing times with exponential gaps.
 * </ul>
 *
 * <p>All methods are static and thread-safe.
 */
public final class SyntheticDataset {

    private static final String[] ROOT_WORDS = {
        "Skincare", "Makeup", "Haircare", "Fragrance", "Bath & Body", "Nail Care",
        "Tools & Accessories", "Men's Grooming", "Sun Care", "Oral Care", "Wellness", "Baby Care"
    };

    private static final String[] TYPE_WORDS = {
        "Moisturizers", "Cleansers", "Serums", "Masks", "Toners", "Eye Creams",
        "Lip Balms", "Foundations", "Concealers", "Mascaras", "Shampoos", "Conditioners",
        "Styling Gels", "Perfumes", "Body Lotions", "Scrubs", "Polishes", "Brushes",
        "Razors", "Sunscreens", "Toothpastes", "Supplements", "Oils", "Gift Sets"
    };

    private static final String[] ATTRIBUTE_WORDS = {
        "Hydrating", "Anti-Aging", "Organic", "Sensitive Skin", "Matte", "Long-Lasting",
        "Vegan", "Fragrance-Free", "Brightening", "Volumizing", "Travel Size", "Natural",
        "Oil-Free", "Waterproof", "Firming", "Soothing", "Nourishing", "Clarifying",
        "Tinted", "Refillable", "Cruelty-Free", "Mineral", "Night", "Daily"
    };

    private static final String[] BRANDS = {
        "Lumina", "Verdant", "Aurelle", "Nova Skin", "Petal & Co", "Solis", "Maison Rue",
        "Bloomwell", "Kinfolk", "Aqua Vera", "Oriel", "Saffron Lane", "Nordic Dew", "Cielo",
        "Juniper", "Mira"
    };

    private static final String[] DESCRIPTORS = {
        "Gentle", "Intense", "Ultra", "Pure", "Essential", "Advanced", "Classic", "Deluxe",
        "Silky", "Fresh", "Rich", "Light", "Radiant", "Calming", "Revitalizing", "Everyday"
    };

    private static final String[] SIZES = {
        "30 ml", "50 ml", "100 ml", "200 ml", "1 oz", "2 oz", "8 oz", "travel pack"
    };

    private SyntheticDataset() {}

    /**
     * One interaction of the event stream. Immutable and thread-safe.
     *
     * @param user the user token ({@code u1..uN}); not null
     * @param item the item token ({@code i1..iM}); not null
     * @param timestampMillis the event time in epoch milliseconds
     */
    public record Event(String user, String item, long timestampMillis) {

        /** Validates that the tokens are not null. */
        public Event {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(item, "item");
        }
    }

    /**
     * Generates the dataset: all users and items, the split {@link SyntheticConfig#split()} of
     * every user's interactions (time-ordered for {@link Split#LEAVE_ONE_OUT}, split seed {@link
     * SyntheticConfig#seed()}), the tag graph with levels and the item catalog.
     *
     * @param cfg the config; not null
     * @return the dataset, named {@link SyntheticConfig#name()}
     */
    public static Dataset generate(SyntheticConfig cfg) {
        World world = new World(Objects.requireNonNull(cfg, "cfg"));
        int n = 0;
        int[] users = new int[Math.max(16, (int) Math.min(1 << 28, (long) cfg.users() * 8))];
        int[] items = new int[users.length];
        double[] times = new double[users.length];
        for (int u = 0; u < cfg.users(); u++) {
            UserGen g = world.user(u);
            while (g.hasNext()) {
                if (n == users.length) {
                    int cap = (int) Math.min(Integer.MAX_VALUE - 8, n * 2L);
                    users = Arrays.copyOf(users, cap);
                    items = Arrays.copyOf(items, cap);
                    times = Arrays.copyOf(times, cap);
                }
                times[n] = g.nextTime;
                items[n] = g.emit();
                users[n] = u;
                n++;
            }
        }
        users = Arrays.copyOf(users, n);
        items = Arrays.copyOf(items, n);
        times = Arrays.copyOf(times, n);
        IdMap userIds = IdMap.sequential("u", 1, cfg.users());
        IdMap itemIds = IdMap.sequential("i", 1, cfg.items());
        Split.Result split =
                cfg.split().apply(cfg.users(), itemIds, users, items, times, cfg.seed());
        return new Dataset(
                cfg.name(),
                userIds,
                itemIds,
                split.train(),
                split.valid(),
                split.test(),
                world.tagGraph(),
                world.catalog());
    }

    /**
     * Returns the interactions of {@link #generate} as a lazily generated stream ordered by time
     * (ties by user index). Memory is bounded by the users active at the same time (each keeps the
     * set of items it has seen until its last event), not by the number of events.
     *
     * @param cfg the config; not null
     * @return a sequential, ordered stream; each call starts from the beginning
     */
    public static Stream<Event> eventStream(SyntheticConfig cfg) {
        Iterator<Event> it = new EventIterator(new World(Objects.requireNonNull(cfg, "cfg")));
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(
                        it, Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.IMMUTABLE),
                false);
    }

    /**
     * Returns, per user index, the tag indices (in the generated {@link TagGraph}, all of level 1)
     * of the subtrees the user prefers. Fewer than {@link SyntheticConfig#preferredSubtrees()}
     * appear only when fewer level-1 subtrees hold items.
     *
     * @param cfg the config; not null
     * @return a new array of {@code users} arrays
     */
    public static int[][] preferredSubtrees(SyntheticConfig cfg) {
        World world = new World(Objects.requireNonNull(cfg, "cfg"));
        int[][] out = new int[cfg.users()][];
        for (int u = 0; u < cfg.users(); u++) {
            int[] pref = world.user(u).pref;
            out[u] = new int[pref.length];
            for (int k = 0; k < pref.length; k++) {
                out[u][k] = world.levelStart[1] + pref[k];
            }
        }
        return out;
    }

    /** The static part of the world: taxonomy, items and their popularity. */
    private static final class World {
        final SyntheticConfig cfg;
        final int numTags;
        final int[] parent;
        final int[] level;
        final String[] word;
        final String[] tagName;
        final int[] levelStart;
        final int[] itemLeaf;
        final String[] itemTokens;
        final String[] titles;
        final String[] texts;
        final int[][] subtreeItems;
        final double[][] subtreeCum;
        final int[] nonEmpty;
        final long userSeedBase;

        World(SyntheticConfig cfg) {
            this.cfg = cfg;
            SplittableRandom root = new SplittableRandom(cfg.seed());
            SplittableRandom taxRng = root.split();
            SplittableRandom itemRng = root.split();
            this.userSeedBase = root.nextLong();
            int[] b = cfg.branching();
            int levels = b.length;
            numTags = cfg.numTags();
            parent = new int[numTags];
            level = new int[numTags];
            word = new String[numTags];
            tagName = new String[numTags];
            levelStart = new int[levels + 1];
            // Breadth-first: level 0 nodes first; children of one parent are contiguous.
            int next = 0;
            next = addChildren(-1, b[0], 0, next, taxRng);
            levelStart[1] = next;
            for (int l = 1; l < levels; l++) {
                for (int p = levelStart[l - 1]; p < levelStart[l]; p++) {
                    next = addChildren(p, b[l], l, next, taxRng);
                }
                levelStart[l + 1] = next;
            }

            int firstLeaf = levelStart[levels - 1];
            int numLeaves = numTags - firstLeaf;
            int numSubtrees = levelStart[2] - levelStart[1];
            int m = cfg.items();
            itemLeaf = new int[m];
            int[] leaves = new int[numLeaves];
            for (int k = 0; k < numLeaves; k++) {
                leaves[k] = firstLeaf + k;
            }
            shuffle(leaves, itemRng);
            for (int i = 0; i < m; i++) {
                itemLeaf[i] = i < numLeaves ? leaves[i] : firstLeaf + itemRng.nextInt(numLeaves);
            }
            itemTokens = new String[m];
            titles = new String[m];
            texts = new String[m];
            int[] subtreeSize = new int[numSubtrees];
            for (int i = 0; i < m; i++) {
                itemTokens[i] = "i" + (i + 1);
                subtreeSize[subtreeOf(itemLeaf[i])]++;
                describe(i, itemRng);
            }
            subtreeItems = new int[numSubtrees][];
            for (int s = 0; s < numSubtrees; s++) {
                subtreeItems[s] = new int[subtreeSize[s]];
            }
            int[] fill = new int[numSubtrees];
            for (int i = 0; i < m; i++) {
                int s = subtreeOf(itemLeaf[i]);
                subtreeItems[s][fill[s]++] = i;
            }
            subtreeCum = new double[numSubtrees][];
            int nonEmptyCount = 0;
            for (int s = 0; s < numSubtrees; s++) {
                int size = subtreeItems[s].length;
                int[] rank = new int[size];
                for (int k = 0; k < size; k++) {
                    rank[k] = k + 1;
                }
                shuffle(rank, itemRng);
                double[] cum = new double[size];
                double total = 0;
                for (int k = 0; k < size; k++) {
                    total += Math.pow(rank[k], -cfg.zipfExponent());
                    cum[k] = total;
                }
                subtreeCum[s] = cum;
                if (size > 0) {
                    nonEmptyCount++;
                }
            }
            nonEmpty = new int[nonEmptyCount];
            for (int s = 0, k = 0; s < numSubtrees; s++) {
                if (subtreeItems[s].length > 0) {
                    nonEmpty[k++] = s;
                }
            }
        }

        private int addChildren(int p, int count, int lvl, int next, SplittableRandom rng) {
            String[] vocab = lvl == 0 ? ROOT_WORDS : lvl == 1 ? TYPE_WORDS : ATTRIBUTE_WORDS;
            int[] order = new int[vocab.length];
            for (int k = 0; k < order.length; k++) {
                order[k] = k;
            }
            shuffle(order, rng);
            for (int c = 0; c < count; c++) {
                int t = next++;
                String w = vocab[order[c % vocab.length]];
                if (c >= vocab.length) {
                    w = w + " " + (c / vocab.length + 1);
                }
                parent[t] = p;
                level[t] = lvl;
                word[t] = w;
                tagName[t] = p < 0 ? w : tagName[p] + "/" + w;
            }
            return next;
        }

        int subtreeOf(int tag) {
            int t = tag;
            while (level[t] > 1) {
                t = parent[t];
            }
            return t - levelStart[1];
        }

        List<String> path(int item) {
            String[] out = new String[cfg.tagLevels()];
            for (int t = itemLeaf[item]; t >= 0; t = parent[t]) {
                out[level[t]] = word[t];
            }
            return List.of(out);
        }

        private void describe(int i, SplittableRandom rng) {
            int leaf = itemLeaf[i];
            List<String> path = path(i);
            String brand = BRANDS[rng.nextInt(BRANDS.length)];
            String descriptor = DESCRIPTORS[rng.nextInt(DESCRIPTORS.length)];
            String size = SIZES[rng.nextInt(SIZES.length)];
            String title =
                    brand + " " + descriptor + " " + word[leaf] + " " + path.get(1) + ", " + size;
            titles[i] = title;
            texts[i] =
                    title
                            + ". Brand: "
                            + brand
                            + ". Category: "
                            + String.join(" > ", path)
                            + ". A "
                            + descriptor.toLowerCase(Locale.ROOT)
                            + " "
                            + word[leaf].toLowerCase(Locale.ROOT)
                            + " pick from our "
                            + path.get(0).toLowerCase(Locale.ROOT)
                            + " range.";
        }

        UserGen user(int u) {
            return new UserGen(this, u);
        }

        TagGraph tagGraph() {
            int levels = cfg.tagLevels();
            int m = cfg.items();
            int[] itItems = new int[m * levels];
            int[] itTags = new int[m * levels];
            int e = 0;
            for (int i = 0; i < m; i++) {
                for (int t = itemLeaf[i]; t >= 0; t = parent[t]) {
                    itItems[e] = i;
                    itTags[e] = t;
                    e++;
                }
            }
            int numEdges = numTags - levelStart[1];
            int[] a = new int[numEdges];
            int[] bb = new int[numEdges];
            for (int t = levelStart[1], k = 0; t < numTags; t++, k++) {
                a[k] = parent[t];
                bb[k] = t;
            }
            return new TagGraph(
                    IdMap.sequential("", 1, numTags), tagName, m, itItems, itTags, a, bb, level);
        }

        ItemCatalog catalog() {
            List<List<String>> paths = new ArrayList<>(cfg.items());
            for (int i = 0; i < cfg.items(); i++) {
                paths.add(path(i));
            }
            return new ItemCatalog(Arrays.asList(titles), Arrays.asList(texts), paths);
        }
    }

    /** The lazily generated interactions of one user. Not thread-safe. */
    private static final class UserGen {
        private final World w;
        final int user;
        final int count;
        final int[] pref;
        private final SplittableRandom rng;
        private final IntSet seen;
        private int emitted;
        long nextTime;
        private String token;

        UserGen(World w, int user) {
            this.w = w;
            this.user = user;
            this.rng = new SplittableRandom(w.userSeedBase + 0x9E3779B97F4A7C15L * (user + 1L));
            SyntheticConfig cfg = w.cfg;
            int min = cfg.minInteractionsPerUser();
            double extraMean = cfg.meanInteractionsPerUser() - min;
            long n = min;
            if (extraMean > 0) {
                double p = 1.0 / (1.0 + extraMean);
                n += (long) Math.floor(Math.log(1.0 - rng.nextDouble()) / Math.log(1.0 - p));
            }
            this.count = (int) Math.min(n, cfg.items());
            int k = Math.min(cfg.preferredSubtrees(), w.nonEmpty.length);
            this.pref = new int[k];
            if (2 * k <= w.nonEmpty.length) {
                for (int c = 0; c < k; c++) {
                    int s;
                    do {
                        s = w.nonEmpty[rng.nextInt(w.nonEmpty.length)];
                    } while (indexOf(pref, c, s) >= 0);
                    pref[c] = s;
                }
            } else {
                int[] all = w.nonEmpty.clone();
                for (int c = 0; c < k; c++) {
                    int j = c + rng.nextInt(all.length - c);
                    int t = all[c];
                    all[c] = all[j];
                    all[j] = t;
                    pref[c] = all[c];
                }
            }
            this.seen = new IntSet(count);
            this.nextTime = cfg.startMillis() + cfg.userJoinIntervalMillis() * user;
        }

        boolean hasNext() {
            return emitted < count;
        }

        String token() {
            if (token == null) {
                token = "u" + (user + 1);
            }
            return token;
        }

        /** Draws the next item; its time is {@link #nextTime} as read before this call. */
        int emit() {
            if (!hasNext()) {
                throw new NoSuchElementException("user " + user + " has no more events");
            }
            int item = draw();
            emitted++;
            if (hasNext()) {
                double gap = -Math.log(1.0 - rng.nextDouble()) * w.cfg.meanGapMillis();
                nextTime += 1 + (long) gap;
            }
            return item;
        }

        private int draw() {
            int[] nonEmpty = w.nonEmpty;
            boolean outsideExists = nonEmpty.length > pref.length;
            boolean noise = rng.nextDouble() < w.cfg.noiseShare() && outsideExists;
            if (!noise) {
                for (int attempt = 0; attempt < 16; attempt++) {
                    int item = sample(pref[rng.nextInt(pref.length)]);
                    if (seen.add(item)) {
                        return item;
                    }
                }
                int first = rng.nextInt(pref.length);
                for (int c = 0; c < pref.length; c++) {
                    int[] pool = w.subtreeItems[pref[(first + c) % pref.length]];
                    int start = rng.nextInt(pool.length);
                    for (int k = 0; k < pool.length; k++) {
                        int item = pool[(start + k) % pool.length];
                        if (seen.add(item)) {
                            return item;
                        }
                    }
                }
            }
            for (int attempt = 0; attempt < 16; attempt++) {
                int s = nonEmpty[rng.nextInt(nonEmpty.length)];
                if (outsideExists && indexOf(pref, pref.length, s) >= 0) {
                    continue;
                }
                int item = sample(s);
                if (seen.add(item)) {
                    return item;
                }
            }
            int m = w.cfg.items();
            int start = rng.nextInt(m);
            for (int k = 0; k < m; k++) {
                int item = (start + k) % m;
                if (seen.add(item)) {
                    return item;
                }
            }
            throw new IllegalStateException("user " + user + " has seen all " + m + " items");
        }

        private int sample(int subtree) {
            double[] cum = w.subtreeCum[subtree];
            double x = rng.nextDouble() * cum[cum.length - 1];
            int k = Arrays.binarySearch(cum, x);
            if (k < 0) {
                k = -k - 1;
            }
            return w.subtreeItems[subtree][Math.min(k, cum.length - 1)];
        }

        private static int indexOf(int[] values, int length, int value) {
            for (int k = 0; k < length; k++) {
                if (values[k] == value) {
                    return k;
                }
            }
            return -1;
        }
    }

    /** Merges the users' event sequences by time, admitting users as they join. */
    private static final class EventIterator implements Iterator<Event> {
        private final World w;
        private final PriorityQueue<UserGen> active =
                new PriorityQueue<>(
                        Comparator.comparingLong((UserGen g) -> g.nextTime)
                                .thenComparingInt(g -> g.user));
        private int nextUser;

        EventIterator(World w) {
            this.w = w;
        }

        @Override
        public boolean hasNext() {
            return nextUser < w.cfg.users() || !active.isEmpty();
        }

        @Override
        public Event next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the synthetic event stream is exhausted");
            }
            while (nextUser < w.cfg.users()
                    && (active.isEmpty() || joinTime(nextUser) <= active.peek().nextTime)) {
                active.add(w.user(nextUser++));
            }
            UserGen g = active.poll();
            long time = g.nextTime;
            int item = g.emit();
            if (g.hasNext()) {
                active.add(g);
            }
            return new Event(g.token(), w.itemTokens[item], time);
        }

        private long joinTime(int user) {
            return w.cfg.startMillis() + w.cfg.userJoinIntervalMillis() * user;
        }
    }

    /** A small open-addressing set of non-negative ints. Not thread-safe. */
    private static final class IntSet {
        private int[] table;
        private int size;

        IntSet(int expected) {
            int cap = Integer.highestOneBit(Math.max(8, expected * 2 + 1)) << 1;
            table = new int[cap];
            Arrays.fill(table, -1);
        }

        boolean add(int value) {
            int mask = table.length - 1;
            int h = value * 0x9E3779B9;
            int slot = (h ^ (h >>> 16)) & mask;
            while (table[slot] != -1) {
                if (table[slot] == value) {
                    return false;
                }
                slot = (slot + 1) & mask;
            }
            table[slot] = value;
            if (++size * 2 > table.length) {
                int[] old = table;
                table = new int[old.length * 2];
                Arrays.fill(table, -1);
                size = 0;
                for (int v : old) {
                    if (v != -1) {
                        add(v);
                    }
                }
            }
            return true;
        }
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int k = a.length - 1; k > 0; k--) {
            int j = rng.nextInt(k + 1);
            int t = a[k];
            a[k] = a[j];
            a[j] = t;
        }
    }
}
