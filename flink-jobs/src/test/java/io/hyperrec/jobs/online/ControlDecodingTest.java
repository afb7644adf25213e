package io.hyperrec.jobs.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyperrec.schemas.Topics;
import io.hyperrec.schemas.avro.EmbeddingUpdate;
import io.hyperrec.schemas.avro.EntityKind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlDecodingTest {
    private static byte[] bytes(EmbeddingUpdate u) throws Exception {
        ByteBuffer b = u.toByteBuffer();
        byte[] v = new byte[b.remaining()];
        b.get(v);
        return v;
    }

    private static EmbeddingUpdate update(EntityKind kind) {
        return EmbeddingUpdate.newBuilder()
                .setKind(kind)
                .setId("new-item")
                .setVector(List.of(1.25f, 0.5f, -0.25f))
                .setModelVersion(3)
                .setSeq(1)
                .setSourceTime(Instant.ofEpochMilli(5))
                .build();
    }

    @Test
    void anOnboardedItemsPointBecomesAnItemControlEventOfItsVersion() throws Exception {
        KafkaRecord r =
                new KafkaRecord(Topics.MODEL_ITEMS, 0, 7, 0, null, bytes(update(EntityKind.ITEM)));

        ControlEvent e =
                OnlineUpdateJob.toItemControl(
                        v -> EmbeddingUpdate.fromByteBuffer(ByteBuffer.wrap(v)), r);

        assertThat(e.kind).isEqualTo(ControlEvent.Kind.ITEM);
        assertThat(e.version).isEqualTo(3);
        assertThat(e.item).isEqualTo("new-item");
        assertThat(e.point).containsExactly(1.25f, 0.5f, -0.25f);
    }

    @Test
    void unreadableOrNonItemRecordsAreSkipped() throws Exception {
        OnlineUpdateJob.ItemDecoder d = v -> EmbeddingUpdate.fromByteBuffer(ByteBuffer.wrap(v));
        assertThat(
                        OnlineUpdateJob.toItemControl(
                                d,
                                new KafkaRecord(
                                        Topics.MODEL_ITEMS,
                                        0,
                                        1,
                                        0,
                                        null,
                                        "junk".getBytes(StandardCharsets.UTF_8))))
                .isNull();
        assertThat(
                        OnlineUpdateJob.toItemControl(
                                d,
                                new KafkaRecord(
                                        Topics.MODEL_ITEMS,
                                        0,
                                        2,
                                        0,
                                        null,
                                        bytes(update(EntityKind.USER)))))
                .isNull();
    }
}
