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
}
