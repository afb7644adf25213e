package io.hyperrec.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyperrec.schemas.avro.Interaction;
import io.hyperrec.schemas.avro.InteractionType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.avro.util.RandomData;
import org.junit.jupiter.api.Test;

/**
 * The current schemas are stored and can read everything every stored version wrote; and these
 * checks do fail when they should.
 */
class SchemaHistoryTest {
    private static final SchemaHistory HISTORY = SchemaHistory.bundled();
    private static final int RECORDS_PER_VERSION = 25;

    /** What the negative tests change, so that they hold whatever the current schema is. */
    private static final SchemaHistory.Version STORED_INTERACTION =
            HISTORY.latest("Interaction").orElseThrow();

    @Test
    void everyTopicRecordHasAStoredFirstVersion() {
        for (Class<? extends SpecificRecord> type : SchemaHistory.RECORDS) {
            List<SchemaHistory.Version> versions = HISTORY.versions(type);
            assertThat(versions).as(type.getSimpleName()).isNotEmpty();
            assertThat(versions.get(0).number()).isEqualTo(1);
            assertThat(versions.get(0).resource())
                    .isEqualTo("io/hyperrec/schemas/history/" + type.getSimpleName() + "/v1.avsc");
        }
    }

    @Test
    void everySchemaSourceIsATopicRecordWithHistory() throws IOException {
        Path sources = Path.of("src/main/avro/io/hyperrec/schemas/avro");
        List<String> names;
        try (Stream<Path> files = Files.list(sources)) {
            names =
                    files.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(".avsc"))
                            .map(n -> n.substring(0, n.length() - ".avsc".length()))
                            .sorted()
                            .collect(Collectors.toList());
        }

        assertThat(names)
                .as(
                        "every .avsc under %s must be listed in SchemaHistory.RECORDS (and so have a history)",
                        sources)
                .containsExactlyInAnyOrderElementsOf(
                        SchemaHistory.RECORDS.stream().map(Class::getSimpleName).toList());
    }

    @Test
    void everyCurrentSchemaIsItsNewestStoredVersion() {
        List<String> problems = new ArrayList<>();
        for (Class<? extends SpecificRecord> type : SchemaHistory.RECORDS) {
            HISTORY.unstoredChange(Records.schema(type)).ifPresent(problems::add);
        }

        assertThat(problems).as(String.join("\n", problems)).isEmpty();
    }

    @Test
    void everyCurrentSchemaReadsEveryStoredVersion() {
        List<String> problems = new ArrayList<>();
        for (Class<? extends SpecificRecord> type : SchemaHistory.RECORDS) {
            problems.addAll(HISTORY.backwardIncompatibilities(Records.schema(type)));
        }

        assertThat(problems).as(String.join("\n", problems)).isEmpty();
    }

    @Test
    void recordsWrittenWithEveryStoredVersionDecodeIntoTheCurrentClass() throws Exception {
        int checked = 0;
        for (Class<? extends SpecificRecord> type : SchemaHistory.RECORDS) {
            Schema current = Records.schema(type);
            for (SchemaHistory.Version v : HISTORY.versions(type)) {
                checked += checkDecodesOldData(type, current, v.schema(), HISTORY);
            }
        }

        assertThat(checked).isEqualTo(SchemaHistory.RECORDS.size() * RECORDS_PER_VERSION * 2);
    }

    @Test
    void singleObjectDecoderResolvesTheFingerprintOfAnOlderStoredVersion() throws Exception {
        SchemaHistory evolved = fixture("evolved");
        Schema v1 = evolved.versions("Interaction").get(0).schema();
        GenericRecord written = new GenericData.Record(v1);
        written.put("user", "u1");
        written.put("item", "i1");
        written.put("type", new GenericData.EnumSymbol(v1.getField("type").schema(), "PURCHASE"));
        written.put("eventTime", SampleRecords.T0.toEpochMilli());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(written, out);

        Interaction read =
                new SingleObjectCodec<>(Interaction.class, evolved).decode(out.toByteArray());

        assertThat(read.getType()).isEqualTo(InteractionType.PURCHASE);
        assertThat(read.getWeight()).isEqualTo(1.0f);
        assertThat(read.getEventTime()).isEqualTo(SampleRecords.T0);
        assertThat(evolved.backwardIncompatibilities(Interaction.getClassSchema())).isEmpty();
        assertThat(
                        checkDecodesOldData(
                                Interaction.class, Interaction.getClassSchema(), v1, evolved))
                .isEqualTo(2 * RECORDS_PER_VERSION);
    }

    @Test
    void aNewFieldWithoutDefaultIsReportedAsUnableToReadStoredVersions() {
        Schema evolved = withField(STORED_INTERACTION.schema(), "testOnlyField", null);

        List<String> problems = HISTORY.backwardIncompatibilities(evolved);

        assertThat(problems)
                .singleElement()
                .asString()
                .startsWith(
                        "io.hyperrec.schemas.avro.Interaction cannot read data written with "
                                + STORED_INTERACTION.label()
                                + ":")
                .contains("READER_FIELD_MISSING_DEFAULT")
                .contains("testOnlyField");
    }

    @Test
    void aNewFieldWithDefaultIsCompatibleButMustBeStored() {
        Schema evolved = withField(STORED_INTERACTION.schema(), "testOnlyField", "");
        int next = STORED_INTERACTION.number() + 1;

        assertThat(HISTORY.backwardIncompatibilities(evolved)).isEmpty();
        assertThat(HISTORY.unstoredChange(evolved))
                .hasValueSatisfying(
                        m ->
                                assertThat(m)
                                        .startsWith(
                                                "io.hyperrec.schemas.avro.Interaction differs from its"
                                                        + " newest stored version "
                                                        + STORED_INTERACTION.label()
                                                        + " ("
                                                        + STORED_INTERACTION.resource()
                                                        + ").")
                                        .contains(
                                                "copy schemas/src/main/avro/io/hyperrec/schemas/avro/Interaction.avsc"
                                                        + " to schemas/src/main/resources/io/hyperrec/schemas/history/Interaction/v"
                                                        + next
                                                        + ".avsc"));
    }

    @Test
    void aChangedDocIsNotANewVersion() {
        Schema stored = STORED_INTERACTION.schema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : stored.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        Schema redocumented =
                Schema.createRecord(
                        stored.getName(), "New words.", stored.getNamespace(), false, fields);

        assertThat(HISTORY.unstoredChange(redocumented)).isEmpty();
    }

    @Test
    void aStoredVersionTheCurrentSchemaCannotReadIsReported() {
        SchemaHistory incompatible = fixture("incompatible");

        assertThat(incompatible.backwardIncompatibilities(Interaction.getClassSchema()))
                .singleElement()
                .asString()
                .contains("Interaction v1")
                .contains("TYPE_MISMATCH at /fields/0/type");
    }

    private static SchemaHistory fixture(String name) {
        return new SchemaHistory(
                SchemaHistoryTest.class.getClassLoader(),
                "io/hyperrec/schemas/fixtures/" + name + "/");
    }

    /** The record with one more string field, with the given default (null: none). */
    private static Schema withField(Schema record, String name, String defaultValue) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : record.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(
                new Schema.Field(
                        name,
                        Schema.create(Schema.Type.STRING),
                        "Test only.",
                        (Object) defaultValue));
        return Schema.createRecord(
                record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }

    /**
     * Writes random records with an old writer schema, in both wire formats, decodes them with the
     * current class, and compares with Avro's own resolution of the same bytes.
     *
     * @return how many records were checked
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int checkDecodesOldData(
            Class<? extends SpecificRecord> type,
            Schema current,
            Schema writer,
            SchemaHistory history)
            throws Exception {
        AvroCodec single = new SingleObjectCodec(type, history);
        LocalSchemaRegistry registry = new LocalSchemaRegistry();
        int id = registry.register("old-value", writer);
        AvroCodec confluent = AvroCodec.confluent((Class) type, registry, "old");
        BinaryMessageEncoder<Object> oldEncoder =
                new BinaryMessageEncoder<>(GenericData.get(), writer);
        int checked = 0;
        for (Object datum :
                new RandomData(GenericData.get(), writer, RECORDS_PER_VERSION, 20240229L)) {
            byte[] body = plain(writer, datum, GenericData.get());
            GenericRecord expected =
                    (GenericRecord)
                            new GenericDatumReader<>(writer, current)
                                    .read(null, DecoderFactory.get().binaryDecoder(body, null));
            ByteArrayOutputStream singleValue = new ByteArrayOutputStream();
            oldEncoder.encode(datum, singleValue);
            byte[] confluentValue =
                    AvroCodecTest.concat(
                            new byte[] {
                                0,
                                (byte) (id >>> 24),
                                (byte) (id >>> 16),
                                (byte) (id >>> 8),
                                (byte) id
                            },
                            body);

            for (byte[] value : List.of(singleValue.toByteArray(), confluentValue)) {
                AvroCodec codec = value[0] == 0 ? confluent : single;
                SpecificRecordBase decoded = (SpecificRecordBase) codec.decode(value);
                byte[] again = plain(current, decoded, decoded.getSpecificData());
                GenericRecord actual =
                        (GenericRecord)
                                new GenericDatumReader<>(current, current)
                                        .read(
                                                null,
                                                DecoderFactory.get().binaryDecoder(again, null));
                assertThat(actual)
                        .as("%s written with %s", type.getSimpleName(), writer)
                        .isEqualTo(expected);
                checked++;
            }
        }
        return checked;
    }

    private static byte[] plain(Schema schema, Object datum, GenericData model) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<>(schema, model).write(datum, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
