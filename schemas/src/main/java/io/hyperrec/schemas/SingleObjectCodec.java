package io.hyperrec.schemas;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * {@link WireFormat#SINGLE_OBJECT} with Avro's {@link BinaryMessageEncoder} and {@link
 * BinaryMessageDecoder}. The decoder's {@link SchemaStore} holds every stored version of the
 * record's schema, so values written by an earlier release are resolved into the current class.
 *
 * <p>The header is checked here before Avro sees it, for messages that say what the bytes look like
 * and which record a foreign fingerprint belongs to. Avro's decoder reads the body through a direct
 * (non-buffering) decoder, so the bytes left in the stream afterwards are exactly the trailing
 * ones.
 */
final class SingleObjectCodec<T extends SpecificRecord> implements AvroCodec<T> {
    static final int HEADER_LENGTH = 10;

    private final Class<T> type;
    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    /** Fingerprint → the schema with that fingerprint and how messages name it. */
    private final Map<Long, Writer> writers = new HashMap<>();

    private final SchemaHistory history;
    private final String storedVersions;

    private record Writer(Schema schema, String label) {}

    SingleObjectCodec(Class<T> type, SchemaHistory history) {
        this.type = type;
        this.schema = Records.schema(type);
        this.history = history;
        SpecificData model = Records.model(type);
        SchemaStore.Cache store = new SchemaStore.Cache();
        List<SchemaHistory.Version> versions = history.versions(schema.getName());
        for (SchemaHistory.Version v : versions) {
            store.addSchema(v.schema());
            writers.put(
                    SchemaNormalization.parsingFingerprint64(v.schema()),
                    new Writer(v.schema(), v.label()));
        }
        // A stored version with the current fingerprint keeps its name ("Interaction v1").
        writers.putIfAbsent(
                SchemaNormalization.parsingFingerprint64(schema),
                new Writer(schema, schema.getName() + " (current)"));
        this.storedVersions =
                versions.isEmpty()
                        ? "none"
                        : versions.stream()
                                .map(v -> "v" + v.number())
                                .collect(Collectors.joining(", "));
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema, store);
    }

    @Override
    public byte[] encode(T record) {
        Objects.requireNonNull(record, "record must not be null");
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try {
            encoder.encode(record, out);
        } catch (IOException | RuntimeException e) {
            throw new SchemaException(
                    "cannot encode " + type.getSimpleName() + " (single-object): " + e.getMessage(),
                    e);
        }
        return out.toByteArray();
    }

    @Override
    public T decode(byte[] value) {
        WireFormat.checkNotEmpty(value);
        if (value.length < 2 || value[0] != WireFormat.SINGLE_OBJECT_MARKER || value[1] != 0x01) {
            String hint =
                    value[0] == WireFormat.CONFLUENT_MAGIC
                            ? " (looks like the Confluent wire format: read it with"
                                    + " WireFormat.CONFLUENT or a format-detecting decoder)"
                            : Bytes.guess(value);
            throw new MalformedRecordException(
                    "expected the Avro single-object header C3 01, got "
                            + Bytes.hex(value, 0, Bytes.SHOWN)
                            + hint);
        }
        if (value.length < HEADER_LENGTH) {
            throw new MalformedRecordException(
                    "truncated single-object header: "
                            + value.length
                            + " bytes, expected at least 10 (C3 01 and an 8-byte schema"
                            + " fingerprint)");
        }
        long fingerprint = 0;
        for (int i = HEADER_LENGTH - 1; i >= 2; i--) { // little-endian
            fingerprint = (fingerprint << 8) | (value[i] & 0xFF);
        }
        Writer writer = writers.get(fingerprint);
        if (writer == null) {
            throw unknownFingerprint(fingerprint);
        }
        ByteArrayInputStream in = new ByteArrayInputStream(value);
        T record;
        try {
            record = decoder.decode(in, null);
        } catch (IOException | RuntimeException e) {
            throw bodyProblem(value, writer, e);
        }
        if (in.available() > 0) {
            throw bodyProblem(value, writer, null);
        }
        return record;
    }

    @Override
    public WireFormat format() {
        return WireFormat.SINGLE_OBJECT;
    }

    @Override
    public Class<T> recordClass() {
        return type;
    }

    private MalformedRecordException unknownFingerprint(long fingerprint) {
        String other =
                history.describeFingerprint(fingerprint)
                        .map(
                                l ->
                                        "; it is the fingerprint of "
                                                + l
                                                + ", a record of another type (wrong topic?)")
                        .orElse(
                                "; if a newer release wrote it, store its schema under "
                                        + SchemaHistory.ROOT
                                        + schema.getName()
                                        + "/ before readers can decode it");
        return new MalformedRecordException(
                String.format(
                        "unknown schema fingerprint %016X in the single-object header: neither the"
                                + " current %s schema nor a stored version of it (%s)%s",
                        fingerprint, schema.getFullName(), storedVersions, other));
    }

    private MalformedRecordException bodyProblem(byte[] value, Writer writer, Exception e) {
        String detail =
                AvroBinaryValidator.findProblem(writer.schema(), value, HEADER_LENGTH)
                        .orElseGet(() -> describe(e));
        return new MalformedRecordException(
                "malformed single-object "
                        + type.getSimpleName()
                        + " (writer schema "
                        + writer.label()
                        + "): "
                        + detail,
                e);
    }

    /** The innermost message of an Avro exception; Avro often wraps the telling one. */
    static String describe(Throwable e) {
        if (e == null) {
            return "unexpected bytes after the record";
        }
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
