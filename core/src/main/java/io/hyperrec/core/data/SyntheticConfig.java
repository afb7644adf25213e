package io.hyperrec.core.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * Immutable, validated parameters of {@link SyntheticDataset}. Build with {@link #builder()}; every
 * setting has a default, so {@code SyntheticConfig.builder().build()} is a complete config.
 * Thread-safe.
 *
 * <p>The world: a tag taxonomy tree with {@code branching()[0]} roots, each level-{@code k} node
 * having {@code branching()[k+1]} children ({@link #tagLevels()} levels in all); every item sits on
 * one leaf; each user prefers {@link #preferredSubtrees()} level-1 subtrees and draws {@code 1 -
 * noiseShare()} of its interactions from them, with Zipf popularity inside each subtree.
 */
public final class SyntheticConfig {

    /** The default branching per level: 6 roots, 4 children each, then 3, then 2 per level. */
    private static final int[] DEFAULT_BRANCHING = {6, 4, 3};

    /** The most tags a config may ask for. */
    public static final int MAX_TAGS = 1_000_000;

    private final String name;
    private final int users;
    private final int items;
    private final int[] branching;
    private final double meanInteractionsPerUser;
    private final int minInteractionsPerUser;
    private final int preferredSubtrees;
    private final double zipfExponent;
    private final double noiseShare;
    private final long seed;
    private final Split split;
    private final long startMillis;
    private final long meanGapMillis;
    private final long userJoinIntervalMillis;

    private SyntheticConfig(Builder b, int[] branching) {
        this.name = b.name;
        this.users = b.users;
        this.items = b.items;
        this.branching = branching;
        this.meanInteractionsPerUser = b.meanInteractionsPerUser;
        this.minInteractionsPerUser = b.minInteractionsPerUser;
        this.preferredSubtrees = b.preferredSubtrees;
        this.zipfExponent = b.zipfExponent;
        this.noiseShare = b.noiseShare;
        this.seed = b.seed;
        this.split = b.split;
        this.startMillis = b.startMillis;
        this.meanGapMillis = b.meanGapMillis;
        this.userJoinIntervalMillis = b.userJoinIntervalMillis;
    }

    /**
     * Returns a builder holding the defaults.
     *
     * @return a new builder (not thread-safe)
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the default config (2000 users, 1000 items, branching 6/4/3, seed 1234, ...).
     *
     * @return the defaults
     */
    public static SyntheticConfig defaults() {
        return builder().build();
    }

    /**
     * Returns a builder initialised with this config's values.
     *
     * @return a new builder (not thread-safe)
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.users = users;
        b.items = items;
        b.branching = branching.clone();
        b.branchingInherited = true;
        b.meanInteractionsPerUser = meanInteractionsPerUser;
        b.minInteractionsPerUser = minInteractionsPerUser;
        b.preferredSubtrees = preferredSubtrees;
        b.zipfExponent = zipfExponent;
        b.noiseShare = noiseShare;
        b.seed = seed;
        b.split = split;
        b.startMillis = startMillis;
        b.meanGapMillis = meanGapMillis;
        b.userJoinIntervalMillis = userJoinIntervalMillis;
        return b;
    }

    /**
     * Returns the dataset name (default {@code "synthetic"}).
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the number of users, with tokens {@code u1..uN} (default 2000).
     *
     * @return the user count
     */
    public int users() {
        return users;
    }

    /**
     * Returns the number of items, with tokens {@code i1..iM} (default 1000).
     *
     * @return the item count
     */
    public int items() {
        return items;
    }

    /**
     * Returns the number of taxonomy levels (default 3, at least 3).
     *
     * @return the level count, equal to {@code branching().length}
     */
    public int tagLevels() {
        return branching.length;
    }

    /**
     * Returns the branching per level: the number of roots, then children per node of each level
     * (default 6, 4, 3).
     *
     * @return a copy
     */
    public int[] branching() {
        return branching.clone();
    }

    /**
     * Returns the total number of tags of the taxonomy.
     *
     * @return the tag count
     */
    public int numTags() {
        long total = 0;
        long width = 1;
        for (int b : branching) {
            width *= b;
            total += width;
        }
        return (int) total;
    }

    /**
     * Returns the mean number of distinct items per user (default 20).
     *
     * @return the mean, at least {@link #minInteractionsPerUser()}
     */
    public double meanInteractionsPerUser() {
        return meanInteractionsPerUser;
    }

    /**
     * Returns the minimum number of distinct items per user (default 5).
     *
     * @return the minimum, at most {@link #items()}
     */
    public int minInteractionsPerUser() {
        return minInteractionsPerUser;
    }

    /**
     * Returns how many level-1 subtrees each user prefers (default 2).
     *
     * @return the count
     */
    public int preferredSubtrees() {
        return preferredSubtrees;
    }

    /**
     * Returns the Zipf exponent of item popularity within a subtree (default 1.0; 0 is uniform).
     *
     * @return the exponent
     */
    public double zipfExponent() {
        return zipfExponent;
    }

    /**
     * Returns the expected share of interactions outside a user's preferred subtrees (default 0.1).
     *
     * @return a share in [0, 1]
     */
    public double noiseShare() {
        return noiseShare;
    }

    /**
     * Returns the random seed (default 1234).
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /**
     * Returns the split of the generated dataset (default {@link Split#RANDOM_811}).
     *
     * @return the split
     */
    public Split split() {
        return split;
    }

    /**
     * Returns the time of the first event, in epoch milliseconds (default 2023-11-14T22:13:20Z).
     *
     * @return the start time
     */
    public long startMillis() {
        return startMillis;
    }

    /**
     * Returns the mean time between two events of one user, in milliseconds (default 6 hours).
     *
     * @return the mean gap, at least 1
     */
    public long meanGapMillis() {
        return meanGapMillis;
    }

    /**
     * Returns the time between the first events of consecutive users, in milliseconds (default 1
     * minute): user {@code u} (0-based) starts at {@code startMillis + u * interval}.
     *
     * @return the interval, non-negative
     */
    public long userJoinIntervalMillis() {
        return userJoinIntervalMillis;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SyntheticConfig)) {
            return false;
        }
        SyntheticConfig c = (SyntheticConfig) o;
        return name.equals(c.name)
                && users == c.users
                && items == c.items
                && Arrays.equals(branching, c.branching)
                && Double.compare(meanInteractionsPerUser, c.meanInteractionsPerUser) == 0
                && minInteractionsPerUser == c.minInteractionsPerUser
                && preferredSubtrees == c.preferredSubtrees
                && Double.compare(zipfExponent, c.zipfExponent) == 0
                && Double.compare(noiseShare, c.noiseShare) == 0
                && seed == c.seed
                && split == c.split
                && startMillis == c.startMillis
                && meanGapMillis == c.meanGapMillis
                && userJoinIntervalMillis == c.userJoinIntervalMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                name, users, items, Arrays.hashCode(branching), meanInteractionsPerUser, seed);
    }

    @Override
    public String toString() {
        return "SyntheticConfig[name="
                + name
                + ", users="
                + users
                + ", items="
                + items
                + ", branching="
                + Arrays.toString(branching)
                + ", meanInteractionsPerUser="
                + meanInteractionsPerUser
                + ", minInteractionsPerUser="
                + minInteractionsPerUser
                + ", preferredSubtrees="
                + preferredSubtrees
                + ", zipfExponent="
                + zipfExponent
                + ", noiseShare="
                + noiseShare
                + ", seed="
                + seed
                + ", split="
                + split
                + ", startMillis="
                + startMillis
                + ", meanGapMillis="
                + meanGapMillis
                + ", userJoinIntervalMillis="
                + userJoinIntervalMillis
                + "]";
    }

    /** Mutable builder of {@link SyntheticConfig}; validation happens in {@link #build()}. */
    public static final class Builder {

        private String name = "synthetic";
        private int users = 2000;
        private int items = 1000;
        private int tagLevels = -1;
        private int[] branching;
        private boolean branchingInherited;
        private double meanInteractionsPerUser = 20.0;
        private int minInteractionsPerUser = 5;
        private int preferredSubtrees = 2;
        private double zipfExponent = 1.0;
        private double noiseShare = 0.1;
        private long seed = 1234L;
        private Split split = Split.RANDOM_811;
        private long startMillis = 1_700_000_000_000L;
        private long meanGapMillis = 6L * 3600 * 1000;
        private long userJoinIntervalMillis = 60_000L;

        private Builder() {}

        /**
         * Sets the dataset name.
         *
         * @param value non-blank, without path separators
         * @return this builder
         */
        public Builder name(String value) {
            this.name = value;
            return this;
        }

        /**
         * Sets the number of users.
         *
         * @param value positive
         * @return this builder
         */
        public Builder users(int value) {
            this.users = value;
            return this;
        }

        /**
         * Sets the number of items.
         *
         * @param value positive
         * @return this builder
         */
        public Builder items(int value) {
            this.items = value;
            return this;
        }

        /**
         * Sets the number of taxonomy levels; without {@link #branching}, the default branching 6,
         * 4, 3 is extended with 2 per extra level.
         *
         * @param value at least 3
         * @return this builder
         */
        public Builder tagLevels(int value) {
            this.tagLevels = value;
            if (branchingInherited) {
                // a branching copied by toBuilder() yields to a new level count
                this.branching = null;
                this.branchingInherited = false;
            }
            return this;
        }

        /**
         * Sets the branching per level (and so the number of levels).
         *
         * @param perLevel number of roots, then children per node of each level; each positive
         * @return this builder
         */
        public Builder branching(int... perLevel) {
            this.branching = Objects.requireNonNull(perLevel, "perLevel").clone();
            this.branchingInherited = false;
            return this;
        }

        /**
         * Sets the mean number of distinct items per user.
         *
         * @param value at least the minimum
         * @return this builder
         */
        public Builder meanInteractionsPerUser(double value) {
            this.meanInteractionsPerUser = value;
            return this;
        }

        /**
         * Sets the minimum number of distinct items per user.
         *
         * @param value positive, at most the number of items
         * @return this builder
         */
        public Builder minInteractionsPerUser(int value) {
            this.minInteractionsPerUser = value;
            return this;
        }

        /**
         * Sets how many level-1 subtrees each user prefers.
         *
         * @param value positive, at most the number of level-1 tags
         * @return this builder
         */
        public Builder preferredSubtrees(int value) {
            this.preferredSubtrees = value;
            return this;
        }

        /**
         * Sets the Zipf exponent of popularity within a subtree.
         *
         * @param value finite, non-negative
         * @return this builder
         */
        public Builder zipfExponent(double value) {
            this.zipfExponent = value;
            return this;
        }

        /**
         * Sets the share of interactions outside the preferred subtrees.
         *
         * @param value in [0, 1]
         * @return this builder
         */
        public Builder noiseShare(double value) {
            this.noiseShare = value;
            return this;
        }

        /**
         * Sets the random seed.
         *
         * @param value any value
         * @return this builder
         */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * Sets the split of the generated dataset.
         *
         * @param value not null
         * @return this builder
         */
        public Builder split(Split value) {
            this.split = value;
            return this;
        }

        /**
         * Sets the time of the first event.
         *
         * @param value epoch milliseconds, non-negative
         * @return this builder
         */
        public Builder startMillis(long value) {
            this.startMillis = value;
            return this;
        }

        /**
         * Sets the mean time between two events of one user.
         *
         * @param value milliseconds, positive
         * @return this builder
         */
        public Builder meanGapMillis(long value) {
            this.meanGapMillis = value;
            return this;
        }

        /**
         * Sets the time between the first events of consecutive users.
         *
         * @param value milliseconds, non-negative
         * @return this builder
         */
        public Builder userJoinIntervalMillis(long value) {
            this.userJoinIntervalMillis = value;
            return this;
        }

        /**
         * Validates the settings and builds the config.
         *
         * @return the config
         * @throws IllegalArgumentException naming the first invalid setting and its value
         */
        public SyntheticConfig build() {
            if (name == null || name.isBlank() || name.contains("/") || name.contains("\\")) {
                throw new IllegalArgumentException(
                        "name must be non-blank without path separators, got '" + name + "'");
            }
            if (users <= 0) {
                throw new IllegalArgumentException("users must be positive, got " + users);
            }
            if (items <= 0) {
                throw new IllegalArgumentException("items must be positive, got " + items);
            }
            int[] b = branching;
            if (b == null) {
                int levels = tagLevels < 0 ? DEFAULT_BRANCHING.length : tagLevels;
                if (levels < 3) {
                    throw new IllegalArgumentException(
                            "tagLevels must be at least 3, got " + levels);
                }
                b = new int[levels];
                for (int k = 0; k < levels; k++) {
                    b[k] = k < DEFAULT_BRANCHING.length ? DEFAULT_BRANCHING[k] : 2;
                }
            } else if (tagLevels >= 0 && tagLevels != b.length) {
                throw new IllegalArgumentException(
                        "tagLevels must equal the number of branching factors "
                                + Arrays.toString(b)
                                + ", got "
                                + tagLevels);
            }
            if (b.length < 3) {
                throw new IllegalArgumentException(
                        "tagLevels must be at least 3, got "
                                + b.length
                                + " branching factors "
                                + Arrays.toString(b));
            }
            long total = 0;
            long width = 1;
            for (int k = 0; k < b.length; k++) {
                if (b[k] <= 0) {
                    throw new IllegalArgumentException(
                            "branching[" + k + "] must be positive, got " + b[k]);
                }
                width *= b[k];
                total += width;
                if (total > MAX_TAGS) {
                    throw new IllegalArgumentException(
                            "branching "
                                    + Arrays.toString(b)
                                    + " gives more than "
                                    + MAX_TAGS
                                    + " tags");
                }
            }
            if (minInteractionsPerUser <= 0) {
                throw new IllegalArgumentException(
                        "minInteractionsPerUser must be positive, got " + minInteractionsPerUser);
            }
            if (minInteractionsPerUser > items) {
                throw new IllegalArgumentException(
                        "minInteractionsPerUser must be at most items = "
                                + items
                                + ", got "
                                + minInteractionsPerUser);
            }
            if (!(meanInteractionsPerUser >= minInteractionsPerUser)
                    || Double.isInfinite(meanInteractionsPerUser)) {
                throw new IllegalArgumentException(
                        "meanInteractionsPerUser must be finite and at least "
                                + "minInteractionsPerUser = "
                                + minInteractionsPerUser
                                + ", got "
                                + meanInteractionsPerUser);
            }
            int level1 = b[0] * b[1];
            if (preferredSubtrees <= 0 || preferredSubtrees > level1) {
                throw new IllegalArgumentException(
                        "preferredSubtrees must be in [1, "
                                + level1
                                + "] (the number of level-1 tags), got "
                                + preferredSubtrees);
            }
            if (!(zipfExponent >= 0) || Double.isInfinite(zipfExponent)) {
                throw new IllegalArgumentException(
                        "zipfExponent must be finite and non-negative, got " + zipfExponent);
            }
            if (!(noiseShare >= 0 && noiseShare <= 1)) {
                throw new IllegalArgumentException(
                        "noiseShare must be in [0, 1], got " + noiseShare);
            }
            Objects.requireNonNull(split, "split");
            if (startMillis < 0) {
                throw new IllegalArgumentException(
                        "startMillis must be non-negative, got " + startMillis);
            }
            if (meanGapMillis <= 0) {
                throw new IllegalArgumentException(
                        "meanGapMillis must be positive, got " + meanGapMillis);
            }
            if (userJoinIntervalMillis < 0) {
                throw new IllegalArgumentException(
                        "userJoinIntervalMillis must be non-negative, got "
                                + userJoinIntervalMillis);
            }
            return new SyntheticConfig(this, b.clone());
        }
    }
}
