package io.hyperrec.jobs.online;

/**
 * One entry of a user's event log (a list state with TTL): what the user touched and where it sat
 * in {@code interactions}, so that a new model version trained up to some offsets can have the
 * later events folded in again.
 */
public class LoggedEvent {
    /** Item id. */
    public String item;

    /** Partition of {@code interactions}. */
    public int partition;

    /** Offset within the partition. */
    public long offset;

    /** Kafka timestamp, epoch milliseconds. */
    public long kafkaTime;

    /** For Flink. */
    public LoggedEvent() {}

    /** An entry for an event. */
    public LoggedEvent(String item, int partition, long offset, long kafkaTime) {
        this.item = item;
        this.partition = partition;
        this.offset = offset;
        this.kafkaTime = kafkaTime;
    }
}
