package io.hyperrec.store;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * Every setting of a {@link ModelStore}, declared once with its default and meaning, validated by
 * the builder (STYLE.md rule 6). Immutable.
 *
 * <ul>
 *   <li>{@code dataDir} (required): the store's directory. It holds {@code db/} (RocksDB) and
 *       {@code snapshots/v<version>/} (one {@code TrainedModel} directory per retained version,
 *       what the streaming job's TaskManagers load).
 *   <li>{@code retainedVersions} (default {@value #DEFAULT_RETAINED_VERSIONS}): how many published
 *       versions, the current one included, are kept with their rows and snapshot directories.
 *       Older ones are deleted in the same atomic write that makes a new version current. Five
 *       leaves room to roll back a bad model and for TaskManagers that are still loading the
 *       previous version's snapshot, without letting a store that publishes daily grow forever.
 *       {@link Integer#MAX_VALUE} keeps every version.
 *   <li>{@code publishBatchRows} (default {@value #DEFAULT_PUBLISH_BATCH_ROWS}): rows per RocksDB
 *       write batch while a version's rows are written, which bounds the memory a publish needs.
 *   <li>{@code clock} (default the UTC system clock): the time of publishes and hides.
 * </ul>
 */
public final class ModelStoreOptions {
    /** Default of {@code retainedVersions}. */
    public static final int DEFAULT_RETAINED_VERSIONS = 5;

    /** Default of {@code publishBatchRows}. */
    public static final int DEFAULT_PUBLISH_BATCH_ROWS = 10_000;

    private final Path dataDir;
    private final int retainedVersions;
    private final int publishBatchRows;
    private final Clock clock;
    private final Runnable beforeFlip;

    private ModelStoreOptions(Builder b) {
        this.dataDir = b.dataDir.toAbsolutePath().normalize();
        this.retainedVersions = b.retainedVersions;
        this.publishBatchRows = b.publishBatchRows;
        this.clock = b.clock;
        this.beforeFlip = b.beforeFlip;
    }

    /**
     * Options with every default, for a store in {@code dataDir}.
     *
     * @param dataDir the store's directory (created if missing)
     * @return the options
     */
    public static ModelStoreOptions of(Path dataDir) {
        return builder(dataDir).build();
    }

    /**
     * A builder with every default.
     *
     * @param dataDir the store's directory (created if missing); not null
     * @return the builder
     */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** The store's directory, absolute. */
    public Path dataDir() {
        return dataDir;
    }

    /** How many published versions, the current one included, are kept. */
    public int retainedVersions() {
        return retainedVersions;
    }

    /** Rows per write batch while a version is written. */
    public int publishBatchRows() {
        return publishBatchRows;
    }

    /** The store's clock. */
    public Clock clock() {
        return clock;
    }

    /** Test hook run after a publish wrote its rows and before it flips {@code current}. */
    Runnable beforeFlip() {
        return beforeFlip;
    }

    @Override
    public String toString() {
        return "ModelStoreOptions[dataDir="
                + dataDir
                + ", retainedVersions="
                + retainedVersions
                + ", publishBatchRows="
                + publishBatchRows
                + "]";
    }

    /** Builds {@link ModelStoreOptions}; not thread-safe. */
    public static final class Builder {
        private final Path dataDir;
        private int retainedVersions = DEFAULT_RETAINED_VERSIONS;
        private int publishBatchRows = DEFAULT_PUBLISH_BATCH_ROWS;
        private Clock clock = Clock.systemUTC();
        private Runnable beforeFlip = () -> {};

        private Builder(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        }

        /**
         * Sets how many published versions, the current one included, are kept.
         *
         * @param n at least 1; {@link Integer#MAX_VALUE} keeps all
         * @return this builder
         */
        public Builder retainedVersions(int n) {
            if (n < 1) {
                throw new IllegalArgumentException(
                        "retainedVersions must be at least 1 (the current version), got " + n);
            }
            this.retainedVersions = n;
            return this;
        }

        /**
         * Sets the rows per write batch while a version is written.
         *
         * @param n at least 1
         * @return this builder
         */
        public Builder publishBatchRows(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("publishBatchRows must be positive, got " + n);
            }
            this.publishBatchRows = n;
            return this;
        }

        /**
         * Sets the clock.
         *
         * @param clock not null
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Test hook: runs between a publish's row writes and its flip (may throw to crash). */
        Builder beforeFlip(Runnable hook) {
            this.beforeFlip = Objects.requireNonNull(hook, "hook");
            return this;
        }

        /** The options. */
        public ModelStoreOptions build() {
            return new ModelStoreOptions(this);
        }
    }
}
