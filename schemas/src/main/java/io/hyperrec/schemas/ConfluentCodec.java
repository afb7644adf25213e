package io.hyperrec.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * {@link WireFormat#CONFLUENT}: {@code 00}, the schema id, the Avro binary body. The class's schema
 * is registered once, lazily, and its id kept; each writer schema id seen while decoding gets one
 * resolving reader, kept for the life of the codec (ids are immutable in a registry). A codec made
 * without a subject only decodes.
 */
final class ConfluentCodec<T extends SpecificRecord> implements AvroCodec<T> {
    private final Class<T> type;
    private final Schema schema;
    private final SpecificData model;
    private final SchemaRegistry registry;
    private final String subject;
    private final SpecificDatumWriter<T> writer;
    private final ConcurrentMap<Integer, Reader<T>> readers = new ConcurrentHashMap<>();
    private volatile Integer schemaId;

    private record Reader<T>(Schema writer, SpecificDatumReader<T> reader) {}

    ConfluentCodec(Class<T> type, SchemaRegistry registry, String subject) {
        if (registry == null) {
            throw new IllegalArgumentException(
                    "the Confluent wire format needs a schema registry, got null");
        }
        this.type = type;
        this.schema = Records.schema(type);
        this.model = Records.model(type);
        this.registry = registry;
        this.subject = subject;
        this.writer = new SpecificDatumWriter<>(schema, model);
    }

    @Override
    public byte[] encode(T record) {
        Objects.requireNonNull(record, "record must not be null");
        int id = schemaId();
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try {
            ConfluentFraming.writeHeader(out, id);
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SchemaException(
                    "cannot encode "
                            + type.getSimpleName()
                            + " (Confluent, schema id "
                            + id
                            + "): "
                            + e.getMessage(),
                    e);
        }
        return out.toByteArray();
    }

    @Override
    public T decode(byte[] value) {
        int id = ConfluentFraming.schemaId(value);
        Reader<T> reader = reader(id);
        BinaryDecoder decoder =
                DecoderFactory.get()
                        .binaryDecoder(
                                value,
                                ConfluentFraming.HEADER_LENGTH,
                                value.length - ConfluentFraming.HEADER_LENGTH,
                                null);
        T record;
        try {
            record = reader.reader().read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw bodyProblem(value, id, reader.writer(), e);
        }
        boolean end;
        try {
            end = decoder.isEnd();
        } catch (IOException e) {
            throw bodyProblem(value, id, reader.writer(), e);
        }
        if (!end) {
            throw bodyProblem(value, id, reader.writer(), null);
        }
        return record;
    }

    @Override
    public WireFormat format() {
        return WireFormat.CONFLUENT;
    }

    @Override
    public Class<T> recordClass() {
        return type;
    }

    private int schemaId() {
        Integer id = schemaId;
        if (id == null) {
            if (subject == null) {
                throw new IllegalStateException(
                        "this Confluent codec of "
                                + type.getSimpleName()
                                + " only decodes: it was made without a topic");
            }
            id = registry.register(subject, schema);
            schemaId = id;
        }
        return id;
    }

    private Reader<T> reader(int id) {
        Reader<T> reader = readers.get(id);
        if (reader == null) {
            Schema writerSchema = ConfluentFraming.writerSchema(registry, id);
            ConfluentFraming.requireSameRecord(id, writerSchema, schema);
            reader =
                    new Reader<>(
                            writerSchema, new SpecificDatumReader<>(writerSchema, schema, model));
            readers.putIfAbsent(id, reader);
        }
        return reader;
    }

    private MalformedRecordException bodyProblem(
            byte[] value, int id, Schema writerSchema, Exception e) {
        String detail =
                AvroBinaryValidator.findProblem(writerSchema, value, ConfluentFraming.HEADER_LENGTH)
                        .orElseGet(() -> SingleObjectCodec.describe(e));
        return new MalformedRecordException(
                "malformed Confluent-framed "
                        + type.getSimpleName()
                        + " (writer schema id "
                        + id
                        + "): "
                        + detail,
                e);
    }
}
