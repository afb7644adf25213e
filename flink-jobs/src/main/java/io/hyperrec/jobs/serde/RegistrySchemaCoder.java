package io.hyperrec.jobs.serde;

import io.hyperrec.schemas.ConfluentFraming;
import io.hyperrec.schemas.MalformedRecordException;
import io.hyperrec.schemas.RegistryConfig;
import io.hyperrec.schemas.SchemaRegistry;
import io.hyperrec.schemas.SchemaRegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.avro.Schema;
import org.apache.flink.formats.avro.SchemaCoder;

/**
 * flink-avro's {@link SchemaCoder} for the Confluent wire format over our {@link SchemaRegistry},
 * in place of {@code flink-avro-confluent-registry} (which needs Confluent's client jars, absent
 * from Maven Central). It writes and reads the 5-byte header ({@code 00} + big-endian schema id)
 * with {@link ConfluentFraming}, so it frames exactly like {@code AvroCodec.confluent}.
 *
 * <p>Writing registers the writer schema under one subject (TopicNameStrategy: {@code
 * <topic>-value}) once per schema and reuses the id. Reading looks the id up (cached by the
 * registry). A wrong magic byte, a short header or an id the registry does not know throws {@link
 * MalformedRecordException}; other registry failures throw {@link SchemaRegistryException}.
 *
 * <p>Serializable although {@code SchemaCoder} is not, because flink-avro 2.2's {@code
 * RegistryAvroSerializationSchema} keeps its coder in a non-transient field: a serialization schema
 * that has been used and is then shipped (or snapshotted) must not drag a live registry along. The
 * registry is therefore transient and re-opened from the {@link RegistryConfig}. Thread-safe.
 */
public final class RegistrySchemaCoder implements SchemaCoder, Serializable {
    private static final long serialVersionUID = 1L;

    private final String subject;
    private final RegistryConfig registryConfig;
    private transient volatile SchemaRegistry registry;
    private transient volatile Registered lastWritten;

    /** The schema written last and its id; one object so that both change together. */
    private record Registered(Schema schema, int id) {}

    /**
     * @param subject the subject writer schemas are registered under, e.g. {@code
     *     interactions-value}
     * @param registryConfig which registry to use
     */
    public RegistrySchemaCoder(String subject, RegistryConfig registryConfig) {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("subject must not be blank, got '" + subject + "'");
        }
        if (registryConfig == null) {
            throw new IllegalArgumentException("registry config must not be null");
        }
        this.subject = subject;
        this.registryConfig = registryConfig;
    }

    @Override
    public Schema readSchema(InputStream in) throws IOException {
        int id = ConfluentFraming.readSchemaId(in);
        return ConfluentFraming.writerSchema(registry(), id);
    }

    @Override
    public void writeSchema(Schema schema, OutputStream out) throws IOException {
        Registered last = lastWritten;
        if (last == null || last.schema() != schema) {
            last = new Registered(schema, registry().register(subject, schema));
            lastWritten = last;
        }
        ConfluentFraming.writeHeader(out, last.id());
    }

    /**
     * @return the subject writer schemas are registered under
     */
    public String subject() {
        return subject;
    }

    private SchemaRegistry registry() {
        SchemaRegistry r = registry;
        if (r == null) {
            r = registryConfig.open();
            registry = r;
        }
        return r;
    }
}
