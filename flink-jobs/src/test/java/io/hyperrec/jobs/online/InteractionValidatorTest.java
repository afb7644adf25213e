package io.hyperrec.jobs.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyperrec.schemas.avro.Interaction;
import io.hyperrec.schemas.avro.InteractionType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class InteractionValidatorTest {
    private static byte[] encode(String user, String item, float weight) throws Exception {
        ByteBuffer b =
                Interaction.newBuilder()
                        .setUser(user)
                        .setItem(item)
                        .setType(InteractionType.CLICK)
                        .setWeight(weight)
                        .setEventTime(Instant.ofEpochMilli(1234))
                        .build()
                        .toByteBuffer();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static KafkaRecord record(long offset, byte[] value) {
        return new KafkaRecord(
                "interactions", 0, offset, 99, "k".getBytes(StandardCharsets.UTF_8), value);
    }

    @Test
    void badRecordsGoToTheDeadLetterOutputWithAReasonAndEveryGoodOneContinues() throws Exception {
        List<KafkaRecord> in = new ArrayList<>();
        in.add(record(0, encode("u1", "i1", 1f)));
        in.add(record(1, "{\"user\": \"u1\"}".getBytes(StandardCharsets.UTF_8)));
        in.add(record(2, encode("u2", "i2", 2f)));
        in.add(record(3, null));
        in.add(record(4, encode("", "i3", 1f)));
        in.add(record(5, encode("u3", "i3", -1f)));
        in.add(record(6, encode("u3", "i3", Float.NaN)));
        byte[] truncated = encode("u4", "i4", 1f);
        in.add(record(7, java.util.Arrays.copyOf(truncated, truncated.length - 6)));
        in.add(record(8, encode("u5", "i5", 1f)));

        InteractionValidator fn =
                new InteractionValidator(bytes -> Interaction.getDecoder().decode(bytes));
        try (OneInputStreamOperatorTestHarness<KafkaRecord, UserEvent> h =
                new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(fn))) {
            h.open();
            for (KafkaRecord r : in) {
                h.processElement(new StreamRecord<>(r));
            }
            List<UserEvent> good = h.extractOutputValues();
            assertThat(good)
                    .extracting(e -> e.user + "/" + e.item + "@" + e.offset)
                    .containsExactly("u1/i1@0", "u2/i2@2", "u5/i5@8");
            assertThat(good.get(1).weight).isEqualTo(2f);
            assertThat(good.get(0).eventTime).isEqualTo(1234);
            assertThat(good.get(0).kafkaTime).isEqualTo(99);

            List<Rejected> bad = new ArrayList<>();
            for (StreamRecord<Rejected> r : h.getSideOutput(InteractionValidator.REJECTED)) {
                bad.add(r.getValue());
            }
            assertThat(bad)
                    .extracting(r -> r.record.offset)
                    .containsExactly(1L, 3L, 4L, 5L, 6L, 7L);
            assertThat(bad.get(0).reason).startsWith("value is not an Interaction record");
            assertThat(bad.get(1).reason).contains("tombstone");
            assertThat(bad.get(2).reason).isEqualTo("field 'user' must be a non-empty id, got ''");
            assertThat(bad.get(3).reason)
                    .isEqualTo("field 'weight' must be a finite number > 0, got -1.0");
            assertThat(bad.get(4).reason).contains("got NaN");
            assertThat(bad.get(5).reason).startsWith("value is not an Interaction record");
            // The original bytes travel untouched.
            assertThat(bad.get(0).record.value).isEqualTo(in.get(1).value);
            assertThat(fn.deadLetterCount()).isEqualTo(6);
        }
    }

    @Test
    void longIdsAndControlCharactersAreRejectedByName() throws Exception {
        assertThat(InteractionValidator.check(interaction("u".repeat(300), "i1")))
                .isEqualTo("field 'user' must be at most 256 characters, got 300");
        assertThat(InteractionValidator.check(interaction("u1", "i\n1")))
                .isEqualTo(
                        "field 'item' must not contain control characters, got one at position 1");
        assertThat(InteractionValidator.check(interaction("u1", "i1"))).isNull();
    }

    private static Interaction interaction(String user, String item) {
        return Interaction.newBuilder()
                .setUser(user)
                .setItem(item)
                .setType(InteractionType.VIEW)
                .setEventTime(Instant.EPOCH)
                .build();
    }
}
