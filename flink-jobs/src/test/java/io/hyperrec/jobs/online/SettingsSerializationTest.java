package io.hyperrec.jobs.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyperrec.schemas.AvroCodec;
import io.hyperrec.schemas.avro.DeadLetter;
import io.hyperrec.schemas.avro.EmbeddingUpdate;
import io.hyperrec.schemas.avro.EntityKind;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/** The settings travel in the job graph: after a serialisation round trip they must still work. */
class SettingsSerializationTest {
    @Test
    void encodersKeepTheirRecordTypeAfterTravellingInTheJobGraph() throws Exception {
        OnlineUpdateJob.Settings s =
                OnlineUpdateJob.Settings.defaults(
                        "x:9092", "g", ControlEvent.version(1, "/nowhere", Map.of()));
        OnlineUpdateJob.Settings copy =
                InstantiationUtil.clone(s, SettingsSerializationTest.class.getClassLoader());
        EmbeddingUpdate u =
                EmbeddingUpdate.newBuilder()
                        .setKind(EntityKind.USER)
                        .setId("u1")
                        .setVector(List.of(1f, 0f))
                        .setModelVersion(1)
                        .setSeq(1)
                        .build();
        DeadLetter d =
                DeadLetter.newBuilder()
                        .setReason("bad")
                        .setOriginal(ByteBuffer.wrap(new byte[] {1}))
                        .setTopic("interactions")
                        .setPartition(0)
                        .setOffset(3)
                        .setFailedAt(Instant.EPOCH)
                        .build();
        assertThat(
                        AvroCodec.singleObject(EmbeddingUpdate.class)
                                .decode(copy.updateEncoder().encode(u)))
                .isEqualTo(u);
        assertThat(
                        AvroCodec.singleObject(DeadLetter.class)
                                .decode(copy.deadLetterEncoder().encode(d)))
                .isEqualTo(d);
    }
}
