package io.hyperrec.jobs.serde;

import io.hyperrec.schemas.AvroCodec;
import io.hyperrec.schemas.RegistryConfig;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * Reads values with an {@link AvroCodec}: single-object encoded ones, or, when given a registry,
 * either format told apart by the first byte ({@link AvroCodec#detecting(Class,
 * io.hyperrec.schemas.SchemaRegistry)}). Only the record class and the registry config travel in
 * the job graph; the codec is built in {@link #open} (or on first use).
 *
 * <p>Bad bytes throw {@link io.hyperrec.schemas.MalformedRecordException}; the codec keeps no state
 * between records, so a bad record cannot affect the next. A null value (tombstone) gives null,
 * which Flink skips.
 */
final class CodecDeserializationSchema<T extends SpecificRecordBase>
        implements DeserializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;

    /** Null for single-object only; otherwise both formats are read. */
    private final RegistryConfig detectWith;

    private transient AvroCodec<T> codec;

    private CodecDeserializationSchema(Class<T> type, RegistryConfig detectWith) {
        this.type = type;
        this.detectWith = detectWith;
    }

    /** Reads single-object encoded values only. */
    static <T extends SpecificRecordBase> CodecDeserializationSchema<T> singleObject(
            Class<T> type) {
        return new CodecDeserializationSchema<>(type, null);
    }

    /** Reads both formats, Confluent ids from the given registry. */
    static <T extends SpecificRecordBase> CodecDeserializationSchema<T> detecting(
            Class<T> type, RegistryConfig registryConfig) {
        if (registryConfig == null) {
            throw new IllegalArgumentException("registry config must not be null");
        }
        return new CodecDeserializationSchema<>(type, registryConfig);
    }

    @Override
    public void open(InitializationContext context) {
        codec = newCodec();
    }

    @Override
    public T deserialize(byte[] message) {
        if (message == null) {
            return null;
        }
        if (codec == null) {
            codec = newCodec();
        }
        return codec.decode(message);
    }

    @Override
    public boolean isEndOfStream(T nextElement) {
        return false;
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return new AvroTypeInfo<>(type);
    }

    private AvroCodec<T> newCodec() {
        return detectWith == null
                ? AvroCodec.singleObject(type)
                : AvroCodec.detecting(type, detectWith.open());
    }
}
