package io.hyperrec.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyperrec.schemas.avro.DeadLetter;
import io.hyperrec.schemas.avro.EmbeddingUpdate;
import io.hyperrec.schemas.avro.Interaction;
import io.hyperrec.schemas.avro.InteractionType;
import io.hyperrec.schemas.avro.ModelPublished;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroCodecTest {
    static Iterable<SpecificRecordBase> records() {
        return SampleRecords.all();
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecordBase> Class<T> classOf(T record) {
        return (Class<T>) record.getClass();
    }

    @ParameterizedTest
    @MethodSource("records")
    <T extends SpecificRecordBase> void roundTripsEveryRecordInSingleObjectEncoding(T record) {
        AvroCodec<T> codec = AvroCodec.singleObject(classOf(record));

        byte[] bytes = codec.encode(record);

        assertThat(codec.decode(bytes)).isEqualTo(record);
        assertThat(codec.format()).isEqualTo(WireFormat.SINGLE_OBJECT);
    }

    @ParameterizedTest
    @MethodSource("records")
    <T extends SpecificRecordBase> void roundTripsEveryRecordInConfluentFormat(T record) {
        AvroCodec<T> codec =
                AvroCodec.confluent(
                        classOf(record), new LocalSchemaRegistry(), SampleRecords.topicOf(record));

        byte[] bytes = codec.encode(record);

        assertThat(codec.decode(bytes)).isEqualTo(record);
        assertThat(codec.format()).isEqualTo(WireFormat.CONFLUENT);
    }

    @Test
    void singleObjectValueIsMarkerFingerprintAndPlainAvroBody() throws Exception {
        Interaction record = SampleRecords.interaction();

        byte[] bytes = AvroCodec.singleObject(Interaction.class).encode(record);

        long fingerprint = SchemaNormalization.parsingFingerprint64(Interaction.getClassSchema());
        ByteBuffer header = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(header.getLong()).isEqualTo(fingerprint);
        assertThat(Arrays.copyOfRange(bytes, 10, bytes.length)).isEqualTo(plainAvro(record));
    }

    @Test
    void confluentValueIsMagicRegisteredIdAndPlainAvroBody() throws Exception {
        LocalSchemaRegistry registry = new LocalSchemaRegistry();
        Interaction record = SampleRecords.interaction();

        byte[] bytes =
                AvroCodec.confluent(Interaction.class, registry, Topics.INTERACTIONS)
                        .encode(record);

        assertThat(registry.versions("interactions-value"))
                .containsExactly(Interaction.getClassSchema());
        int id = LocalSchemaRegistry.idFor(Interaction.getClassSchema());
        assertThat(bytes[0]).isEqualTo((byte) 0);
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(plainAvro(record));
    }

    @Test
    void instantsRoundTripToTheMillisecondInBothFormats() {
        Instant t = Instant.parse("1969-07-20T20:17:40.999Z"); // before the epoch, too
        Interaction interaction = SampleRecords.interaction();
        interaction.setEventTime(t);
        EmbeddingUpdate update = SampleRecords.embeddingUpdate();
        update.setSourceTime(t.plusMillis(1)); // timestamp in a union: no per-field conversion

        for (WireFormat format : WireFormat.values()) {
            LocalSchemaRegistry registry = new LocalSchemaRegistry();
            Interaction i =
                    AvroCodec.create(Interaction.class, format, registry, Topics.INTERACTIONS)
                            .decode(
                                    AvroCodec.create(
                                                    Interaction.class,
                                                    format,
                                                    registry,
                                                    Topics.INTERACTIONS)
                                            .encode(interaction));
            AvroCodec<EmbeddingUpdate> updates =
                    AvroCodec.create(EmbeddingUpdate.class, format, registry, Topics.MODEL_UPDATES);
            EmbeddingUpdate u = updates.decode(updates.encode(update));

            assertThat(i.getEventTime()).as(format.name()).isEqualTo(t);
            assertThat(u.getSourceTime()).as(format.name()).isEqualTo(t.plusMillis(1));
        }
    }

    @Test
    void instantsAreTruncatedToMillisecondsAsTimestampMillisPrescribes() {
        Instant withMicros = Instant.parse("2024-01-01T00:00:00.123456789Z");
        DeadLetter letter = SampleRecords.deadLetter();
        letter.setFailedAt(withMicros);
        AvroCodec<DeadLetter> codec = AvroCodec.singleObject(DeadLetter.class);

        DeadLetter decoded = codec.decode(codec.encode(letter));

        assertThat(decoded.getFailedAt()).isEqualTo(Instant.parse("2024-01-01T00:00:00.123Z"));
    }

    @Test
    void detectingCodecReadsBothFormatsAndWritesTheConfiguredOne() {
        LocalSchemaRegistry registry = new LocalSchemaRegistry();
        ModelPublished record = SampleRecords.modelPublished();
        byte[] single = AvroCodec.singleObject(ModelPublished.class).encode(record);
        byte[] confluent =
                AvroCodec.confluent(ModelPublished.class, registry, Topics.MODEL_VERSIONS)
                        .encode(record);
        AvroCodec<ModelPublished> detecting =
                AvroCodec.detecting(
                        ModelPublished.class,
                        WireFormat.CONFLUENT,
                        registry,
                        Topics.MODEL_VERSIONS);

        assertThat(detecting.decode(single)).isEqualTo(record);
        assertThat(detecting.decode(confluent)).isEqualTo(record);
        assertThat(detecting.encode(record)).isEqualTo(confluent);
        assertThat(WireFormat.detect(single)).isEqualTo(WireFormat.SINGLE_OBJECT);
        assertThat(WireFormat.detect(confluent)).isEqualTo(WireFormat.CONFLUENT);
    }

    @Test
    void readOnlyDetectingCodecNeedsNoTopicAndWritesSingleObject() {
        LocalSchemaRegistry registry = new LocalSchemaRegistry();
        Interaction record = SampleRecords.interaction();
        byte[] confluent =
                AvroCodec.confluent(Interaction.class, registry, Topics.INTERACTIONS)
                        .encode(record);
        AvroCodec<Interaction> reader = AvroCodec.detecting(Interaction.class, registry);

        assertThat(reader.decode(confluent)).isEqualTo(record);
        assertThat(reader.format()).isEqualTo(WireFormat.SINGLE_OBJECT);
        assertThat(reader.encode(record))
                .isEqualTo(AvroCodec.singleObject(Interaction.class).encode(record));
    }

    @Test
    void confluentCodecRegistersOnceAndLooksEachIdUpOnce() {
        CountingRegistry registry = new CountingRegistry(new LocalSchemaRegistry());
        AvroCodec<Interaction> writer =
                AvroCodec.confluent(Interaction.class, registry, Topics.INTERACTIONS);
        AvroCodec<Interaction> reader =
                AvroCodec.confluent(Interaction.class, registry, Topics.INTERACTIONS);

        for (int i = 0; i < 5; i++) {
            reader.decode(writer.encode(SampleRecords.interaction()));
        }

        assertThat(registry.registrations.get()).isEqualTo(1);
        assertThat(registry.lookups.get()).isEqualTo(1);
    }

    @Test
    void confluentDecodingResolvesAnOlderWriterSchemaIntoTheCurrentClass() throws Exception {
        // An earlier Interaction without weight and with fewer interaction types.
        Schema type =
                SchemaBuilder.enumeration("InteractionType")
                        .namespace("io.hyperrec.schemas.avro")
                        .defaultSymbol("OTHER")
                        .symbols("VIEW", "PURCHASE", "OTHER");
        Schema old =
                SchemaBuilder.record("Interaction")
                        .namespace("io.hyperrec.schemas.avro")
                        .fields()
                        .requiredString("user")
                        .requiredString("item")
                        .name("type")
                        .type(type)
                        .noDefault()
                        .name("eventTime")
                        .type(timestampMillis())
                        .noDefault()
                        .endRecord();
        LocalSchemaRegistry registry = new LocalSchemaRegistry();
        int id = registry.register("interactions-value", old);
        GenericRecord written = new GenericData.Record(old);
        written.put("user", "u1");
        written.put("item", "i1");
        written.put("type", new GenericData.EnumSymbol(type, "PURCHASE"));
        written.put("eventTime", SampleRecords.T0.toEpochMilli());
        byte[] value =
                concat(
                        new byte[] {
                            0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id
                        },
                        plainAvro(written));

        Interaction read =
                AvroCodec.confluent(Interaction.class, registry, Topics.INTERACTIONS).decode(value);

        assertThat(read.getUser()).isEqualTo("u1");
        assertThat(read.getType()).isEqualTo(InteractionType.PURCHASE);
        assertThat(read.getWeight()).isEqualTo(1.0f); // the current schema's default
        assertThat(read.getEventTime()).isEqualTo(SampleRecords.T0);
    }

    static byte[] plainAvro(GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        GenericData model =
                record instanceof SpecificRecordBase s ? s.getSpecificData() : GenericData.get();
        new GenericDatumWriter<GenericRecord>(record.getSchema(), model).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static Schema timestampMillis() {
        return LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    }

    /** A registry that counts the calls it passes on. */
    static final class CountingRegistry implements SchemaRegistry {
        final SchemaRegistry delegate;
        final AtomicInteger registrations = new AtomicInteger();
        final AtomicInteger lookups = new AtomicInteger();

        CountingRegistry(SchemaRegistry delegate) {
            this.delegate = delegate;
        }

        @Override
        public int register(String subject, Schema schema) {
            registrations.incrementAndGet();
            return delegate.register(subject, schema);
        }

        @Override
        public Schema schemaById(int id) {
            lookups.incrementAndGet();
            return delegate.schemaById(id);
        }
    }
}
