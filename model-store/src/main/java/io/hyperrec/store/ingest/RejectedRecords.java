package io.hyperrec.store.ingest;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where the ingest sends a record it cannot use (undecodable, invalid), with the reason, after
 * counting it: a dead-letter topic in production ({@link KafkaDeadLetters}), nothing in tests. Bad
 * input never stops the ingest (STYLE.md rule 9).
 */
@FunctionalInterface
public interface RejectedRecords {
    /**
     * Takes a rejected record. Must not throw for an individual record; it is called on the ingest
     * thread.
     *
     * @param record the record as consumed
     * @param reason what was wrong, naming the field and what was expected
     */
    void reject(ConsumerRecord<byte[], byte[]> record, String reason);

    /** Drops rejected records (they are still counted and logged by the ingest). */
    static RejectedRecords none() {
        return (record, reason) -> {};
    }
}
