package io.hyperrec.schemas;

import io.hyperrec.schemas.avro.DeadLetter;
import io.hyperrec.schemas.avro.EmbeddingUpdate;
import io.hyperrec.schemas.avro.EntityKind;
import io.hyperrec.schemas.avro.Interaction;
import io.hyperrec.schemas.avro.InteractionType;
import io.hyperrec.schemas.avro.ItemCreated;
import io.hyperrec.schemas.avro.ItemEnriched;
import io.hyperrec.schemas.avro.ModelPublished;
import io.hyperrec.schemas.avro.TagEdge;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * One hand-made record of every topic type, with every kind of field filled in (non-ASCII text,
 * maps, nested arrays, nested records, unions both ways, millisecond timestamps). Shared with
 * flink-jobs through this module's test jar.
 */
public final class SampleRecords {
    /** A timestamp with a non-zero millisecond part, so truncation to seconds would show. */
    public static final Instant T0 = Instant.parse("2024-02-29T23:59:58.123Z");

    private SampleRecords() {}

    /**
     * @return an interaction
     */
    public static Interaction interaction() {
        return Interaction.newBuilder()
                .setUser("u17")
                .setItem("i42")
                .setType(InteractionType.PURCHASE)
                .setWeight(4.5f)
                .setEventTime(T0)
                .build();
    }

    /**
     * @return a new item with attributes and non-ASCII text
     */
    public static ItemCreated itemCreated() {
        return ItemCreated.newBuilder()
                .setItem("i42")
                .setTitle("Crème brûlée torch — 2 pack")
                .setText("Kitchen > Tools; brand Flamme; 日本語の説明")
                .setAttributes(Map.of("brand", "Flamme", "price", "19.99"))
                .setEventTime(T0.plusMillis(1))
                .build();
    }

    /**
     * @return an enriched item with three tag levels, edges, an embedding and a fallback reason
     */
    public static ItemEnriched itemEnriched() {
        return ItemEnriched.newBuilder()
                .setItem("i42")
                .setSummary("A butane kitchen torch.")
                .setTagLevels(
                        List.of(
                                List.of("kitchen"),
                                List.of("tools", "dessert"),
                                List.of("torch", "creme-brulee")))
                .setEdges(
                        List.of(
                                new TagEdge("kitchen", "tools"),
                                new TagEdge("tools", "torch"),
                                new TagEdge("dessert", "creme-brulee")))
                .setTextEmbedding(List.of(0.25f, -1.5f, 3.0e-7f, Float.MAX_VALUE))
                .setTagger("offline:keywords")
                .setTextEncoder("all-minilm-l6-v2-q")
                .setOffline(true)
                .setFallbackReason("LLM answered HTTP 503")
                .setEventTime(T0.plusMillis(2))
                .build();
    }

    /**
     * @return a user embedding update with its source time
     */
    public static EmbeddingUpdate embeddingUpdate() {
        return EmbeddingUpdate.newBuilder()
                .setKind(EntityKind.USER)
                .setId("u17")
                .setVector(List.of(1.0625f, 0.25f, -0.25f))
                .setModelVersion(7L)
                .setSeq(42L)
                .setSourceTime(T0.plusMillis(3))
                .build();
    }

    /**
     * @return an item embedding update without source time (the null branch of the union)
     */
    public static EmbeddingUpdate embeddingUpdateWithoutSourceTime() {
        return EmbeddingUpdate.newBuilder()
                .setKind(EntityKind.ITEM)
                .setId("i42")
                .setVector(List.of(1.0f, 0.0f, 0.0f))
                .setModelVersion(7L)
                .setSeq(1L)
                .setSourceTime(null)
                .build();
    }

    /**
     * @return a published model version
     */
    public static ModelPublished modelPublished() {
        return ModelPublished.newBuilder()
                .setVersion(7L)
                .setLocation("file:///var/hyperrec/models/v7")
                .setMetrics(Map.of("valid_recall@20", 0.1606, "valid_ndcg@20", 0.0912))
                .setCreatedAt(T0.plusMillis(4))
                .setSnapshotOffsets(Map.of("0", 1234L, "1", 987654321012L))
                .build();
    }

    /**
     * @return a dead letter holding JSON bytes and a key
     */
    public static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setReason(
                        "expected the Avro single-object header C3 01, got 7B 22 (looks like JSON)")
                .setOriginal(ByteBuffer.wrap("{\"user\":\"u1\"}".getBytes(StandardCharsets.UTF_8)))
                .setOriginalKey(ByteBuffer.wrap(new byte[] {'u', '1'}))
                .setTopic(Topics.INTERACTIONS)
                .setPartition(3)
                .setOffset(1_000_000_000_000L)
                .setFailedAt(T0.plusMillis(5))
                .build();
    }

    /**
     * @return one record of each topic type, plus the union's null branch
     */
    public static List<SpecificRecordBase> all() {
        return List.of(
                interaction(),
                itemCreated(),
                itemEnriched(),
                embeddingUpdate(),
                embeddingUpdateWithoutSourceTime(),
                modelPublished(),
                deadLetter());
    }

    /**
     * @return the topic a record travels on (a dead letter: that of interactions)
     */
    public static String topicOf(SpecificRecordBase record) {
        if (record instanceof Interaction) {
            return Topics.INTERACTIONS;
        } else if (record instanceof ItemCreated) {
            return Topics.ITEMS_NEW;
        } else if (record instanceof ItemEnriched) {
            return Topics.ITEMS_ENRICHED;
        } else if (record instanceof EmbeddingUpdate) {
            return Topics.MODEL_UPDATES;
        } else if (record instanceof ModelPublished) {
            return Topics.MODEL_VERSIONS;
        } else if (record instanceof DeadLetter) {
            return Topics.deadLetter(Topics.INTERACTIONS);
        }
        throw new IllegalArgumentException("not a topic record: " + record.getClass());
    }
}
