package io.hyperrec.schemas;

import org.apache.avro.specific.SpecificRecord;

/**
 * Turns one generated Avro record class into Kafka value bytes and back, in one {@link WireFormat}.
 * This is the one place that knows the framing; Kafka producers, consumers, the model-store ingest
 * and the Flink schemas in {@code flink-jobs} all go through it (or through the same framing code),
 * so every component reads what every other writes.
 *
 * <p>Decoding resolves the writer's schema into the current class, so records written with any
 * stored earlier version ({@link SchemaHistory}) or any compatible schema the registry holds come
 * out as today's class, with defaults filled in.
 *
 * <p>Errors: {@link #decode} throws {@link MalformedRecordException}, and only that, for anything
 * wrong with the bytes, with a message fit for a dead-letter reason; a registry that cannot be
 * reached surfaces as {@link SchemaRegistryException}. {@link #encode} throws {@link
 * SchemaException} for a record that does not fit its schema (a null in a non-null field), which is
 * a programming error, not bad input.
 *
 * <p>Implementations are immutable and thread-safe; create one per record class and reuse it.
 *
 * @param <T> the generated record class
 */
public interface AvroCodec<T extends SpecificRecord> {
    /**
     * @param record a record, not null
     * @return its value bytes: the format's header followed by the Avro binary encoding
     */
    byte[] encode(T record);

    /**
     * @param value value bytes as read from Kafka
     * @return the record, as an instance of the current class
     * @throws MalformedRecordException if the bytes are not a record of this class in this codec's
     *     format(s)
     */
    T decode(byte[] value);

    /**
     * @return the format {@link #encode} writes (and {@link #decode} reads, unless the codec
     *     detects the format)
     */
    WireFormat format();

    /**
     * @return the record class
     */
    Class<T> recordClass();

    /**
     * A codec for Avro's single-object encoding, which needs no registry: it knows the current
     * schema and every stored version of it.
     *
     * @param type a generated record class
     * @param <T> the record class
     * @return the codec
     */
    static <T extends SpecificRecord> AvroCodec<T> singleObject(Class<T> type) {
        return new SingleObjectCodec<>(type, SchemaHistory.bundled());
    }

    /**
     * A codec for the Confluent wire format. The class's schema is registered under the topic's
     * value subject ({@link Topics#valueSubject}, Confluent's TopicNameStrategy) on the first
     * {@link #encode}, not before; writer schemas are looked up by id when first seen.
     *
     * @param type a generated record class
     * @param registry where schema ids come from
     * @param topic the topic the records are written to; only used to name the subject
     * @param <T> the record class
     * @return the codec
     */
    static <T extends SpecificRecord> AvroCodec<T> confluent(
            Class<T> type, SchemaRegistry registry, String topic) {
        return new ConfluentCodec<>(type, registry, Topics.valueSubject(topic));
    }

    /**
     * A codec for either format.
     *
     * @param type a generated record class
     * @param format the wire format
     * @param registry the registry; used by {@link WireFormat#CONFLUENT} only, may be null for
     *     {@link WireFormat#SINGLE_OBJECT}
     * @param topic the topic; used by {@link WireFormat#CONFLUENT} only, may be null for {@link
     *     WireFormat#SINGLE_OBJECT}
     * @param <T> the record class
     * @return the codec
     */
    static <T extends SpecificRecord> AvroCodec<T> create(
            Class<T> type, WireFormat format, SchemaRegistry registry, String topic) {
        if (format == null) {
            throw new IllegalArgumentException("wire format must not be null");
        }
        return format == WireFormat.SINGLE_OBJECT
                ? singleObject(type)
                : confluent(type, registry, topic);
    }

    /**
     * A codec that writes one format and reads both, telling them apart by the first byte ({@link
     * WireFormat#detect}). Meant for the dead-letter path, whose records may come from any topic,
     * and for topics that are being moved from one format to the other.
     *
     * @param type a generated record class
     * @param encodeAs the format {@link #encode} writes
     * @param registry the registry for Confluent framed values
     * @param topic the topic, naming the subject Confluent encoding registers under
     * @param <T> the record class
     * @return the codec
     */
    static <T extends SpecificRecord> AvroCodec<T> detecting(
            Class<T> type, WireFormat encodeAs, SchemaRegistry registry, String topic) {
        return new FormatDetectingCodec<>(
                singleObject(type), confluent(type, registry, topic), encodeAs);
    }

    /**
     * A codec that reads both wire formats and writes {@link WireFormat#SINGLE_OBJECT}, which needs
     * no topic: for readers such as a dead-letter inspector.
     *
     * @param type a generated record class
     * @param registry the registry for Confluent framed values
     * @param <T> the record class
     * @return the codec
     */
    static <T extends SpecificRecord> AvroCodec<T> detecting(
            Class<T> type, SchemaRegistry registry) {
        return new FormatDetectingCodec<>(
                singleObject(type),
                new ConfluentCodec<>(type, registry, null),
                WireFormat.SINGLE_OBJECT);
    }
}
