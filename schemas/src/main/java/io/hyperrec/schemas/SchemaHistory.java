package io.hyperrec.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.hyperrec.schemas.avro.DeadLetter;
import io.hyperrec.schemas.avro.EmbeddingUpdate;
import io.hyperrec.schemas.avro.Interaction;
import io.hyperrec.schemas.avro.ItemCreated;
import io.hyperrec.schemas.avro.ItemEnriched;
import io.hyperrec.schemas.avro.ModelPublished;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SchemaParseException;
import org.apache.avro.specific.SpecificRecord;

/**
 * The released versions of every topic record's schema, stored as resources {@code
 * io/hyperrec/schemas/history/<RecordName>/v<n>.avsc} (v1, v2, … without gaps).
 *
 * <p>Why keep them: Kafka topics (and the compacted {@code items.enriched} above all) hold records
 * written by every release that ever ran, so the current schema must be able to read all of them.
 * The stored versions are what the compatibility tests check the current schemas against, what the
 * single-object decoder resolves old fingerprints with, and what the in-process registry knows
 * without being told.
 *
 * <p>Releasing a schema change therefore means storing the new schema as the next version; a test
 * fails, with {@link #unstoredChange} explaining what to do, until that is done. Changes to {@code
 * doc} only are not versions: they change neither the data nor how it is read.
 *
 * <p>Immutable after loading; versions are loaded lazily and cached; thread-safe.
 */
public final class SchemaHistory {
    /** The records that are the values of hyperrec's topics, in the order of {@link Topics}. */
    public static final List<Class<? extends SpecificRecord>> RECORDS =
            List.of(
                    Interaction.class,
                    ItemCreated.class,
                    ItemEnriched.class,
                    EmbeddingUpdate.class,
                    ModelPublished.class,
                    DeadLetter.class);

    /** The resource folder of the bundled history. */
    public static final String ROOT = "io/hyperrec/schemas/history/";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One stored version of a record's schema. */
    public record Version(String record, int number, String resource, Schema schema) {
        /**
         * @return e.g. "Interaction v1", as error messages name it
         */
        public String label() {
            return record + " v" + number;
        }
    }

    private static final class Bundled {
        static final SchemaHistory INSTANCE =
                new SchemaHistory(SchemaHistory.class.getClassLoader(), ROOT);
    }

    private final ClassLoader loader;
    private final String root;
    private final Map<String, List<Version>> versions = new ConcurrentHashMap<>();
    private volatile Map<Long, String> fingerprintLabels;

    /**
     * A history read from another resource folder; for tests that need a history of their own.
     *
     * @param loader where the resources are
     * @param root the folder holding one sub-folder per record, ending in "/"
     */
    SchemaHistory(ClassLoader loader, String root) {
        this.loader = loader;
        this.root = root;
    }

    /**
     * @return the history bundled with this module, under {@link #ROOT}
     */
    public static SchemaHistory bundled() {
        return Bundled.INSTANCE;
    }

    /**
     * @param record a record's simple name, e.g. "Interaction"
     * @return its stored versions, oldest first; empty when none is stored
     * @throws SchemaException if a stored version cannot be read or parsed
     */
    public List<Version> versions(String record) {
        return versions.computeIfAbsent(record, this::load);
    }

    /**
     * @param type a generated record class
     * @return its stored versions, oldest first; empty when none is stored
     */
    public List<Version> versions(Class<? extends SpecificRecord> type) {
        return versions(Records.schema(type).getName());
    }

    /**
     * @param record a record's simple name
     * @return its newest stored version, if any
     */
    public Optional<Version> latest(String record) {
        List<Version> all = versions(record);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /**
     * Checks that a reader schema can read data written with every stored version of its record
     * (Avro's backward compatibility, {@link SchemaCompatibility}).
     *
     * @param reader the schema that will read, normally the current one of a record class
     * @return one line per stored version it cannot read, naming the version and each problem;
     *     empty when it can read them all
     */
    public List<String> backwardIncompatibilities(Schema reader) {
        List<String> problems = new ArrayList<>();
        for (Version v : versions(reader.getName())) {
            incompatibility(reader, v.schema(), v.label()).ifPresent(problems::add);
        }
        return problems;
    }

    /**
     * @param reader the schema that will read
     * @param writer the schema the data was written with
     * @param writerLabel how messages name the writer, e.g. "Interaction v1"
     * @return why {@code reader} cannot read data written with {@code writer}, or empty if it can
     */
    public static Optional<String> incompatibility(
            Schema reader, Schema writer, String writerLabel) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return Optional.empty();
        }
        StringBuilder sb =
                new StringBuilder(reader.getFullName())
                        .append(" cannot read data written with ")
                        .append(writerLabel)
                        .append(':');
        for (SchemaCompatibility.Incompatibility i : result.getResult().getIncompatibilities()) {
            sb.append(' ')
                    .append(i.getType())
                    .append(" at ")
                    .append(i.getLocation())
                    .append(" (")
                    .append(i.getMessage())
                    .append(");");
        }
        return Optional.of(sb.toString());
    }

    /**
     * Checks that a schema has been stored: it must equal its record's newest stored version,
     * {@code doc} strings and generator properties ({@code avro.java.string}) aside.
     *
     * @param current the schema in use, normally that of a generated record class
     * @return what differs and what to do about it, or empty when the schema is stored
     */
    public Optional<String> unstoredChange(Schema current) {
        String name = current.getName();
        Optional<Version> latest = latest(name);
        String source =
                "schemas/src/main/avro/" + current.getFullName().replace('.', '/') + ".avsc";
        if (latest.isEmpty()) {
            return Optional.of(
                    current.getFullName()
                            + " has no stored version. Copy "
                            + source
                            + " to schemas/src/main/resources/"
                            + root
                            + name
                            + "/v1.avsc so that later changes can be checked against it.");
        }
        Version v = latest.get();
        if (sameIgnoringDocs(current, v.schema())) {
            return Optional.empty();
        }
        int next = v.number() + 1;
        return Optional.of(
                current.getFullName()
                        + " differs from its newest stored version "
                        + v.label()
                        + " ("
                        + v.resource()
                        + "). Every released schema must be stored so that readers are checked"
                        + " against the data already on the topics. If the change is meant to be"
                        + " released, copy "
                        + source
                        + " to schemas/src/main/resources/"
                        + root
                        + name
                        + "/v"
                        + next
                        + ".avsc (the compatibility test then checks that it still reads v"
                        + v.number()
                        + " data); if v"
                        + v.number()
                        + " has not been released yet, update it instead; otherwise revert the"
                        + " .avsc.");
    }

    /**
     * Whether two schemas describe the same data and the same reading rules: equal once {@code doc}
     * strings and the Java generator's {@code avro.java.string} properties are removed.
     *
     * @param a a schema
     * @param b another schema
     * @return whether they are equal in that sense
     */
    public static boolean sameIgnoringDocs(Schema a, Schema b) {
        try {
            return normalized(JSON.readTree(a.toString()))
                    .equals(normalized(JSON.readTree(b.toString())));
        } catch (IOException e) {
            throw new SchemaException("cannot compare schemas " + a.getFullName(), e);
        }
    }

    /**
     * @param fingerprint a CRC-64-AVRO fingerprint of a schema's parsing canonical form
     * @return which record schema it belongs to, e.g. "ItemCreated v1" or "ItemCreated (current)",
     *     among the current and stored schemas of {@link #RECORDS}
     */
    public Optional<String> describeFingerprint(long fingerprint) {
        Map<Long, String> labels = fingerprintLabels;
        if (labels == null) {
            Map<Long, String> m = new HashMap<>();
            for (Class<? extends SpecificRecord> type : RECORDS) {
                for (Version v : versions(type)) {
                    m.put(SchemaNormalization.parsingFingerprint64(v.schema()), v.label());
                }
                Schema current = Records.schema(type);
                m.putIfAbsent(
                        SchemaNormalization.parsingFingerprint64(current),
                        current.getName() + " (current)");
            }
            labels = Collections.unmodifiableMap(m);
            fingerprintLabels = labels;
        }
        return Optional.ofNullable(labels.get(fingerprint));
    }

    private List<Version> load(String record) {
        List<Version> found = new ArrayList<>();
        for (int n = 1; ; n++) {
            String resource = root + record + "/v" + n + ".avsc";
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    break;
                }
                Schema schema = new Schema.Parser().parse(in);
                if (!schema.getName().equals(record)) {
                    throw new SchemaException(
                            resource
                                    + " holds the schema of "
                                    + schema.getFullName()
                                    + ", expected a record named "
                                    + record);
                }
                found.add(new Version(record, n, resource, schema));
            } catch (IOException | SchemaParseException e) {
                throw new SchemaException(
                        "cannot read stored schema " + resource + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(found);
    }

    private static JsonNode normalized(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode copy = JSON.createObjectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (!f.getKey().equals("doc") && !f.getKey().equals("avro.java.string")) {
                    copy.set(f.getKey(), normalized(f.getValue()));
                }
            }
            // {"type": "string"} is "string" once the generator's property is gone
            if (copy.size() == 1 && copy.get("type") instanceof TextNode type) {
                return type;
            }
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = JSON.createArrayNode();
            array.forEach(item -> copy.add(normalized(item)));
            return copy;
        }
        return node;
    }
}
