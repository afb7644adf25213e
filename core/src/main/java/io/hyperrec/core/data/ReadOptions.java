package io.hyperrec.core.data;

import java.util.Objects;

/**
 * Options for {@link RecboleReader#read(java.nio.file.Path, ReadOptions)}. Immutable and
 * thread-safe; use {@link #defaults()} and the {@code with...} methods.
 *
 * @param name the dataset name, which is also the file prefix ({@code NAME.inter}, ...); null means
 *     the directory's file name
 * @param split how to split a {@code NAME.inter} file; used only when the directory has no
 *     benchmark split files; not null
 * @param seed the seed of {@link Split#RANDOM_811}
 */
public record ReadOptions(String name, Split split, long seed) {

    /** The seed of {@link #defaults()}. */
    public static final long DEFAULT_SEED = 2024L;

    /**
     * Validates the options.
     *
     * @throws IllegalArgumentException for a blank name or one with path separators
     */
    public ReadOptions {
        Objects.requireNonNull(split, "split");
        if (name != null && (name.isBlank() || name.contains("/") || name.contains("\\"))) {
            throw new IllegalArgumentException(
                    "name must be null or non-blank without path separators, got '" + name + "'");
        }
    }

    /**
     * Returns the default options: name from the directory, {@link Split#RANDOM_811}, seed {@value
     * #DEFAULT_SEED}.
     *
     * @return the defaults
     */
    public static ReadOptions defaults() {
        return new ReadOptions(null, Split.RANDOM_811, DEFAULT_SEED);
    }

    /**
     * Returns these options with another name.
     *
     * @param newName the dataset name and file prefix, or null for the directory's name
     * @return new options
     */
    public ReadOptions withName(String newName) {
        return new ReadOptions(newName, split, seed);
    }

    /**
     * Returns these options with another split.
     *
     * @param newSplit the split; not null
     * @return new options
     */
    public ReadOptions withSplit(Split newSplit) {
        return new ReadOptions(name, newSplit, seed);
    }

    /**
     * Returns these options with another seed.
     *
     * @param newSeed the seed
     * @return new options
     */
    public ReadOptions withSeed(long newSeed) {
        return new ReadOptions(name, split, newSeed);
    }
}
