package io.hyperrec.core.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Immutable per-item text metadata, indexed by the dataset's item indices: a title, a free text for
 * a text encoder (title, brand, category path or whatever text exists) and a category path from the
 * root category down (possibly empty). Items without metadata have empty strings and an empty path,
 * never null. Instances are immutable and thread-safe.
 */
public final class ItemCatalog {

    private final String[] titles;
    private final String[] texts;
    private final List<List<String>> categoryPaths;

    /**
     * Creates a catalog; all three lists have one entry per item and are copied.
     *
     * @param titles the title of each item; not null, no null entries (use "" when unknown)
     * @param texts the text of each item; not null, no null entries (use "" when unknown)
     * @param categoryPaths the category path of each item, root first; not null, no null entries or
     *     elements (use an empty list when unknown)
     * @throws IllegalArgumentException when sizes differ or an entry is null, naming the index
     */
    public ItemCatalog(List<String> titles, List<String> texts, List<List<String>> categoryPaths) {
        Objects.requireNonNull(titles, "titles");
        Objects.requireNonNull(texts, "texts");
        Objects.requireNonNull(categoryPaths, "categoryPaths");
        int n = titles.size();
        if (texts.size() != n || categoryPaths.size() != n) {
            throw new IllegalArgumentException(
                    "titles, texts and categoryPaths must have the same size, got "
                            + n
                            + ", "
                            + texts.size()
                            + " and "
                            + categoryPaths.size());
        }
        this.titles = new String[n];
        this.texts = new String[n];
        List<List<String>> paths = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            this.titles[i] = requireEntry(titles.get(i), "titles", i);
            this.texts[i] = requireEntry(texts.get(i), "texts", i);
            List<String> path = requireEntry(categoryPaths.get(i), "categoryPaths", i);
            for (String level : path) {
                requireEntry(level, "categoryPaths element of item", i);
            }
            paths.add(path.isEmpty() ? List.of() : List.copyOf(path));
        }
        this.categoryPaths = Collections.unmodifiableList(paths);
    }

    /**
     * Returns the number of items.
     *
     * @return the item count
     */
    public int numItems() {
        return titles.length;
    }

    /**
     * Returns an item's title.
     *
     * @param item an item index in {@code [0, numItems)}
     * @return the title; empty when unknown, never null
     */
    public String title(int item) {
        check(item);
        return titles[item];
    }

    /**
     * Returns an item's text for a text encoder.
     *
     * @param item an item index in {@code [0, numItems)}
     * @return the text; empty when unknown, never null
     */
    public String text(int item) {
        check(item);
        return texts[item];
    }

    /**
     * Returns an item's category path, root first.
     *
     * @param item an item index in {@code [0, numItems)}
     * @return an unmodifiable list; empty when unknown, never null
     */
    public List<String> categoryPath(int item) {
        check(item);
        return categoryPaths.get(item);
    }

    @Override
    public String toString() {
        return "ItemCatalog[items=" + titles.length + "]";
    }

    private void check(int item) {
        if (item < 0 || item >= titles.length) {
            throw new IndexOutOfBoundsException(
                    "item must be in [0, " + titles.length + "), got " + item);
        }
    }

    private static <T> T requireEntry(T value, String name, int index) {
        if (value == null) {
            throw new IllegalArgumentException(name + "[" + index + "] is null");
        }
        return value;
    }
}
