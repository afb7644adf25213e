package io.hyperrec.schemas;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/** Schema and data model of a generated record class, with the checks every codec needs. */
final class Records {
    private Records() {}

    /**
     * @return the schema the class was generated from (with the generator's properties, e.g. {@code
     *     avro.java.string})
     * @throws SchemaException if the class is not a generated Avro record class
     */
    static Schema schema(Class<? extends SpecificRecord> type) {
        if (type == null) {
            throw new IllegalArgumentException("record class must not be null");
        }
        Schema schema;
        try {
            schema = SpecificData.get().getSchema(type);
        } catch (AvroRuntimeException e) {
            throw new SchemaException(
                    type.getName() + " is not a generated Avro record class: " + e.getMessage(), e);
        }
        if (schema.getType() != Schema.Type.RECORD) {
            throw new SchemaException(
                    type.getName()
                            + " is not a generated Avro record class (schema type "
                            + schema.getType()
                            + ")");
        }
        return schema;
    }

    /**
     * @return the class's own data model: the one generated with it, which carries its logical type
     *     conversions (timestamp-millis as {@link java.time.Instant}), not the bare {@link
     *     SpecificData#get()}
     */
    static SpecificData model(Class<? extends SpecificRecord> type) {
        return SpecificData.getForClass(type);
    }
}
