package io.hyperrec.core.data;

import java.util.Objects;
import java.util.Optional;

/**
 * An immutable recommendation dataset: user and item id maps, train/validation/test interaction
 * matrices over those maps ({@code users().size() x items().size()} each), and optional tags and
 * item text.
 *
 * <p>A pair may appear in more than one split when the source benchmark has it so. Instances are
 * immutable and thread-safe.
 */
public final class Dataset {

    private final String name;
    private final IdMap users;
    private final IdMap items;
    private final Interactions train;
    private final Interactions valid;
    private final Interactions test;
    private final TagGraph tags;
    private final ItemCatalog catalog;

    /**
     * Creates a dataset, validating that all parts agree on the numbers of users and items.
     *
     * @param name the dataset name (file prefix when written); non-empty, not null
     * @param users the user id map; not null
     * @param items the item id map; not null
     * @param train training interactions; not null
     * @param valid validation interactions; not null (may be empty)
     * @param test test interactions; not null (may be empty)
     * @param tags the tag graph, or null when the dataset has no tags
     * @param catalog the item catalog, or null when the dataset has no item text
     * @throws IllegalArgumentException naming the mismatching sizes
     */
    public Dataset(
            String name,
            IdMap users,
            IdMap items,
            Interactions train,
            Interactions valid,
            Interactions test,
            TagGraph tags,
            ItemCatalog catalog) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.contains("/") || name.contains("\\")) {
            throw new IllegalArgumentException(
                    "name must be non-blank without path separators, got '" + name + "'");
        }
        this.name = name;
        this.users = Objects.requireNonNull(users, "users");
        this.items = Objects.requireNonNull(items, "items");
        this.train = checkShape("train", Objects.requireNonNull(train, "train"));
        this.valid = checkShape("valid", Objects.requireNonNull(valid, "valid"));
        this.test = checkShape("test", Objects.requireNonNull(test, "test"));
        if (tags != null && tags.numItems() != items.size()) {
            throw new IllegalArgumentException(
                    "tags must cover " + items.size() + " items, got " + tags.numItems());
        }
        if (catalog != null && catalog.numItems() != items.size()) {
            throw new IllegalArgumentException(
                    "catalog must cover " + items.size() + " items, got " + catalog.numItems());
        }
        this.tags = tags;
        this.catalog = catalog;
    }

    /**
     * Returns the dataset name.
     *
     * @return the name; never null
     */
    public String name() {
        return name;
    }

    /**
     * Returns the user id map.
     *
     * @return the users; never null
     */
    public IdMap users() {
        return users;
    }

    /**
     * Returns the item id map.
     *
     * @return the items; never null
     */
    public IdMap items() {
        return items;
    }

    /**
     * Returns the training interactions.
     *
     * @return a {@code users().size() x items().size()} matrix; never null
     */
    public Interactions train() {
        return train;
    }

    /**
     * Returns the validation interactions.
     *
     * @return a {@code users().size() x items().size()} matrix; never null, possibly empty
     */
    public Interactions valid() {
        return valid;
    }

    /**
     * Returns the test interactions.
     *
     * @return a {@code users().size() x items().size()} matrix; never null, possibly empty
     */
    public Interactions test() {
        return test;
    }

    /**
     * Returns the tag graph.
     *
     * @return the tags, or empty when the dataset has none
     */
    public Optional<TagGraph> tags() {
        return Optional.ofNullable(tags);
    }

    /**
     * Returns the item catalog.
     *
     * @return the catalog, or empty when the dataset has no item text
     */
    public Optional<ItemCatalog> catalog() {
        return Optional.ofNullable(catalog);
    }

    /**
     * Returns a copy of this dataset with other tags.
     *
     * @param newTags the tags over the same items, or null to drop the tags
     * @return a new dataset
     */
    public Dataset withTags(TagGraph newTags) {
        return new Dataset(name, users, items, train, valid, test, newTags, catalog);
    }

    /**
     * Returns a copy of this dataset with another catalog.
     *
     * @param newCatalog the catalog over the same items, or null to drop it
     * @return a new dataset
     */
    public Dataset withCatalog(ItemCatalog newCatalog) {
        return new Dataset(name, users, items, train, valid, test, tags, newCatalog);
    }

    /**
     * Returns a copy of this dataset with another name.
     *
     * @param newName the name; non-blank, without path separators
     * @return a new dataset
     */
    public Dataset withName(String newName) {
        return new Dataset(newName, users, items, train, valid, test, tags, catalog);
    }

    @Override
    public String toString() {
        return "Dataset["
                + name
                + ": users="
                + users.size()
                + ", items="
                + items.size()
                + ", train="
                + train.nnz()
                + ", valid="
                + valid.nnz()
                + ", test="
                + test.nnz()
                + ", tags="
                + (tags == null ? "none" : tags.numTags())
                + ", catalog="
                + (catalog != null)
                + "]";
    }

    private Interactions checkShape(String what, Interactions m) {
        if (m.numUsers() != users.size() || m.numItems() != items.size()) {
            throw new IllegalArgumentException(
                    what
                            + " must be "
                            + users.size()
                            + " x "
                            + items.size()
                            + " (users x items), got "
                            + m.numUsers()
                            + " x "
                            + m.numItems());
        }
        return m;
    }
}
