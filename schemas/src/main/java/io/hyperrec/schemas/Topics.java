package io.hyperrec.schemas;

/** Names of the Kafka topics hyperrec reads and writes (ARCHITECTURE.md, "Topics"). */
public final class Topics {
    /** User interactions, keyed by user id. */
    public static final String INTERACTIONS = "interactions";

    /** New catalogue items, keyed by item id. */
    public static final String ITEMS_NEW = "items.new";

    /** Enriched items (tags, summary, embedding), compacted, keyed by item id. */
    public static final String ITEMS_ENRICHED = "items.enriched";

    /** Embedding upserts carrying (modelVersion, seq), keyed by entity id. */
    public static final String MODEL_UPDATES = "model.updates";

    /**
     * Points of items onboarded since a version was published (EmbeddingUpdate of kind ITEM),
     * compacted, keyed by item id: the small deltas the update job's broadcast carries beside the
     * version pointer.
     */
    public static final String MODEL_ITEMS = "model.items";

    /** Published model versions. */
    public static final String MODEL_VERSIONS = "model.versions";

    private Topics() {}

    /**
     * The dead-letter topic for an input topic.
     *
     * @param topic the input topic, never null
     * @return {@code topic + ".dlq"}
     */
    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }

    /**
     * The schema registry subject of a topic's values under Confluent's default TopicNameStrategy,
     * so that other Confluent tooling finds our schemas where it looks.
     *
     * @param topic a topic, not blank
     * @return {@code topic + "-value"}
     */
    public static String valueSubject(String topic) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("topic must not be blank, got '" + topic + "'");
        }
        return topic + "-value";
    }
}
