package io.hyperrec.enrichment.embed;

/**
 * Immutable, validated settings of {@link MiniLmEmbedder}. Build with {@link #builder()}; every
 * setting has a default, so {@code MiniLmOptions.builder().build()} is complete. Thread-safe.
 */
public final class MiniLmOptions {

    /** The default number of texts tokenised and dispatched together. */
    public static final int DEFAULT_BATCH_SIZE = 32;

    /**
     * The default longest input in word pieces, special tokens included: 256, the sequence length
     * all-MiniLM-L6-v2 was trained with; longer texts are truncated.
     */
    public static final int DEFAULT_MAX_TOKENS = 256;

    /** The longest input the model's position embeddings allow. */
    public static final int MAX_MODEL_TOKENS = 512;

    private final int batchSize;
    private final int threads;
    private final int maxTokens;

    private MiniLmOptions(Builder b) {
        this.batchSize = b.batchSize;
        this.threads = b.threads;
        this.maxTokens = b.maxTokens;
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
     * Returns the defaults: batch size {@value #DEFAULT_BATCH_SIZE}, one worker per available
     * processor (at most 8), {@value #DEFAULT_MAX_TOKENS} tokens.
     *
     * @return the default options
     */
    public static MiniLmOptions defaults() {
        return builder().build();
    }

    /**
     * Returns how many texts are tokenised together and handed to the workers at a time. Every text
     * is still encoded by its own model run (see {@link MiniLmEmbedder} for why), so the batch size
     * bounds the work in flight per call, not the numerics.
     *
     * @return the batch size, at least 1
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Returns the number of worker threads, each running one single-threaded model inference at a
     * time.
     *
     * @return the thread count, at least 1
     */
    public int threads() {
        return threads;
    }

    /**
     * Returns the longest input in word pieces, {@code [CLS]} and {@code [SEP]} included; longer
     * texts are truncated.
     *
     * @return the limit, in {@code [2, 512]}
     */
    public int maxTokens() {
        return maxTokens;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MiniLmOptions other
                && batchSize == other.batchSize
                && threads == other.threads
                && maxTokens == other.maxTokens;
    }

    @Override
    public int hashCode() {
        return (batchSize * 31 + threads) * 31 + maxTokens;
    }

    @Override
    public String toString() {
        return "MiniLmOptions[batchSize="
                + batchSize
                + ", threads="
                + threads
                + ", maxTokens="
                + maxTokens
                + "]";
    }

    /** Mutable builder of {@link MiniLmOptions}; each setter rejects a bad value at once. */
    public static final class Builder {
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int threads = Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
        private int maxTokens = DEFAULT_MAX_TOKENS;

        private Builder() {}

        /**
         * Sets the number of texts tokenised and dispatched together.
         *
         * @param value in {@code [1, 4096]}
         * @return this builder
         * @throws IllegalArgumentException naming the value when out of range
         */
        public Builder batchSize(int value) {
            if (value < 1 || value > 4096) {
                throw new IllegalArgumentException("batchSize must be in [1, 4096], got " + value);
            }
            this.batchSize = value;
            return this;
        }

        /**
         * Sets the number of worker threads.
         *
         * @param value in {@code [1, 256]}
         * @return this builder
         * @throws IllegalArgumentException naming the value when out of range
         */
        public Builder threads(int value) {
            if (value < 1 || value > 256) {
                throw new IllegalArgumentException("threads must be in [1, 256], got " + value);
            }
            this.threads = value;
            return this;
        }

        /**
         * Sets the longest input in word pieces, special tokens included.
         *
         * @param value in {@code [2, 512]}
         * @return this builder
         * @throws IllegalArgumentException naming the value when out of range
         */
        public Builder maxTokens(int value) {
            if (value < 2 || value > MAX_MODEL_TOKENS) {
                throw new IllegalArgumentException(
                        "maxTokens must be in [2, " + MAX_MODEL_TOKENS + "], got " + value);
            }
            this.maxTokens = value;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the immutable options
         */
        public MiniLmOptions build() {
            return new MiniLmOptions(this);
        }
    }
}
