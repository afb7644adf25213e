package io.hyperrec.jobs.serde;

import io.hyperrec.schemas.AvroBinaryValidator;
import io.hyperrec.schemas.ConfluentFraming;
import io.hyperrec.schemas.MalformedRecordException;
import io.hyperrec.schemas.RegistryConfig;
import io.hyperrec.schemas.SchemaException;
import io.hyperrec.schemas.SchemaRegistry;
import java.io.IOException;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.RegistryAvroDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * Reads Confluent framed values with flink-avro's {@link RegistryAvroDeserializationSchema} and our
 * {@link RegistrySchemaCoder}, guarded so that bad input is reported clearly and cannot corrupt the
 * records after it.
 *
 * <p>Why the guard: flink-avro 2.2 reuses one buffered {@code BinaryDecoder} for all records and
 * never resets it. After a record that fails half-way, or one with bytes after its datum, the
 * decoder still holds the unread bytes and decodes the <em>next</em> record from them: good records
 * come out wrong, silently. (Fixed upstream after 2.2.0; see {@code
 * AvroDeserializationSchemaDecoderResetTest} in apache/flink.) So each value is first checked
 * against its writer schema with {@link AvroBinaryValidator}, which rejects truncated bodies,
 * trailing bytes and out-of-range lengths and indexes before the decoder sees them; and should the
 * decoder still fail, it is thrown away and a fresh one made for the next record.
 *
 * <p>Every problem with the bytes throws {@link MalformedRecordException} with a dead-letter ready
 * message; registry failures stay {@link io.hyperrec.schemas.SchemaRegistryException}. A null value
 * (tombstone) gives null, which Flink skips, as flink-avro does.
 */
final class ConfluentDeserializationSchema<T extends SpecificRecordBase>
        implements DeserializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final RegistrySchemaCoderProvider coderProvider;
    private transient RegistryAvroDeserializationSchema<T> delegate;
    private transient SchemaRegistry registry;
    private transient Schema readerSchema;

    ConfluentDeserializationSchema(Class<T> type, String subject, RegistryConfig registryConfig) {
        this.type = type;
        this.coderProvider = new RegistrySchemaCoderProvider(subject, registryConfig);
    }

    @Override
    public void open(InitializationContext context) throws Exception {
        delegate = newDelegate();
        delegate.open(context);
        registry = coderProvider.registryConfig().open();
    }

    @Override
    public T deserialize(byte[] message) throws IOException {
        if (message == null) {
            return null;
        }
        int id = ConfluentFraming.schemaId(message);
        Schema writer = ConfluentFraming.writerSchema(registry(), id);
        ConfluentFraming.requireSameRecord(id, writer, readerSchema());
        Optional<String> problem =
                AvroBinaryValidator.findProblem(writer, message, ConfluentFraming.HEADER_LENGTH);
        if (problem.isPresent()) {
            throw new MalformedRecordException(
                    "malformed Confluent-framed "
                            + type.getSimpleName()
                            + " (writer schema id "
                            + id
                            + "): "
                            + problem.get());
        }
        try {
            return delegate().deserialize(message);
        } catch (SchemaException e) {
            delegate = null;
            throw e;
        } catch (IOException | RuntimeException e) {
            delegate = null;
            throw new MalformedRecordException(
                    "cannot read Confluent-framed "
                            + type.getSimpleName()
                            + " (writer schema id "
                            + id
                            + "): "
                            + e,
                    e);
        }
    }

    @Override
    public boolean isEndOfStream(T nextElement) {
        return false;
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return new AvroTypeInfo<>(type);
    }

    private RegistryAvroDeserializationSchema<T> newDelegate() {
        return new RegistryAvroDeserializationSchema<>(type, null, coderProvider);
    }

    private RegistryAvroDeserializationSchema<T> delegate() {
        if (delegate == null) {
            delegate = newDelegate();
        }
        return delegate;
    }

    private SchemaRegistry registry() {
        if (registry == null) {
            registry = coderProvider.registryConfig().open();
        }
        return registry;
    }

    private Schema readerSchema() {
        if (readerSchema == null) {
            readerSchema = SpecificData.get().getSchema(type);
        }
        return readerSchema;
    }
}
