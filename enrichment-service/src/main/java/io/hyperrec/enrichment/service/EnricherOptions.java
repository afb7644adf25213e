package io.hyperrec.enrichment.service;

import io.hyperrec.enrichment.TaggingValidator;
import java.util.Objects;

/**
 * Every setting of an {@link Enricher}, declared once with its default and meaning, validated by
 * the builder. Immutable.
 *
 * <ul>
 *   <li>{@code parallelism} (default {@value #DEFAULT_PARALLELISM}): taggings run at once, across
 *       every caller of the enricher; each runs on one of this many threads. With an LLM tagger it
 *       is worth matching the chat client's {@code maxConcurrentRequests}.
 *   <li>{@code validator} (default {@link TaggingValidator#defaults()}): the rules every tagging is
 *       normalised and checked by ({@link TaggingValidator#check}) before it is answered.
 * </ul>
 */
public final class EnricherOptions {
    /** Default taggings at once. */
    public static final int DEFAULT_PARALLELISM = 4;

    /** The largest parallelism accepted. */
    public static final int MAX_PARALLELISM = 256;

    private final int parallelism;
    private final TaggingValidator validator;

    private EnricherOptions(Builder b) {
        this.parallelism = b.parallelism;
        this.validator = b.validator;
    }

    /** Options with every default. */
    public static EnricherOptions defaults() {
        return builder().build();
    }

    /** A builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Taggings run at once. */
    public int parallelism() {
        return parallelism;
    }

    /** The rules taggings are checked by. */
    public TaggingValidator validator() {
        return validator;
    }

    @Override
    public String toString() {
        return "EnricherOptions{parallelism=" + parallelism + "}";
    }

    /** Builds {@link EnricherOptions}; each setter fails fast on a bad value; not thread-safe. */
    public static final class Builder {
        private int parallelism = DEFAULT_PARALLELISM;
        private TaggingValidator validator = TaggingValidator.defaults();

        private Builder() {}

        /** Sets the taggings run at once: 1 to {@value EnricherOptions#MAX_PARALLELISM}. */
        public Builder parallelism(int parallelism) {
            if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
                throw new IllegalArgumentException(
                        "parallelism must be in [1, " + MAX_PARALLELISM + "], got " + parallelism);
            }
            this.parallelism = parallelism;
            return this;
        }

        /** Sets the rules taggings are checked by. */
        public Builder validator(TaggingValidator validator) {
            this.validator = Objects.requireNonNull(validator, "validator");
            return this;
        }

        /** The options. */
        public EnricherOptions build() {
            return new EnricherOptions(this);
        }
    }
}
