package io.hyperrec.schemas;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.apache.avro.Schema;

/**
 * The Confluent wire format header, {@code 00} followed by the writer schema's registry id as a
 * 4-byte big-endian int, read and written without Confluent's jars (they are not on Maven Central).
 * Shared by {@link AvroCodec#confluent} and the Flink {@code SchemaCoder} so that both frame bytes
 * identically and reject bad ones with the same messages.
 */
public final class ConfluentFraming {
    /** Magic byte plus schema id. */
    public static final int HEADER_LENGTH = 5;

    private ConfluentFraming() {}

    /**
     * Reads the schema id from a framed value.
     *
     * @param value a Confluent framed value
     * @return the schema id in its header
     * @throws MalformedRecordException if the value is null, empty, does not start with {@code 00}
     *     or is shorter than the header
     */
    public static int schemaId(byte[] value) {
        WireFormat.checkNotEmpty(value);
        if (value[0] != WireFormat.CONFLUENT_MAGIC) {
            throw wrongMagic(value);
        }
        if (value.length < HEADER_LENGTH) {
            throw new MalformedRecordException(
                    "truncated Confluent header: "
                            + value.length
                            + " bytes ("
                            + Bytes.hex(value, 0, Bytes.SHOWN)
                            + "), expected at least 5 (magic byte 00 and a 4-byte schema id)");
        }
        return ((value[1] & 0xFF) << 24)
                | ((value[2] & 0xFF) << 16)
                | ((value[3] & 0xFF) << 8)
                | (value[4] & 0xFF);
    }

    /**
     * Reads the header from a stream positioned at the start of a value, leaving the stream at the
     * start of the Avro body. On a wrong magic byte it reads a few more bytes for the message; the
     * value is rejected anyway.
     *
     * @param in the value's bytes
     * @return the schema id in the header
     * @throws MalformedRecordException if the stream is empty, does not start with {@code 00} or
     *     ends inside the header
     * @throws IOException if the stream fails
     */
    public static int readSchemaId(InputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            throw new MalformedRecordException(
                    "empty value (0 bytes): expected a Confluent framed Avro record (00 + schema"
                            + " id + body)");
        }
        if ((byte) first != WireFormat.CONFLUENT_MAGIC) {
            byte[] prefix = new byte[Bytes.SHOWN];
            prefix[0] = (byte) first;
            int n = 1 + Math.max(0, in.readNBytes(prefix, 1, prefix.length - 1));
            byte[] shown = Arrays.copyOf(prefix, n);
            throw wrongMagic(shown);
        }
        try {
            return new DataInputStream(in).readInt();
        } catch (EOFException e) {
            throw new MalformedRecordException(
                    "truncated Confluent header: the value ends before the 4-byte schema id", e);
        }
    }

    /**
     * Writes the header for a schema id.
     *
     * @param out where the value is being written
     * @param schemaId the writer schema's registry id
     * @throws IOException if the stream fails
     */
    public static void writeHeader(OutputStream out, int schemaId) throws IOException {
        out.write(WireFormat.CONFLUENT_MAGIC);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
    }

    /**
     * Looks up the writer schema of a framed value. An id the registry does not know is a fault of
     * the record (written against another registry, or corrupted), so it becomes a {@link
     * MalformedRecordException}; any other registry failure stays a {@link
     * SchemaRegistryException}.
     *
     * @param registry the registry the writer used
     * @param schemaId the id from the value's header
     * @return the writer schema
     */
    public static Schema writerSchema(SchemaRegistry registry, int schemaId) {
        try {
            return registry.schemaById(schemaId);
        } catch (SchemaRegistryException e) {
            if (e.isSchemaNotFound()) {
                throw new MalformedRecordException(
                        "unknown schema id "
                                + schemaId
                                + " in the Confluent header: "
                                + e.getMessage(),
                        e);
            }
            throw e;
        }
    }

    /**
     * Rejects a writer schema that is not the reader's record (nor one of its aliases), before
     * Avro's schema resolution does so with a less telling message.
     *
     * @param schemaId the id from the value's header
     * @param writer the schema registered under that id
     * @param reader the record schema being read into
     * @throws MalformedRecordException naming both records if they differ
     */
    public static void requireSameRecord(int schemaId, Schema writer, Schema reader) {
        if (writer.getType() != Schema.Type.RECORD) {
            throw new MalformedRecordException(
                    "schema id "
                            + schemaId
                            + " is a "
                            + writer.getType().getName()
                            + " schema, expected the record "
                            + reader.getFullName());
        }
        if (!writer.getFullName().equals(reader.getFullName())
                && !reader.getAliases().contains(writer.getFullName())) {
            throw new MalformedRecordException(
                    "schema id "
                            + schemaId
                            + " is "
                            + writer.getFullName()
                            + ", expected "
                            + reader.getFullName()
                            + " (a record of another type: wrong topic?)");
        }
    }

    private static MalformedRecordException wrongMagic(byte[] value) {
        String hint =
                value[0] == WireFormat.SINGLE_OBJECT_MARKER
                        ? " (looks like Avro single-object encoding: read it with"
                                + " WireFormat.SINGLE_OBJECT or a format-detecting decoder)"
                        : Bytes.guess(value);
        return new MalformedRecordException(
                "expected the Confluent magic byte 00, got "
                        + Bytes.hex(value, 0, Bytes.SHOWN)
                        + hint);
    }
}
