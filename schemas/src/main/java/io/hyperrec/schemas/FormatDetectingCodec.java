package io.hyperrec.schemas;

import org.apache.avro.specific.SpecificRecord;

/** Reads both wire formats (by the first byte), writes one. See {@link AvroCodec#detecting}. */
final class FormatDetectingCodec<T extends SpecificRecord> implements AvroCodec<T> {
    private final AvroCodec<T> singleObject;
    private final AvroCodec<T> confluent;
    private final WireFormat encodeAs;

    FormatDetectingCodec(AvroCodec<T> singleObject, AvroCodec<T> confluent, WireFormat encodeAs) {
        if (encodeAs == null) {
            throw new IllegalArgumentException("wire format to encode with must not be null");
        }
        this.singleObject = singleObject;
        this.confluent = confluent;
        this.encodeAs = encodeAs;
    }

    @Override
    public byte[] encode(T record) {
        return (encodeAs == WireFormat.SINGLE_OBJECT ? singleObject : confluent).encode(record);
    }

    @Override
    public T decode(byte[] value) {
        return switch (WireFormat.detect(value)) {
            case SINGLE_OBJECT -> singleObject.decode(value);
            case CONFLUENT -> confluent.decode(value);
        };
    }

    @Override
    public WireFormat format() {
        return encodeAs;
    }

    @Override
    public Class<T> recordClass() {
        return singleObject.recordClass();
    }
}
