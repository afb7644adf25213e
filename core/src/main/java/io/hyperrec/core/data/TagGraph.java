package io.hyperrec.core.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable tag graph over the items of a dataset: item&rarr;tag edges ({@code has_tag}) and
 * undirected tag&ndash;tag edges ({@code tag_related}, e.g. parent&ndash;child in a taxonomy).
 *
 * <p>Tags are dense indices {@code 0..numTags()-1} whose tokens (the {@code tag_id} of a RecBole
 * {@code .tag} file, written {@code t<token>} in a {@code .kg} file) are given by {@link
 * #tagIds()}; items are indices of the dataset's item {@link IdMap}. The constructor copies its
 * arrays, validates ranges, drops duplicate edges (keeping the first) and rejects self-loops.
 * Accessors return the internal arrays for speed; callers must not modify them. Instances are
 * immutable and thread-safe.
 */
public final class TagGraph {

    private final IdMap tagIds;
    private final String[] tagNames;
    private final int numItems;
    private final int[] itemTagItems;
    private final int[] itemTagTags;
    private final int[] tagTagA;
    private final int[] tagTagB;
    private final int[] tagLevel;

    /**
     * Creates a tag graph.
     *
     * @param tagIds the tag tokens; its size is the number of tags; not null
     * @param tagNames a display name per tag, same length as {@code tagIds}; null gives synthetic
     *     names {@code "t" + token}; null entries are not allowed
     * @param numItems the number of items of the dataset; non-negative
     * @param itemTagItems item of each item&rarr;tag edge, in {@code [0, numItems)}; not null
     * @param itemTagTags tag of each item&rarr;tag edge, in {@code [0, numTags)}; parallel to
     *     {@code itemTagItems}
     * @param tagTagA one end of each undirected tag&ndash;tag edge; not null
     * @param tagTagB the other end, parallel to {@code tagTagA}; must differ from it
     * @param tagLevel the level (0 for roots, 1, 2, ...) of each tag, or null when unknown
     * @throws IllegalArgumentException naming the offending edge or value
     */
    public TagGraph(
            IdMap tagIds,
            String[] tagNames,
            int numItems,
            int[] itemTagItems,
            int[] itemTagTags,
            int[] tagTagA,
            int[] tagTagB,
            int[] tagLevel) {
        this.tagIds = Objects.requireNonNull(tagIds, "tagIds");
        int numTags = tagIds.size();
        if (numItems < 0) {
            throw new IllegalArgumentException("numItems must be non-negative, got " + numItems);
        }
        this.numItems = numItems;
        if (tagNames == null) {
            this.tagNames = new String[numTags];
            for (int t = 0; t < numTags; t++) {
                this.tagNames[t] = "t" + tagIds.token(t);
            }
        } else {
            if (tagNames.length != numTags) {
                throw new IllegalArgumentException(
                        "tagNames must have numTags = "
                                + numTags
                                + " entries, got "
                                + tagNames.length);
            }
            for (int t = 0; t < numTags; t++) {
                if (tagNames[t] == null) {
                    throw new IllegalArgumentException("tagNames[" + t + "] is null");
                }
            }
            this.tagNames = tagNames.clone();
        }
        Objects.requireNonNull(itemTagItems, "itemTagItems");
        Objects.requireNonNull(itemTagTags, "itemTagTags");
        Objects.requireNonNull(tagTagA, "tagTagA");
        Objects.requireNonNull(tagTagB, "tagTagB");
        checkSameLength("itemTagItems", itemTagItems, "itemTagTags", itemTagTags);
        checkSameLength("tagTagA", tagTagA, "tagTagB", tagTagB);
        checkRange("itemTagItems", itemTagItems, numItems);
        checkRange("itemTagTags", itemTagTags, numTags);
        checkRange("tagTagA", tagTagA, numTags);
        checkRange("tagTagB", tagTagB, numTags);
        for (int k = 0; k < tagTagA.length; k++) {
            if (tagTagA[k] == tagTagB[k]) {
                throw new IllegalArgumentException(
                        "tag-tag edge "
                                + k
                                + " must join two different tags, got "
                                + tagTagA[k]
                                + " twice");
            }
        }
        int[][] it = dedupe(itemTagItems, itemTagTags, false);
        this.itemTagItems = it[0];
        this.itemTagTags = it[1];
        int[][] tt = dedupe(tagTagA, tagTagB, true);
        this.tagTagA = tt[0];
        this.tagTagB = tt[1];
        if (tagLevel != null) {
            if (tagLevel.length != numTags) {
                throw new IllegalArgumentException(
                        "tagLevel must have numTags = "
                                + numTags
                                + " entries, got "
                                + tagLevel.length);
            }
            for (int t = 0; t < numTags; t++) {
                if (tagLevel[t] < 0) {
                    throw new IllegalArgumentException(
                            "tagLevel[" + t + "] must be non-negative, got " + tagLevel[t]);
                }
            }
            this.tagLevel = tagLevel.clone();
        } else {
            this.tagLevel = null;
        }
    }

    /**
     * Returns the number of tags.
     *
     * @return the tag count
     */
    public int numTags() {
        return tagIds.size();
    }

    /**
     * Returns the number of items the item indices refer to (the dataset's item count).
     *
     * @return the item count
     */
    public int numItems() {
        return numItems;
    }

    /**
     * Returns the tag tokens (without the {@code t} prefix used in {@code .kg} files).
     *
     * @return the tag id map; never null
     */
    public IdMap tagIds() {
        return tagIds;
    }

    /**
     * Returns a display name per tag; tags without a known name have the synthetic name {@code "t"
     * + token}. Internal array: must not be modified.
     *
     * @return the names, indexed by tag
     */
    public String[] tagNames() {
        return tagNames;
    }

    /**
     * Returns the item of each item&rarr;tag edge (deduplicated). Internal array: must not be
     * modified.
     *
     * @return item indices, parallel to {@link #itemTagTags()}
     */
    public int[] itemTagItems() {
        return itemTagItems;
    }

    /**
     * Returns the tag of each item&rarr;tag edge. Internal array: must not be modified.
     *
     * @return tag indices, parallel to {@link #itemTagItems()}
     */
    public int[] itemTagTags() {
        return itemTagTags;
    }

    /**
     * Returns one end of each undirected tag&ndash;tag edge; every edge appears once, whatever its
     * direction in the input. Internal array: must not be modified.
     *
     * @return tag indices, parallel to {@link #tagTagB()}
     */
    public int[] tagTagA() {
        return tagTagA;
    }

    /**
     * Returns the other end of each undirected tag&ndash;tag edge. Internal array: must not be
     * modified.
     *
     * @return tag indices, parallel to {@link #tagTagA()}
     */
    public int[] tagTagB() {
        return tagTagB;
    }

    /**
     * Returns the level of each tag (0 for roots), when known. Internal array: must not be
     * modified.
     *
     * @return the levels indexed by tag, or null when levels are unknown
     */
    public int[] tagLevel() {
        return tagLevel;
    }

    /**
     * The same graph without the item&rarr;tag edges of some items: the same tags in the same rows,
     * the same tag&ndash;tag edges. A model trained on it has a tag view that never saw those
     * items, so placing them from their tags is placing them as if they were new.
     *
     * @param hidden per item, whether its item&rarr;tag edges are left out; length {@link
     *     #numItems()}
     * @return the reduced graph
     */
    public TagGraph withoutItemEdges(boolean[] hidden) {
        if (hidden.length != numItems) {
            throw new IllegalArgumentException(
                    "hidden must have numItems = " + numItems + " entries, got " + hidden.length);
        }
        int kept = 0;
        for (int item : itemTagItems) {
            kept += hidden[item] ? 0 : 1;
        }
        int[] items = new int[kept];
        int[] tags = new int[kept];
        int k = 0;
        for (int e = 0; e < itemTagItems.length; e++) {
            if (!hidden[itemTagItems[e]]) {
                items[k] = itemTagItems[e];
                tags[k++] = itemTagTags[e];
            }
        }
        return new TagGraph(tagIds, tagNames, numItems, items, tags, tagTagA, tagTagB, tagLevel);
    }

    @Override
    public String toString() {
        return "TagGraph[tags="
                + numTags()
                + ", itemTagEdges="
                + itemTagItems.length
                + ", tagTagEdges="
                + tagTagA.length
                + ", levels="
                + (tagLevel == null ? "unknown" : "known")
                + "]";
    }

    private static void checkSameLength(String na, int[] a, String nb, int[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    na
                            + " and "
                            + nb
                            + " must have the same length, got "
                            + a.length
                            + " and "
                            + b.length);
        }
    }

    private static void checkRange(String name, int[] values, int bound) {
        for (int k = 0; k < values.length; k++) {
            if (values[k] < 0 || values[k] >= bound) {
                throw new IllegalArgumentException(
                        name + "[" + k + "] must be in [0, " + bound + "), got " + values[k]);
            }
        }
    }

    /** Drops repeated pairs, keeping first occurrences in input order. */
    private static int[][] dedupe(int[] a, int[] b, boolean undirected) {
        LongHashSet seen = new LongHashSet(a.length);
        int[] outA = new int[a.length];
        int[] outB = new int[b.length];
        int n = 0;
        for (int k = 0; k < a.length; k++) {
            int x = a[k];
            int y = b[k];
            long key =
                    undirected
                            ? LongHashSet.pack(Math.min(x, y), Math.max(x, y))
                            : LongHashSet.pack(x, y);
            if (seen.add(key)) {
                outA[n] = x;
                outB[n] = y;
                n++;
            }
        }
        return new int[][] {Arrays.copyOf(outA, n), Arrays.copyOf(outB, n)};
    }
}
