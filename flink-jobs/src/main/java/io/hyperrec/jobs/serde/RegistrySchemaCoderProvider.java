package io.hyperrec.jobs.serde;

import io.hyperrec.schemas.RegistryConfig;
import org.apache.flink.formats.avro.SchemaCoder;

/**
 * Creates a {@link RegistrySchemaCoder} wherever flink-avro's registry schemas run. This is the
 * part that travels in the job graph, so it holds only a subject and a {@link RegistryConfig}; no
 * registry exists until a task calls {@link #get()}. Equal providers make equal flink-avro schemas
 * (they compare their providers).
 *
 * @param subject the subject writer schemas are registered under, e.g. {@code interactions-value}
 * @param registryConfig which registry to use
 */
public record RegistrySchemaCoderProvider(String subject, RegistryConfig registryConfig)
        implements SchemaCoder.SchemaCoderProvider {
    private static final long serialVersionUID = 1L;

    /** Validates the parts. */
    public RegistrySchemaCoderProvider {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("subject must not be blank, got '" + subject + "'");
        }
        if (registryConfig == null) {
            throw new IllegalArgumentException("registry config must not be null");
        }
    }

    @Override
    public SchemaCoder get() {
        return new RegistrySchemaCoder(subject, registryConfig);
    }
}
