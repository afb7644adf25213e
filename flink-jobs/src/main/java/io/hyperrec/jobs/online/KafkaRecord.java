package io.hyperrec.jobs.online;

import java.util.Arrays;
import java.util.Objects;

/**
 * A Kafka record as it came off the topic: undecoded key and value, with its coordinates. Sources
 * read raw records so that a value that does not decode is not an exception inside the source
 * (which would fail the job) but a record the validation step can send to the dead-letter topic
 * with its original bytes.
 *
 * <p>A Flink POJO (public fields, no-argument constructor) so that it is serialised without Kryo.
 */
public class KafkaRecord {
    /** Source topic. */
    public String topic;

    /** Source partition. */
    public int partition;

    /** Offset within the partition. */
    public long offset;

    /** The record's Kafka timestamp (create or append time), epoch milliseconds. */
    public long timestamp;

    /** Key bytes, or null. */
    public byte[] key;

    /** Value bytes, or null (a tombstone). */
    public byte[] value;

    /** For Flink. */
    public KafkaRecord() {}

    /** A record with all its parts. */
    public KafkaRecord(
            String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.key = key;
        this.value = value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KafkaRecord r
                && partition == r.partition
                && offset == r.offset
                && timestamp == r.timestamp
                && Objects.equals(topic, r.topic)
                && Arrays.equals(key, r.key)
                && Arrays.equals(value, r.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset);
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
