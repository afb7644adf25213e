package io.hyperrec.schemas;

import org.apache.avro.Schema;

/**
 * The part of a Confluent-style schema registry that the Confluent wire format needs: an id for
 * each (subject, schema) a writer uses, and the schema behind each id a reader meets.
 *
 * <p>Two implementations: {@link LocalSchemaRegistry} in process (the embedded runtime and tests)
 * and {@link RestSchemaRegistry} for a real Confluent Schema Registry (or a compatible one such as
 * Apicurio's or Karapace). Flink jobs do not hold a registry but a {@link RegistryConfig}, which is
 * serializable and opens the registry on the task manager.
 *
 * <p>Implementations are thread-safe and cache what they learn: ids never change meaning, so a
 * record stream asks the registry about each schema once.
 */
public interface SchemaRegistry {
    /**
     * Registers a schema under a subject, or finds it if it is already registered there.
     *
     * @param subject e.g. {@code interactions-value} ({@link Topics#valueSubject})
     * @param schema the writer schema
     * @return the schema's id, the same for the same schema every time
     * @throws SchemaRegistryException if the registry cannot be reached or refuses the schema (e.g.
     *     incompatible with the subject's latest version)
     */
    int register(String subject, Schema schema);

    /**
     * @param id a schema id from a Confluent header
     * @return the schema with that id
     * @throws SchemaRegistryException if the registry cannot be reached, or has no such schema
     *     ({@link SchemaRegistryException#isSchemaNotFound()})
     */
    Schema schemaById(int id);
}
