package io.hyperrec.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyperrec.schemas.avro.EmbeddingUpdate;
import io.hyperrec.schemas.avro.Interaction;
import io.hyperrec.schemas.avro.ItemCreated;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** Every way a value can be bad gives a {@link MalformedRecordException} that says how. */
class MalformedRecordTest {
    private static final byte[] JSON =
            "{\"user\":\"u1\",\"item\":\"i1\"}".getBytes(StandardCharsets.UTF_8);

    private final LocalSchemaRegistry registry = new LocalSchemaRegistry();
    private final AvroCodec<Interaction> single = AvroCodec.singleObject(Interaction.class);
    private final AvroCodec<Interaction> confluent =
            AvroCodec.confluent(Interaction.class, registry, Topics.INTERACTIONS);
    private final AvroCodec<Interaction> detecting =
            AvroCodec.detecting(
                    Interaction.class, WireFormat.SINGLE_OBJECT, registry, Topics.INTERACTIONS);

    @Test
    void rejectsNullAndEmptyValuesInEveryFormat() {
        for (AvroCodec<Interaction> codec : new AvroCodec[] {single, confluent, detecting}) {
            assertThatThrownBy(() -> codec.decode(new byte[0]))
                    .isInstanceOf(MalformedRecordException.class)
                    .hasMessageStartingWith("empty value (0 bytes)");
            assertThatThrownBy(() -> codec.decode(null))
                    .isInstanceOf(MalformedRecordException.class)
                    .hasMessageContaining("tombstone");
        }
    }

    @Test
    void singleObjectRejectsJsonSayingWhatItLooksLike() {
        assertThatThrownBy(() -> single.decode(JSON))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage(
                        "expected the Avro single-object header C3 01, got 7B 22 75 73 65 72 22 3A … (looks like JSON)");
    }

    @Test
    void singleObjectRecognisesConfluentFraming() {
        byte[] value = confluent.encode(SampleRecords.interaction());

        assertThatThrownBy(() -> single.decode(value))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageStartingWith("expected the Avro single-object header C3 01, got 00 ")
                .hasMessageContaining("looks like the Confluent wire format");
    }

    @Test
    void singleObjectRejectsATruncatedHeader() {
        byte[] value = Arrays.copyOf(single.encode(SampleRecords.interaction()), 6);

        assertThatThrownBy(() -> single.decode(value))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage(
                        "truncated single-object header: 6 bytes, expected at least 10 (C3 01 and an 8-byte schema fingerprint)");
    }

    @Test
    void singleObjectRejectsAnUnknownFingerprint() {
        byte[] value = single.encode(SampleRecords.interaction());
        Arrays.fill(value, 2, 10, (byte) 0x11);

        assertThatThrownBy(() -> single.decode(value))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage(
                        "unknown schema fingerprint 1111111111111111 in the single-object header:"
                                + " neither the current io.hyperrec.schemas.avro.Interaction schema nor a"
                                + " stored version of it (v1); if a newer release wrote it, store its schema"
                                + " under io/hyperrec/schemas/history/Interaction/ before readers can decode it");
    }

    @Test
    void singleObjectNamesTheRecordTypeOfAForeignFingerprint() {
        byte[] value =
                AvroCodec.singleObject(ItemCreated.class).encode(SampleRecords.itemCreated());

        assertThatThrownBy(() -> single.decode(value))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining(
                        "it is the fingerprint of ItemCreated v1, a record of another type (wrong topic?)");
    }

    @Test
    void truncatedBodyNamesTheFieldInBothFormats() {
        byte[] s = single.encode(SampleRecords.interaction());
        byte[] c = confluent.encode(SampleRecords.interaction());

        assertThatThrownBy(() -> single.decode(Arrays.copyOf(s, s.length - 2)))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageStartingWith(
                        "malformed single-object Interaction (writer schema Interaction v1): truncated:")
                .hasMessageContaining("field eventTime (long)");
        assertThatThrownBy(() -> confluent.decode(Arrays.copyOf(c, c.length - 2)))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageStartingWith("malformed Confluent-framed Interaction (writer schema id ")
                .hasMessageContaining("truncated:")
                .hasMessageContaining("field eventTime (long)");
    }

    @Test
    void trailingBytesAreRejectedInBothFormats() {
        byte[] s =
                AvroCodecTest.concat(single.encode(SampleRecords.interaction()), new byte[] {1, 2});
        byte[] c =
                AvroCodecTest.concat(
                        confluent.encode(SampleRecords.interaction()), new byte[] {1, 2});

        assertThatThrownBy(() -> single.decode(s))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageEndingWith(
                        "2 trailing bytes after the datum ended at offset "
                                + (s.length - 2)
                                + " of "
                                + s.length
                                + ": 01 02");
        assertThatThrownBy(() -> confluent.decode(c))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageEndingWith(
                        "2 trailing bytes after the datum ended at offset "
                                + (c.length - 2)
                                + " of "
                                + c.length
                                + ": 01 02");
    }

    @Test
    void enumIndexOutOfRangeIsNamed() {
        byte[] value = single.encode(SampleRecords.interaction());
        // body: user "u17" (4 bytes), item "i42" (4 bytes), then the type's index
        value[10 + 8] = 18; // zig-zag 9

        assertThatThrownBy(() -> single.decode(value))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining(
                        "enum index 9 out of range (the writer schema has 6 symbols) at offset 18 in field type (enum)");
    }

    @Test
    void confluentRejectsAWrongMagicByteSayingWhatItLooksLike() {
        assertThatThrownBy(() -> confluent.decode(JSON))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage(
                        "expected the Confluent magic byte 00, got 7B 22 75 73 65 72 22 3A … (looks like JSON)");
        byte[] s = single.encode(SampleRecords.interaction());
        assertThatThrownBy(() -> confluent.decode(s))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("looks like Avro single-object encoding");
    }

    @Test
    void confluentRejectsATruncatedHeader() {
        assertThatThrownBy(() -> confluent.decode(new byte[] {0, 0, 1}))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage(
                        "truncated Confluent header: 3 bytes (00 00 01), expected at least 5 (magic byte 00 and a 4-byte schema id)");
    }

    @Test
    void confluentRejectsAnUnknownSchemaId() {
        byte[] value = confluent.encode(SampleRecords.interaction());
        value[1] = value[2] = value[3] = 0;
        value[4] = 7;

        assertThatThrownBy(() -> confluent.decode(value))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageStartingWith(
                        "unknown schema id 7 in the Confluent header: local schema registry has no schema with id 7");
    }

    @Test
    void confluentNamesTheRecordTypeOfAForeignSchemaId() {
        byte[] value =
                AvroCodec.confluent(ItemCreated.class, registry, Topics.ITEMS_NEW)
                        .encode(SampleRecords.itemCreated());

        assertThatThrownBy(() -> confluent.decode(value))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage(
                        "schema id "
                                + LocalSchemaRegistry.idFor(ItemCreated.getClassSchema())
                                + " is io.hyperrec.schemas.avro.ItemCreated, expected"
                                + " io.hyperrec.schemas.avro.Interaction (a record of another type: wrong topic?)");
    }

    @Test
    void aRegistryThatCannotAnswerIsNotBlamedOnTheRecord() {
        byte[] value = confluent.encode(SampleRecords.interaction());
        SchemaRegistry down =
                new SchemaRegistry() {
                    @Override
                    public int register(String subject, Schema schema) {
                        throw new UnsupportedOperationException();
                    }

                    @Override
                    public Schema schemaById(int id) {
                        throw new SchemaRegistryException("registry unreachable", -1, -1, null);
                    }
                };

        assertThatThrownBy(
                        () ->
                                AvroCodec.confluent(Interaction.class, down, Topics.INTERACTIONS)
                                        .decode(value))
                .isInstanceOf(SchemaRegistryException.class)
                .isNotInstanceOf(MalformedRecordException.class);
    }

    @Test
    void detectingCodecRejectsAnUnknownFirstByte() {
        assertThatThrownBy(
                        () -> detecting.decode("hello, world".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage(
                        "unknown wire format: expected first byte C3 (Avro single-object encoding) or 00"
                                + " (Confluent wire format), got 68 65 6C 6C 6F 2C 20 77 … (looks like text)");
        assertThatThrownBy(() -> detecting.decode(new byte[] {(byte) 0xFF, 0}))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageEndingWith("got FF 00");
    }

    @Test
    void decodingStillWorksAfterBadInput() {
        EmbeddingUpdate good = SampleRecords.embeddingUpdate();
        AvroCodec<EmbeddingUpdate> codec = AvroCodec.singleObject(EmbeddingUpdate.class);
        byte[] bytes = codec.encode(good);

        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(bytes, bytes.length - 5)))
                .isInstanceOf(MalformedRecordException.class);
        assertThat(codec.decode(bytes)).isEqualTo(good);
    }
}
