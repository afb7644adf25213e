package io.hyperrec.jobs.serde;

import io.hyperrec.schemas.AvroCodec;
import io.hyperrec.schemas.RegistryConfig;
import io.hyperrec.schemas.WireFormat;
import java.io.Serializable;
import org.apache.avro.specific.SpecificRecord;

/**
 * A codec description that travels in a job graph and opens the real {@link AvroCodec} (and its
 * schema registry) on first use in the TaskManager. Decoding reads both wire formats; encoding
 * writes the configured one.
 *
 * @param <T> the record class
 */
public final class LazyCodec<T extends SpecificRecord> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final WireFormat format;
    private final RegistryConfig registry;
    private final String topic;
    private transient AvroCodec<T> codec;

    /**
     * @param type the generated record class
     * @param format what {@link #encode} writes
     * @param registry the schema registry for the Confluent format
     * @param topic the topic (names the registry subject)
     */
    public LazyCodec(Class<T> type, WireFormat format, RegistryConfig registry, String topic) {
        this.type = type;
        this.format = format;
        this.registry = registry;
        this.topic = topic;
    }

    private AvroCodec<T> codec() {
        if (codec == null) {
            codec = AvroCodec.detecting(type, format, registry.open(), topic);
        }
        return codec;
    }

    /** Decodes either wire format; throws {@code MalformedRecordException} naming the problem. */
    public T decode(byte[] bytes) {
        return codec().decode(bytes);
    }

    /** Encodes in the configured format. */
    public byte[] encode(T record) {
        return codec().encode(record);
    }
}
