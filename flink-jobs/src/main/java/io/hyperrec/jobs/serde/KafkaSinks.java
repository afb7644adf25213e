package io.hyperrec.jobs.serde;

import io.hyperrec.jobs.online.OnlineUpdateJob;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/** The jobs' Kafka sinks: at-least-once with idempotent records (docs/streaming.md). */
public final class KafkaSinks {
    private KafkaSinks() {}

    /** An at-least-once sink to {@code bootstrapServers}. */
    public static <T> KafkaSink<T> atLeastOnce(
            String bootstrapServers, KafkaRecordSerializationSchema<T> serializer) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setRecordSerializer(serializer)
                .build();
    }

    /** Encodes {@code record}, turning a failure into an unchecked one naming its type. */
    public static <T> byte[] encode(OnlineUpdateJob.Encoder<T> encoder, T record) {
        try {
            return encoder.encode(record);
        } catch (Exception e) {
            throw new IllegalStateException("could not encode " + record.getClass(), e);
        }
    }
}
