package io.hyperrec.schemas;

/**
 * How an Avro record value is framed on a Kafka topic. Both frames carry the plain Avro binary
 * encoding of the record after a short header that identifies the writer's schema; they differ in
 * how the schema is identified, and so in what a reader needs to have at hand.
 *
 * <ul>
 *   <li>{@link #SINGLE_OBJECT} (the default): Avro's own single-object encoding, {@code C3 01}, the
 *       8-byte little-endian CRC-64-AVRO fingerprint of the writer schema, then the body. Readers
 *       need no service: they know every released schema from {@link SchemaHistory}.
 *   <li>{@link #CONFLUENT}: the Confluent Schema Registry wire format, magic byte {@code 00}, the
 *       4-byte big-endian schema id, then the body. Readers look the id up in a {@link
 *       SchemaRegistry}; this is the format other Kafka tooling (Connect, ksqlDB, kcat -s) expects.
 * </ul>
 *
 * The first byte tells the two apart, so a reader that must accept either (the dead-letter path, or
 * a topic during a migration) can use {@link #detect(byte[])}.
 */
public enum WireFormat {
    /** Avro single-object encoding: {@code C3 01} + 8-byte fingerprint + Avro binary. */
    SINGLE_OBJECT,
    /** Confluent wire format: {@code 00} + 4-byte big-endian schema id + Avro binary. */
    CONFLUENT;

    /** The first byte of every single-object encoded value. */
    public static final byte SINGLE_OBJECT_MARKER = (byte) 0xC3;

    /** The first byte of every Confluent framed value. */
    public static final byte CONFLUENT_MAGIC = 0;

    /** The format used when none is configured. */
    public static final WireFormat DEFAULT = SINGLE_OBJECT;

    /**
     * Tells the wire format of a value from its first byte.
     *
     * @param value a record value as read from Kafka; null (a tombstone) and empty values are
     *     rejected
     * @return the format the value is framed in
     * @throws MalformedRecordException if the value is null, empty or starts with a byte neither
     *     format starts with; the message shows the first bytes and what they look like
     */
    public static WireFormat detect(byte[] value) {
        checkNotEmpty(value);
        if (value[0] == SINGLE_OBJECT_MARKER) {
            return SINGLE_OBJECT;
        }
        if (value[0] == CONFLUENT_MAGIC) {
            return CONFLUENT;
        }
        throw new MalformedRecordException(
                "unknown wire format: expected first byte C3 (Avro single-object encoding) or 00"
                        + " (Confluent wire format), got "
                        + Bytes.hex(value, 0, Bytes.SHOWN)
                        + Bytes.guess(value));
    }

    /**
     * @throws MalformedRecordException if {@code value} is null or empty, with a message saying so
     */
    static void checkNotEmpty(byte[] value) {
        if (value == null) {
            throw new MalformedRecordException(
                    "no value (null, a tombstone?): expected an Avro record value");
        }
        if (value.length == 0) {
            throw new MalformedRecordException(
                    "empty value (0 bytes): expected an Avro record value with its header");
        }
    }
}
