package io.hyperrec.schemas;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;

/**
 * An in-process schema registry for the embedded runtime and tests, where running a Confluent
 * Schema Registry is not an option.
 *
 * <p>Ids are deterministic: a schema's id is derived from the CRC-64-AVRO fingerprint of its full
 * JSON text ({@link #idFor}), so every instance, in every JVM and after every restart, gives a
 * schema the same id. Like Confluent's registry, one schema has one id whatever the subject. Every
 * instance knows the current and stored schemas of all topic records ({@link SchemaHistory}) before
 * anything is registered, so a reader in a fresh process decodes what a writer elsewhere
 * registered. The price of hashed ids is a 2<sup>-31</sup>-per-pair chance of two schemas sharing
 * one; that is detected and reported, never silently resolved.
 *
 * <p>Like Confluent's default ({@code BACKWARD}), registering a new schema under a subject requires
 * that it can read data written with the subject's latest schema.
 *
 * <p>Thread-safe. {@link #shared()} is the instance of the JVM that {@link RegistryConfig#local()}
 * opens, so all jobs and services of the embedded runtime see each other's registrations.
 */
public final class LocalSchemaRegistry implements SchemaRegistry {
    private static final class Shared {
        static final LocalSchemaRegistry INSTANCE = new LocalSchemaRegistry();
    }

    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    private final Map<String, List<Schema>> subjects = new HashMap<>();

    /** A registry that knows the schemas of {@link SchemaHistory#RECORDS}, current and stored. */
    public LocalSchemaRegistry() {
        SchemaHistory history = SchemaHistory.bundled();
        for (Class<? extends SpecificRecord> type : SchemaHistory.RECORDS) {
            for (SchemaHistory.Version v : history.versions(type)) {
                remember(v.schema());
            }
            remember(Records.schema(type));
        }
    }

    /**
     * @return this JVM's shared instance
     */
    public static LocalSchemaRegistry shared() {
        return Shared.INSTANCE;
    }

    /**
     * The id this registry gives a schema: 1 + (the fingerprint of its JSON text, as a non-negative
     * long) mod (2<sup>31</sup> - 1), so always in [1, 2<sup>31</sup> - 1] like Confluent ids.
     *
     * @param schema a schema
     * @return its id
     */
    public static int idFor(Schema schema) {
        long fingerprint =
                SchemaNormalization.fingerprint64(
                        schema.toString().getBytes(StandardCharsets.UTF_8));
        return 1 + (int) ((fingerprint >>> 1) % Integer.MAX_VALUE);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("subject must not be blank, got '" + subject + "'");
        }
        List<Schema> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        String text = schema.toString();
        for (Schema v : versions) {
            if (v.toString().equals(text)) {
                return idFor(v);
            }
        }
        if (!versions.isEmpty()) {
            Schema latest = versions.get(versions.size() - 1);
            Optional<String> problem =
                    SchemaHistory.incompatibility(
                            schema,
                            latest,
                            "version " + versions.size() + " of subject " + subject);
            if (problem.isPresent()) {
                throw new SchemaRegistryException(
                        "local schema registry: schema being registered under subject "
                                + subject
                                + " is incompatible with its latest version (BACKWARD): "
                                + problem.get(),
                        -1,
                        SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                        null);
            }
        }
        int id = remember(schema);
        versions.add(schema);
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        Schema schema = byId.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(
                    "local schema registry has no schema with id "
                            + id
                            + " (it knows the registered schemas and those of "
                            + SchemaHistory.ROOT
                            + ")",
                    -1,
                    SchemaRegistryException.SCHEMA_NOT_FOUND,
                    null);
        }
        return schema;
    }

    /**
     * @param subject a subject
     * @return the schemas registered under it, oldest first
     */
    public synchronized List<Schema> versions(String subject) {
        return List.copyOf(subjects.getOrDefault(subject, List.of()));
    }

    private int remember(Schema schema) {
        int id = idFor(schema);
        Schema previous = byId.putIfAbsent(id, schema);
        if (previous != null && !previous.toString().equals(schema.toString())) {
            throw new SchemaRegistryException(
                    "local schema registry: schemas "
                            + previous.getFullName()
                            + " and "
                            + schema.getFullName()
                            + " hash to the same id "
                            + id
                            + "; change either (e.g. its doc) or use a real schema registry",
                    -1,
                    -1,
                    null);
        }
        return id;
    }
}
