package io.hyperrec.jobs.online;

/**
 * A validated interaction on its way to the user's update, with the Kafka coordinates it came from
 * (the rebase after a retrain replays exactly the events after the retrain's snapshot offsets) and
 * the record's Kafka timestamp (freshness is measured from the append to Kafka).
 */
public class UserEvent {
    /** User id (the key). */
    public String user;

    /** Item id. */
    public String item;

    /** Interaction weight (> 0). */
    public float weight;

    /** When the interaction happened, epoch milliseconds. */
    public long eventTime;

    /** Source partition of {@code interactions}. */
    public int partition;

    /** Source offset. */
    public long offset;

    /** Kafka timestamp of the source record, epoch milliseconds. */
    public long kafkaTime;

    /** For Flink. */
    public UserEvent() {}

    /** An event with all its parts. */
    public UserEvent(
            String user,
            String item,
            float weight,
            long eventTime,
            int partition,
            long offset,
            long kafkaTime) {
        this.user = user;
        this.item = item;
        this.weight = weight;
        this.eventTime = eventTime;
        this.partition = partition;
        this.offset = offset;
        this.kafkaTime = kafkaTime;
    }

    @Override
    public String toString() {
        return user + "->" + item + " @" + partition + ":" + offset;
    }
}
