package io.hyperrec.jobs.online;

/**
 * A record that failed validation, on its way to the dead-letter topic: the original record
 * untouched and a reason that names the field, the value and what was expected.
 */
public class Rejected {
    /** The record as read. */
    public KafkaRecord record;

    /** Why it was rejected. */
    public String reason;

    /** When, epoch milliseconds. */
    public long failedAt;

    /** For Flink. */
    public Rejected() {}

    /** A rejection. */
    public Rejected(KafkaRecord record, String reason, long failedAt) {
        this.record = record;
        this.reason = reason;
        this.failedAt = failedAt;
    }

    @Override
    public String toString() {
        return record + ": " + reason;
    }
}
