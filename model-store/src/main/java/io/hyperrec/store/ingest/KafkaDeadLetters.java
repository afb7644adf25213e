package io.hyperrec.store.ingest;

import io.hyperrec.schemas.Topics;
import io.hyperrec.schemas.avro.DeadLetter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends rejected records to {@code <topic>.dlq} as {@code DeadLetter} records (Avro single-object
 * encoding), keyed by the original key, so that bad input can be inspected and replayed.
 *
 * <p>Sends are asynchronous so that a slow or broken dead-letter topic cannot stall the ingest; a
 * failed send is logged with the record's coordinates and counted ({@link #failures}). The producer
 * is owned by the caller. Thread-safe.
 */
public final class KafkaDeadLetters implements RejectedRecords {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaDeadLetters.class);

    private final Producer<byte[], byte[]> producer;
    private final Clock clock;
    private final LongAdder failures = new LongAdder();

    /**
     * @param producer the producer to send with (owned by the caller)
     * @param clock stamps {@code failedAt}
     */
    public KafkaDeadLetters(Producer<byte[], byte[]> producer, Clock clock) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void reject(ConsumerRecord<byte[], byte[]> record, String reason) {
        String topic = Topics.deadLetter(record.topic());
        byte[] value;
        try {
            value =
                    toBytes(
                            DeadLetter.newBuilder()
                                    .setReason(reason)
                                    .setOriginal(
                                            ByteBuffer.wrap(
                                                    record.value() == null
                                                            ? new byte[0]
                                                            : record.value()))
                                    .setOriginalKey(
                                            record.key() == null
                                                    ? null
                                                    : ByteBuffer.wrap(record.key()))
                                    .setTopic(record.topic())
                                    .setPartition(record.partition())
                                    .setOffset(record.offset())
                                    .setFailedAt(clock.instant())
                                    .build()
                                    .toByteBuffer());
        } catch (IOException e) {
            failures.increment();
            LOG.error(
                    "cannot encode the dead letter of {}-{}@{}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e);
            return;
        }
        producer.send(
                new ProducerRecord<>(topic, record.key(), value),
                (metadata, error) -> {
                    if (error != null) {
                        failures.increment();
                        LOG.error(
                                "cannot send the dead letter of {}-{}@{} to {}",
                                record.topic(),
                                record.partition(),
                                record.offset(),
                                topic,
                                error);
                    }
                });
    }

    /** Dead letters that could not be encoded or sent. */
    public long failures() {
        return failures.sum();
    }

    private static byte[] toBytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
