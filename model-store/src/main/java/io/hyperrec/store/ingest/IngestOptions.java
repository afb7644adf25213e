package io.hyperrec.store.ingest;

import io.hyperrec.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Every setting of a {@link ModelStoreIngest}, declared once with its default and meaning,
 * validated by the builder (STYLE.md rule 6). Immutable.
 *
 * <ul>
 *   <li>{@code updatesTopic} (default {@value Topics#MODEL_UPDATES}): embedding upserts.
 *   <li>{@code versionsTopic} (default {@value Topics#MODEL_VERSIONS}): published versions.
 *   <li>{@code interactionsTopic} (default {@value Topics#INTERACTIONS}): interactions, recorded as
 *       seen items.
 *   <li>{@code itemsNewTopic} (default {@value Topics#ITEMS_NEW}) and {@code itemsEnrichedTopic}
 *       (default {@value Topics#ITEMS_ENRICHED}): item titles, summaries and tags, read only when
 *       {@code itemMetadata} is true (default true).
 *   <li>{@code pollTimeout} (default 500 ms): the longest one poll blocks; bounds how long a stop
 *       waits when nothing arrives (a stop also wakes the consumer up).
 *   <li>{@code logEvery} (default {@value #DEFAULT_LOG_EVERY}): a rejected record is logged when it
 *       is the first one or every {@code logEvery}-th, so a flood of bad input cannot flood the
 *       log; every one is counted.
 *   <li>{@code throughputWindow} (default 10 s): the window over which the records-per-second gauge
 *       is measured.
 *   <li>{@code clock} (default the UTC system clock).
 * </ul>
 */
public final class IngestOptions {
    /** Default of {@code logEvery}. */
    public static final int DEFAULT_LOG_EVERY = 1000;

    private final String updatesTopic;
    private final String versionsTopic;
    private final String interactionsTopic;
    private final String itemsNewTopic;
    private final String itemsEnrichedTopic;
    private final boolean itemMetadata;
    private final Duration pollTimeout;
    private final int logEvery;
    private final Duration throughputWindow;
    private final Clock clock;

    private IngestOptions(Builder b) {
        this.updatesTopic = b.updatesTopic;
        this.versionsTopic = b.versionsTopic;
        this.interactionsTopic = b.interactionsTopic;
        this.itemsNewTopic = b.itemsNewTopic;
        this.itemsEnrichedTopic = b.itemsEnrichedTopic;
        this.itemMetadata = b.itemMetadata;
        this.pollTimeout = b.pollTimeout;
        this.logEvery = b.logEvery;
        this.throughputWindow = b.throughputWindow;
        this.clock = b.clock;
    }

    /** Options with every default. */
    public static IngestOptions defaults() {
        return builder().build();
    }

    /** A builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** The embedding upserts topic. */
    public String updatesTopic() {
        return updatesTopic;
    }

    /** The published versions topic. */
    public String versionsTopic() {
        return versionsTopic;
    }

    /** The interactions topic. */
    public String interactionsTopic() {
        return interactionsTopic;
    }

    /** The new items topic. */
    public String itemsNewTopic() {
        return itemsNewTopic;
    }

    /** The enriched items topic. */
    public String itemsEnrichedTopic() {
        return itemsEnrichedTopic;
    }

    /** Whether item metadata topics are read. */
    public boolean itemMetadata() {
        return itemMetadata;
    }

    /** The topics subscribed to. */
    public List<String> topics() {
        List<String> topics =
                new ArrayList<>(List.of(updatesTopic, versionsTopic, interactionsTopic));
        if (itemMetadata) {
            topics.add(itemsNewTopic);
            topics.add(itemsEnrichedTopic);
        }
        return List.copyOf(topics);
    }

    /** The longest one poll blocks. */
    public Duration pollTimeout() {
        return pollTimeout;
    }

    /** Log a rejected record once per this many. */
    public int logEvery() {
        return logEvery;
    }

    /** The throughput gauge's window. */
    public Duration throughputWindow() {
        return throughputWindow;
    }

    /** The clock. */
    public Clock clock() {
        return clock;
    }

    /** Builds {@link IngestOptions}; not thread-safe. */
    public static final class Builder {
        private String updatesTopic = Topics.MODEL_UPDATES;
        private String versionsTopic = Topics.MODEL_VERSIONS;
        private String interactionsTopic = Topics.INTERACTIONS;
        private String itemsNewTopic = Topics.ITEMS_NEW;
        private String itemsEnrichedTopic = Topics.ITEMS_ENRICHED;
        private boolean itemMetadata = true;
        private Duration pollTimeout = Duration.ofMillis(500);
        private int logEvery = DEFAULT_LOG_EVERY;
        private Duration throughputWindow = Duration.ofSeconds(10);
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** Sets the embedding upserts topic. */
        public Builder updatesTopic(String topic) {
            this.updatesTopic = topic("updatesTopic", topic);
            return this;
        }

        /** Sets the published versions topic. */
        public Builder versionsTopic(String topic) {
            this.versionsTopic = topic("versionsTopic", topic);
            return this;
        }

        /** Sets the interactions topic. */
        public Builder interactionsTopic(String topic) {
            this.interactionsTopic = topic("interactionsTopic", topic);
            return this;
        }

        /** Sets the new items topic. */
        public Builder itemsNewTopic(String topic) {
            this.itemsNewTopic = topic("itemsNewTopic", topic);
            return this;
        }

        /** Sets the enriched items topic. */
        public Builder itemsEnrichedTopic(String topic) {
            this.itemsEnrichedTopic = topic("itemsEnrichedTopic", topic);
            return this;
        }

        /** Sets whether the item metadata topics are read. */
        public Builder itemMetadata(boolean read) {
            this.itemMetadata = read;
            return this;
        }

        /** Sets the longest one poll blocks; positive. */
        public Builder pollTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "pollTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("pollTimeout must be positive, got " + timeout);
            }
            this.pollTimeout = timeout;
            return this;
        }

        /** Sets how often rejected records are logged; positive. */
        public Builder logEvery(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("logEvery must be positive, got " + n);
            }
            this.logEvery = n;
            return this;
        }

        /** Sets the throughput gauge's window; positive. */
        public Builder throughputWindow(Duration window) {
            Objects.requireNonNull(window, "throughputWindow");
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException(
                        "throughputWindow must be positive, got " + window);
            }
            this.throughputWindow = window;
            return this;
        }

        /** Sets the clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The options; topics must be distinct. */
        public IngestOptions build() {
            IngestOptions o = new IngestOptions(this);
            List<String> topics = o.topics();
            if (topics.stream().distinct().count() != topics.size()) {
                throw new IllegalArgumentException("topics must be distinct, got " + topics);
            }
            return o;
        }

        private static String topic(String name, String topic) {
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException(
                        name + " must be a non-blank topic name, got '" + topic + "'");
            }
            return topic;
        }
    }
}
