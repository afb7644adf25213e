package io.hyperrec.jobs.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.hyperrec.schemas.AvroCodec;
import io.hyperrec.schemas.FakeSchemaRegistryServer;
import io.hyperrec.schemas.LocalSchemaRegistry;
import io.hyperrec.schemas.MalformedRecordException;
import io.hyperrec.schemas.RegistryConfig;
import io.hyperrec.schemas.SampleRecords;
import io.hyperrec.schemas.SchemaRegistryException;
import io.hyperrec.schemas.Topics;
import io.hyperrec.schemas.WireFormat;
import io.hyperrec.schemas.avro.EmbeddingUpdate;
import io.hyperrec.schemas.avro.Interaction;
import io.hyperrec.schemas.avro.ItemCreated;
import java.io.Serializable;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.formats.avro.RegistryAvroDeserializationSchema;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Flink schemas as a Kafka source or sink uses them: built on the client, shipped through Java
 * serialization ({@link InstantiationUtil#clone}, as the job graph is), opened, then used.
 */
class AvroSerdesTest {
    private static final RegistryConfig LOCAL = RegistryConfig.local();

    static List<Arguments> recordsInEveryFormat() {
        List<Arguments> cases = new ArrayList<>();
        for (WireFormat format : WireFormat.values()) {
            for (SpecificRecordBase record : SampleRecords.all()) {
                cases.add(Arguments.of(format, record));
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("recordsInEveryFormat")
    <T extends SpecificRecordBase> void roundTripsEveryRecordInEveryFormatAfterShipping(
            WireFormat format, T record) throws Exception {
        Class<T> type = classOf(record);
        String topic = SampleRecords.topicOf(record);
        SerializationSchema<T> serializer =
                shipAndOpen(AvroSerdes.serializer(type, format, topic, LOCAL));
        DeserializationSchema<T> deserializer =
                shipAndOpen(AvroSerdes.deserializer(type, format, topic, LOCAL));

        byte[] value = serializer.serialize(record);

        assertThat(WireFormat.detect(value)).isEqualTo(format);
        assertThat(deserializer.deserialize(value)).isEqualTo(record);
        assertThat(deserializer.getProducedType()).isEqualTo(new AvroTypeInfo<>(type));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("recordsInEveryFormat")
    <T extends SpecificRecordBase> void writesExactlyWhatTheCodecWrites(WireFormat format, T record)
            throws Exception {
        Class<T> type = classOf(record);
        String topic = SampleRecords.topicOf(record);
        SerializationSchema<T> serializer =
                shipAndOpen(AvroSerdes.serializer(type, format, topic, LOCAL));
        AvroCodec<T> codec = AvroCodec.create(type, format, new LocalSchemaRegistry(), topic);

        byte[] value = serializer.serialize(record);

        assertThat(value).isEqualTo(codec.encode(record));
        assertThat(codec.decode(value)).isEqualTo(record);
    }

    @Test
    void flinkAvrosOwnRegistrySchemasWorkWithOurCoder() throws Exception {
        RegistrySchemaCoderProvider provider =
                new RegistrySchemaCoderProvider("model.updates-value", LOCAL);
        RegistryAvroSerializationSchema<EmbeddingUpdate> serializer =
                shipAndOpen(
                        RegistryAvroSerializationSchema.forSpecific(
                                EmbeddingUpdate.class, provider));
        RegistryAvroDeserializationSchema<EmbeddingUpdate> deserializer =
                shipAndOpen(
                        new RegistryAvroDeserializationSchema<>(
                                EmbeddingUpdate.class, null, provider));

        for (EmbeddingUpdate update :
                List.of(
                        SampleRecords.embeddingUpdate(),
                        SampleRecords.embeddingUpdateWithoutSourceTime())) {
            byte[] value = serializer.serialize(update);

            assertThat(value[0]).isZero();
            assertThat(deserializer.deserialize(value)).isEqualTo(update);
            assertThat(deserializer.deserialize(value).getSourceTime())
                    .isEqualTo(update.getSourceTime());
        }
    }

    @Test
    void detectingDeserializerReadsBothFormats() throws Exception {
        Interaction record = SampleRecords.interaction();
        DeserializationSchema<Interaction> deserializer =
                shipAndOpen(AvroSerdes.detectingDeserializer(Interaction.class, LOCAL));

        for (WireFormat format : WireFormat.values()) {
            byte[] value =
                    AvroSerdes.serializer(Interaction.class, format, Topics.INTERACTIONS, LOCAL)
                            .serialize(record);
            assertThat(deserializer.deserialize(value)).as(format.name()).isEqualTo(record);
        }
    }

    @Test
    void corruptedValuesRaiseMalformedRecordExceptionInEveryFormat() throws Exception {
        byte[] json = "{\"user\":\"u1\"}".getBytes(StandardCharsets.UTF_8);
        for (WireFormat format : WireFormat.values()) {
            DeserializationSchema<Interaction> deserializer =
                    shipAndOpen(
                            AvroSerdes.deserializer(
                                    Interaction.class, format, Topics.INTERACTIONS, LOCAL));
            byte[] good =
                    AvroSerdes.serializer(Interaction.class, format, Topics.INTERACTIONS, LOCAL)
                            .serialize(SampleRecords.interaction());
            String magic =
                    format == WireFormat.SINGLE_OBJECT
                            ? "the Avro single-object header C3 01"
                            : "the Confluent magic byte 00";

            assertThatThrownBy(() -> deserializer.deserialize(new byte[0]))
                    .isInstanceOf(MalformedRecordException.class)
                    .hasMessageStartingWith("empty value (0 bytes)");
            assertThatThrownBy(() -> deserializer.deserialize(json))
                    .isInstanceOf(MalformedRecordException.class)
                    .hasMessageStartingWith("expected " + magic + ", got 7B 22")
                    .hasMessageEndingWith("(looks like JSON)");
            assertThatThrownBy(() -> deserializer.deserialize(Arrays.copyOf(good, good.length - 3)))
                    .isInstanceOf(MalformedRecordException.class)
                    .hasMessageContaining("truncated")
                    .hasMessageContaining("field eventTime (long)");
            assertThatThrownBy(() -> deserializer.deserialize(concat(good, new byte[] {7})))
                    .isInstanceOf(MalformedRecordException.class)
                    .hasMessageContaining(
                            "1 trailing byte after the datum ended at offset " + good.length);
            byte[] foreign = good.clone();
            Arrays.fill(foreign, 1, format == WireFormat.SINGLE_OBJECT ? 10 : 5, (byte) 0x7F);
            if (format == WireFormat.SINGLE_OBJECT) {
                foreign[1] = 0x01;
            }
            assertThatThrownBy(() -> deserializer.deserialize(foreign))
                    .isInstanceOf(MalformedRecordException.class)
                    .hasMessageStartingWith(
                            format == WireFormat.SINGLE_OBJECT
                                    ? "unknown schema fingerprint 7F7F7F7F7F7F7F7F"
                                    : "unknown schema id 2139062143");
        }
    }

    @Test
    void aRecordOfAnotherTypeIsNamed() throws Exception {
        byte[] item =
                AvroSerdes.serializer(
                                ItemCreated.class, WireFormat.CONFLUENT, Topics.ITEMS_NEW, LOCAL)
                        .serialize(SampleRecords.itemCreated());
        DeserializationSchema<Interaction> deserializer =
                shipAndOpen(
                        AvroSerdes.deserializer(
                                Interaction.class,
                                WireFormat.CONFLUENT,
                                Topics.INTERACTIONS,
                                LOCAL));

        assertThatThrownBy(() -> deserializer.deserialize(item))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageEndingWith(
                        "is io.hyperrec.schemas.avro.ItemCreated, expected io.hyperrec.schemas.avro.Interaction (a record of another type: wrong topic?)");
    }

    @Test
    void badRecordsDoNotSpoilTheGoodRecordsAfterThem() throws Exception {
        for (WireFormat format : WireFormat.values()) {
            DeserializationSchema<Interaction> deserializer =
                    shipAndOpen(
                            AvroSerdes.deserializer(
                                    Interaction.class, format, Topics.INTERACTIONS, LOCAL));
            SerializationSchema<Interaction> serializer =
                    AvroSerdes.serializer(Interaction.class, format, Topics.INTERACTIONS, LOCAL);
            Interaction first = SampleRecords.interaction();
            Interaction second =
                    Interaction.newBuilder(first).setUser("u18").setItem("i43").build();
            byte[] good = serializer.serialize(first);
            int body = format == WireFormat.SINGLE_OBJECT ? 10 : 5;
            byte[] trailing = concat(good, new byte[] {2, 'x'});
            byte[] truncated = Arrays.copyOf(good, good.length - 1);
            byte[] badEnum = good.clone();
            badEnum[body + 8] = 40; // the type's index: 20 of 6

            List<Interaction> read = new ArrayList<>();
            for (byte[] value :
                    List.of(
                            good,
                            trailing,
                            serializer.serialize(second),
                            truncated,
                            good,
                            badEnum,
                            serializer.serialize(second))) {
                try {
                    read.add(deserializer.deserialize(value));
                } catch (MalformedRecordException e) {
                    read.add(null);
                }
            }

            assertThat(read)
                    .as(format.name())
                    .containsExactly(first, null, second, null, first, null, second);
        }
    }

    /**
     * Why {@link ConfluentDeserializationSchema} validates before delegating: flink-avro 2.2's
     * deserializer keeps the bytes a record left unread and decodes the next record from them. When
     * this test fails after a Flink upgrade, the bug is fixed upstream and the guard could go.
     */
    @Test
    void unguardedFlinkAvro22ReadsTheRecordAfterTrailingBytesFromStaleBytes() throws Exception {
        RegistrySchemaCoderProvider provider =
                new RegistrySchemaCoderProvider("interactions-value", LOCAL);
        RegistryAvroDeserializationSchema<Interaction> unguarded =
                shipAndOpen(
                        new RegistryAvroDeserializationSchema<>(Interaction.class, null, provider));
        SerializationSchema<Interaction> serializer =
                AvroSerdes.serializer(
                        Interaction.class, WireFormat.CONFLUENT, Topics.INTERACTIONS, LOCAL);
        Interaction second =
                Interaction.newBuilder(SampleRecords.interaction()).setUser("u18").build();

        unguarded.deserialize(
                concat(serializer.serialize(SampleRecords.interaction()), new byte[] {2, 'x'}));
        Throwable failure =
                catchThrowable(
                        () ->
                                assertThat(unguarded.deserialize(serializer.serialize(second)))
                                        .isEqualTo(second));

        assertThat(failure).isNotNull();
    }

    @Test
    void tombstonesStayNull() throws Exception {
        assertThat(AvroSerdes.serializer(Interaction.class).serialize(null)).isNull();
        assertThat(
                        AvroSerdes.serializer(
                                        Interaction.class,
                                        WireFormat.CONFLUENT,
                                        Topics.INTERACTIONS,
                                        LOCAL)
                                .serialize(null))
                .isNull();
        assertThat(shipAndOpen(AvroSerdes.deserializer(Interaction.class)).deserialize(null))
                .isNull();
        assertThat(
                        shipAndOpen(
                                        AvroSerdes.deserializer(
                                                Interaction.class,
                                                WireFormat.CONFLUENT,
                                                Topics.INTERACTIONS,
                                                LOCAL))
                                .deserialize(null))
                .isNull();
        assertThat(
                        shipAndOpen(AvroSerdes.detectingDeserializer(Interaction.class, LOCAL))
                                .deserialize(null))
                .isNull();
    }

    @Test
    void aUsedSerializerCanStillBeShipped() throws Exception {
        // RegistryAvroSerializationSchema keeps its SchemaCoder in a non-transient field.
        SerializationSchema<Interaction> used =
                AvroSerdes.serializer(
                        Interaction.class, WireFormat.CONFLUENT, Topics.INTERACTIONS, LOCAL);
        used.open(TestInitializationContext.INSTANCE);
        byte[] before = used.serialize(SampleRecords.interaction());

        SerializationSchema<Interaction> shipped = shipAndOpen(used);

        assertThat(shipped.serialize(SampleRecords.interaction())).isEqualTo(before);
    }

    @Test
    void confluentThroughARestRegistryAsConfigured() throws Exception {
        try (FakeSchemaRegistryServer server = new FakeSchemaRegistryServer()) {
            RegistryConfig rest =
                    RegistryConfig.rest(server.url(), Duration.ofSeconds(5), Duration.ofSeconds(5));
            SerializationSchema<ItemCreated> serializer =
                    shipAndOpen(
                            AvroSerdes.serializer(
                                    ItemCreated.class,
                                    WireFormat.CONFLUENT,
                                    Topics.ITEMS_NEW,
                                    rest));
            DeserializationSchema<ItemCreated> deserializer =
                    shipAndOpen(
                            AvroSerdes.deserializer(
                                    ItemCreated.class,
                                    WireFormat.CONFLUENT,
                                    Topics.ITEMS_NEW,
                                    rest));

            byte[] value = serializer.serialize(SampleRecords.itemCreated());

            assertThat(deserializer.deserialize(value)).isEqualTo(SampleRecords.itemCreated());
            assertThat(Arrays.copyOf(value, 5)).containsExactly(0, 0, 0, 0, 1);
            assertThat(server.subjectVersions("items.new-value")).containsExactly(1);
        }
    }

    @Test
    void anUnreachableRegistryFailsTheJobInsteadOfDeadLetteringTheRecord() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RegistryConfig nowhere =
                RegistryConfig.rest(
                        URI.create("http://127.0.0.1:" + port),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(2));
        byte[] value =
                AvroSerdes.serializer(
                                Interaction.class, WireFormat.CONFLUENT, Topics.INTERACTIONS, LOCAL)
                        .serialize(SampleRecords.interaction());
        DeserializationSchema<Interaction> deserializer =
                shipAndOpen(
                        AvroSerdes.deserializer(
                                Interaction.class,
                                WireFormat.CONFLUENT,
                                Topics.INTERACTIONS,
                                nowhere));

        assertThatThrownBy(() -> deserializer.deserialize(value))
                .isInstanceOf(SchemaRegistryException.class)
                .isNotInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("http://127.0.0.1:" + port + "/schemas/ids/");
    }

    @Test
    void confluentNeedsATopicAndARegistry() {
        assertThatThrownBy(
                        () ->
                                AvroSerdes.serializer(
                                        Interaction.class, WireFormat.CONFLUENT, " ", LOCAL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "the Confluent wire format needs the topic (it names the registry subject), got ' '");
        assertThatThrownBy(
                        () ->
                                AvroSerdes.deserializer(
                                        Interaction.class,
                                        WireFormat.CONFLUENT,
                                        Topics.INTERACTIONS,
                                        null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the Confluent wire format needs a schema registry config, got null");
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecordBase> Class<T> classOf(T record) {
        return (Class<T>) record.getClass();
    }

    /** Ships a schema as the job graph does and opens it as a Kafka source or sink does. */
    static <S extends Serializable> S shipAndOpen(S schema) throws Exception {
        S shipped = InstantiationUtil.clone(schema);
        if (shipped instanceof SerializationSchema<?> s) {
            s.open(TestInitializationContext.INSTANCE);
        }
        if (shipped instanceof DeserializationSchema<?> d) {
            d.open(TestInitializationContext.INSTANCE);
        }
        return shipped;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
