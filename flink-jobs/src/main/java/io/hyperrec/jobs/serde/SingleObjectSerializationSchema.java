package io.hyperrec.jobs.serde;

import io.hyperrec.schemas.AvroCodec;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SerializationSchema;

/**
 * Writes Avro single-object encoded values with {@link AvroCodec#singleObject}. Only the record
 * class travels in the job graph; the codec is built in {@link #open} (or on first use). A null
 * record gives a null value (a tombstone).
 */
final class SingleObjectSerializationSchema<T extends SpecificRecordBase>
        implements SerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private transient AvroCodec<T> codec;

    SingleObjectSerializationSchema(Class<T> type) {
        this.type = type;
    }

    @Override
    public void open(InitializationContext context) {
        codec = AvroCodec.singleObject(type);
    }

    @Override
    public byte[] serialize(T element) {
        if (element == null) {
            return null;
        }
        if (codec == null) {
            codec = AvroCodec.singleObject(type);
        }
        return codec.encode(element);
    }
}
