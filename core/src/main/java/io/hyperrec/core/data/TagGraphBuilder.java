package io.hyperrec.core.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the global {@link TagGraph} of a catalogue from per-item taggings (an LLM's or the offline
 * tagger's three levels of tags with parent→child edges): tags are deduplicated by name across the
 * catalogue (trimmed, lower-cased, runs of spaces collapsed), as HyperLLM does; each item is linked
 * to every tag of its levels; each parent→child edge becomes an undirected tag–tag edge; a tag's
 * level is the lowest it was given.
 *
 * <p>Not thread-safe.
 */
public final class TagGraphBuilder {
    private final Map<String, Integer> index = new LinkedHashMap<>();
    private final List<String> names = new ArrayList<>();
    private final List<Integer> levels = new ArrayList<>();
    private final List<int[]> itemTags = new ArrayList<>();
    private final List<int[]> tagTags = new ArrayList<>();

    /** The normal form tag names are compared in. */
    public static String normalise(String tag) {
        return tag.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    private int tag(String name, int level) {
        String key = normalise(name);
        Integer t = index.get(key);
        if (t == null) {
            t = names.size();
            index.put(key, t);
            names.add(key);
            levels.add(level);
        } else if (level < levels.get(t)) {
            levels.set(t, level);
        }
        return t;
    }

    /**
     * Adds one item's tagging.
     *
     * @param item the item's index in the dataset
     * @param tagLevels tag names per level, most general first
     * @param edges parent→child pairs of tag names (unknown names are added at the parent's level +
     *     1 and the child's level − 1 respectively, i.e. edges may introduce tags)
     */
    public TagGraphBuilder add(int item, List<List<String>> tagLevels, List<String[]> edges) {
        if (item < 0) {
            throw new IllegalArgumentException("item index must be >= 0, got " + item);
        }
        for (int l = 0; l < tagLevels.size(); l++) {
            for (String name : tagLevels.get(l)) {
                itemTags.add(new int[] {item, tag(name, l)});
            }
        }
        for (String[] e : edges) {
            Integer known = index.get(normalise(e[0]));
            int parent = tag(e[0], known == null ? 0 : levels.get(known));
            int child = tag(e[1], levels.get(parent) + 1);
            if (parent != child) {
                tagTags.add(new int[] {parent, child});
            }
        }
        return this;
    }

    /** The number of distinct tags so far. */
    public int numTags() {
        return names.size();
    }

    /** The graph over {@code numItems} items. */
    public TagGraph build(int numItems) {
        int nt = names.size();
        List<String> tokens = new ArrayList<>(nt);
        for (int t = 0; t < nt; t++) {
            tokens.add(Integer.toString(t));
        }
        int[] ii = new int[itemTags.size()];
        int[] it = new int[itemTags.size()];
        for (int k = 0; k < ii.length; k++) {
            ii[k] = itemTags.get(k)[0];
            it[k] = itemTags.get(k)[1];
        }
        int[] ta = new int[tagTags.size()];
        int[] tb = new int[tagTags.size()];
        for (int k = 0; k < ta.length; k++) {
            ta[k] = tagTags.get(k)[0];
            tb[k] = tagTags.get(k)[1];
        }
        int[] lv = levels.stream().mapToInt(Integer::intValue).toArray();
        return new TagGraph(
                IdMap.of(tokens), names.toArray(new String[0]), numItems, ii, it, ta, tb, lv);
    }
}
