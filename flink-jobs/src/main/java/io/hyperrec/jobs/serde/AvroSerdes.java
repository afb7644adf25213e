package io.hyperrec.jobs.serde;

import io.hyperrec.schemas.RegistryConfig;
import io.hyperrec.schemas.Topics;
import io.hyperrec.schemas.WireFormat;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;

/**
 * Flink {@link SerializationSchema}s and {@link DeserializationSchema}s for hyperrec's Avro
 * records, in either {@link WireFormat}: what jobs hand to {@code KafkaSource} / {@code KafkaSink}
 * builders (or call from their own record (de)serializers).
 *
 * <ul>
 *   <li>{@link WireFormat#SINGLE_OBJECT}: our {@code AvroCodec}; no registry.
 *   <li>{@link WireFormat#CONFLUENT}: flink-avro's {@link RegistryAvroSerializationSchema} and
 *       {@code RegistryAvroDeserializationSchema} with our {@link RegistrySchemaCoder}; the subject
 *       is {@code <topic>-value}.
 * </ul>
 *
 * <p>Everything returned is serializable and holds no live resources: only the record class, the
 * topic and a {@link RegistryConfig} travel in the job graph, and registries are opened on the task
 * managers, in {@code open} or on first use. Decoding errors are {@link
 * io.hyperrec.schemas.MalformedRecordException}s whose message is the dead-letter reason.
 */
public final class AvroSerdes {
    private AvroSerdes() {}

    /**
     * @param type a generated record class
     * @param <T> the record class
     * @return a serializer to the default format, Avro single-object encoding
     */
    public static <T extends SpecificRecordBase> SerializationSchema<T> serializer(Class<T> type) {
        return serializer(type, WireFormat.DEFAULT, null, null);
    }

    /**
     * @param type a generated record class
     * @param format the wire format
     * @param topic the topic written to; names the registry subject (Confluent only, may be null
     *     otherwise)
     * @param registry the registry (Confluent only, may be null otherwise)
     * @param <T> the record class
     * @return a serializer to that format
     */
    public static <T extends SpecificRecordBase> SerializationSchema<T> serializer(
            Class<T> type, WireFormat format, String topic, RegistryConfig registry) {
        checkType(type);
        if (requireFormat(format) == WireFormat.SINGLE_OBJECT) {
            return new SingleObjectSerializationSchema<>(type);
        }
        return RegistryAvroSerializationSchema.forSpecific(
                type, new RegistrySchemaCoderProvider(subject(topic), requireRegistry(registry)));
    }

    /**
     * @param type a generated record class
     * @param <T> the record class
     * @return a deserializer of the default format, Avro single-object encoding
     */
    public static <T extends SpecificRecordBase> DeserializationSchema<T> deserializer(
            Class<T> type) {
        return deserializer(type, WireFormat.DEFAULT, null, null);
    }

    /**
     * @param type a generated record class
     * @param format the wire format
     * @param topic the topic read from; names the registry subject (Confluent only, may be null
     *     otherwise)
     * @param registry the registry (Confluent only, may be null otherwise)
     * @param <T> the record class
     * @return a deserializer of that format
     */
    public static <T extends SpecificRecordBase> DeserializationSchema<T> deserializer(
            Class<T> type, WireFormat format, String topic, RegistryConfig registry) {
        checkType(type);
        if (requireFormat(format) == WireFormat.SINGLE_OBJECT) {
            return CodecDeserializationSchema.singleObject(type);
        }
        return new ConfluentDeserializationSchema<>(
                type, subject(topic), requireRegistry(registry));
    }

    /**
     * A deserializer of either format, told apart by the first byte: for dead-letter topics and for
     * topics moving from one format to the other.
     *
     * @param type a generated record class
     * @param registry the registry for Confluent framed values
     * @param <T> the record class
     * @return the deserializer
     */
    public static <T extends SpecificRecordBase> DeserializationSchema<T> detectingDeserializer(
            Class<T> type, RegistryConfig registry) {
        checkType(type);
        return CodecDeserializationSchema.detecting(type, requireRegistry(registry));
    }

    private static void checkType(Class<?> type) {
        if (type == null) {
            throw new IllegalArgumentException("record class must not be null");
        }
    }

    private static WireFormat requireFormat(WireFormat format) {
        if (format == null) {
            throw new IllegalArgumentException("wire format must not be null");
        }
        return format;
    }

    private static String subject(String topic) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException(
                    "the Confluent wire format needs the topic (it names the registry subject), got '"
                            + topic
                            + "'");
        }
        return Topics.valueSubject(topic);
    }

    private static RegistryConfig requireRegistry(RegistryConfig registry) {
        if (registry == null) {
            throw new IllegalArgumentException(
                    "the Confluent wire format needs a schema registry config, got null");
        }
        return registry;
    }
}
