package io.hyperrec.enrichment.offline;

import java.util.Objects;
import java.util.Set;

/**
 * Immutable, validated settings of {@link OfflineTagger}. Build with {@link #builder()}; every
 * setting has a default. Thread-safe.
 */
public final class OfflineTaggerOptions {

    /** What text stands for a taxonomy node when it is embedded. */
    public enum NodeText {
        /** The node's own label, e.g. {@code Concealer}. */
        LABEL,
        /** The node's label with its ancestors, e.g. {@code Makeup > Face > Concealer}. */
        PATH
    }

    /**
     * The default beam width: candidates kept per level while descending. Wide, because a greedy
     * descent measurably loses accuracy (see {@link OfflineTagger}); exhaustive up to 64 children
     * per level.
     */
    public static final int DEFAULT_BEAM_WIDTH = 64;

    /** The default number of leaves emitted at most. */
    public static final int DEFAULT_MAX_LEAVES = 2;

    /**
     * The default score margin below the best candidate of a level within which others are kept.
     */
    public static final double DEFAULT_MARGIN = 0.02;

    /** The default node text. */
    public static final NodeText DEFAULT_NODE_TEXT = NodeText.PATH;

    /** The attributes left out of the encoder input by default: the answer itself. */
    public static final Set<String> DEFAULT_IGNORED_ATTRIBUTES = Set.of("category_path");

    private final int beamWidth;
    private final int maxLeaves;
    private final double margin;
    private final NodeText nodeText;
    private final Set<String> ignoredAttributes;

    private OfflineTaggerOptions(Builder b) {
        this.beamWidth = b.beamWidth;
        this.maxLeaves = b.maxLeaves;
        this.margin = b.margin;
        this.nodeText = b.nodeText;
        this.ignoredAttributes = b.ignoredAttributes;
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
     * Returns the defaults.
     *
     * @return the default options
     */
    public static OfflineTaggerOptions defaults() {
        return builder().build();
    }

    /**
     * Returns how many candidates the descent keeps per level at most; 1 is a greedy descent.
     *
     * @return the beam width, in {@code [1, 256]}
     */
    public int beamWidth() {
        return beamWidth;
    }

    /**
     * Returns the most leaves (and so paths) emitted per item.
     *
     * @return the limit, in {@code [1, 16]}
     */
    public int maxLeaves() {
        return maxLeaves;
    }

    /**
     * Returns the cosine margin: a leaf other than the best one is emitted only when its score is
     * at least the best leaf's score minus this margin.
     *
     * @return the margin, in {@code [0, 2]}; 0 emits only leaves tied with the best
     */
    public double margin() {
        return margin;
    }

    /**
     * Returns what text is embedded for each taxonomy node.
     *
     * @return the node text
     */
    public NodeText nodeText() {
        return nodeText;
    }

    /**
     * Returns the item attributes left out of the encoder input.
     *
     * @return an unmodifiable set
     */
    public Set<String> ignoredAttributes() {
        return ignoredAttributes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OfflineTaggerOptions other
                && beamWidth == other.beamWidth
                && Double.compare(margin, other.margin) == 0
                && nodeText == other.nodeText
                && ignoredAttributes.equals(other.ignoredAttributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(beamWidth, margin, nodeText, ignoredAttributes);
    }

    @Override
    public String toString() {
        return "OfflineTaggerOptions[beamWidth="
                + beamWidth
                + ", margin="
                + margin
                + ", nodeText="
                + nodeText
                + ", ignoredAttributes="
                + ignoredAttributes
                + "]";
    }

    /** Mutable builder of {@link OfflineTaggerOptions}; each setter rejects a bad value at once. */
    public static final class Builder {
        private int beamWidth = DEFAULT_BEAM_WIDTH;
        private int maxLeaves = DEFAULT_MAX_LEAVES;
        private double margin = DEFAULT_MARGIN;
        private NodeText nodeText = DEFAULT_NODE_TEXT;
        private Set<String> ignoredAttributes = DEFAULT_IGNORED_ATTRIBUTES;

        private Builder() {}

        /**
         * Sets the beam width.
         *
         * @param value in {@code [1, 256]}
         * @return this builder
         * @throws IllegalArgumentException naming the value when out of range
         */
        public Builder beamWidth(int value) {
            if (value < 1 || value > 256) {
                throw new IllegalArgumentException("beamWidth must be in [1, 256], got " + value);
            }
            this.beamWidth = value;
            return this;
        }

        /**
         * Sets the most leaves emitted per item.
         *
         * @param value in {@code [1, 16]}
         * @return this builder
         * @throws IllegalArgumentException naming the value when out of range
         */
        public Builder maxLeaves(int value) {
            if (value < 1 || value > 16) {
                throw new IllegalArgumentException("maxLeaves must be in [1, 16], got " + value);
            }
            this.maxLeaves = value;
            return this;
        }

        /**
         * Sets the cosine margin below the best leaf.
         *
         * @param value in {@code [0, 2]}
         * @return this builder
         * @throws IllegalArgumentException naming the value when out of range or not a number
         */
        public Builder margin(double value) {
            if (!(value >= 0 && value <= 2)) {
                throw new IllegalArgumentException("margin must be in [0, 2], got " + value);
            }
            this.margin = value;
            return this;
        }

        /**
         * Sets what text is embedded for each node.
         *
         * @param value not null
         * @return this builder
         */
        public Builder nodeText(NodeText value) {
            this.nodeText = Objects.requireNonNull(value, "nodeText");
            return this;
        }

        /**
         * Sets the item attributes left out of the encoder input.
         *
         * @param value not null, no null entries; copied
         * @return this builder
         */
        public Builder ignoredAttributes(Set<String> value) {
            this.ignoredAttributes = Set.copyOf(Objects.requireNonNull(value, "ignoredAttributes"));
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the immutable options
         */
        public OfflineTaggerOptions build() {
            return new OfflineTaggerOptions(this);
        }
    }
}
