package io.hyperrec.store.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyperrec.core.model.EmbeddingUpsert.Kind;
import io.hyperrec.core.model.TrainedModel;
import io.hyperrec.schemas.Topics;
import io.hyperrec.schemas.avro.DeadLetter;
import io.hyperrec.schemas.avro.EmbeddingUpdate;
import io.hyperrec.schemas.avro.EntityKind;
import io.hyperrec.schemas.avro.Interaction;
import io.hyperrec.schemas.avro.InteractionType;
import io.hyperrec.schemas.avro.ItemCreated;
import io.hyperrec.schemas.avro.ItemEnriched;
import io.hyperrec.schemas.avro.ModelPublished;
import io.hyperrec.store.Await;
import io.hyperrec.store.ModelStore;
import io.hyperrec.store.PublishedVersion;
import io.hyperrec.store.ScoredItem;
import io.hyperrec.store.TestModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreIngestTest {
    private static final int DIM = 4;
    private static final IngestOptions OPTIONS =
            IngestOptions.builder()
                    .pollTimeout(java.time.Duration.ofMillis(20))
                    .logEvery(2)
                    .build();

    @TempDir Path dir;

    /** A MockConsumer that remembers commits, readable after it is closed. */
    private static final class RecordingConsumer extends MockConsumer<byte[], byte[]> {
        final Map<TopicPartition, Long> commits = new ConcurrentHashMap<>();

        RecordingConsumer() {
            super("earliest");
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            super.commitSync(offsets);
            offsets.forEach((tp, o) -> commits.put(tp, o.offset()));
        }
    }

    private ModelStore store;
    private RecordingConsumer consumer;
    private ModelStoreIngest ingest;
    private final Map<String, Long> nextOffset = new HashMap<>();
    private final ConcurrentLinkedQueue<String> rejections = new ConcurrentLinkedQueue<>();
    private TrainedModel v1;

    @BeforeEach
    void setUp() {
        store = ModelStore.open(dir.resolve("store"));
        v1 = TestModels.random(1, 3, "i", 10, DIM);
        store.publish(1, v1, Map.of(), List.of(new ScoredItem("i1", 3)));
        consumer = new RecordingConsumer();
        List<TopicPartition> partitions =
                OPTIONS.topics().stream().map(t -> new TopicPartition(t, 0)).toList();
        consumer.updateBeginningOffsets(
                partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> 0L)));
        consumer.schedulePollTask(() -> consumer.rebalance(partitions));
        ingest =
                new ModelStoreIngest(
                        consumer,
                        store,
                        OPTIONS,
                        IngestDecoders.avroSingleObject(),
                        (record, reason) ->
                                rejections.add(
                                        record.topic() + "@" + record.offset() + ": " + reason));
    }

    @AfterEach
    void tearDown() {
        ingest.close();
        store.close();
    }

    private void send(String topic, byte[] value) {
        long offset = nextOffset.merge(topic, 1L, Long::sum) - 1;
        ConsumerRecord<byte[], byte[]> r =
                new ConsumerRecord<>(
                        topic, 0, offset, "key".getBytes(StandardCharsets.UTF_8), value);
        consumer.schedulePollTask(() -> consumer.addRecord(r));
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static byte[] update(EntityKind kind, String id, float[] v, long version, long seq)
            throws IOException {
        List<Float> vector = new ArrayList<>();
        for (float x : v) {
            vector.add(x);
        }
        return bytes(
                EmbeddingUpdate.newBuilder()
                        .setKind(kind)
                        .setId(id)
                        .setVector(vector)
                        .setModelVersion(version)
                        .setSeq(seq)
                        .setSourceTime(Instant.ofEpochMilli(5000))
                        .build()
                        .toByteBuffer());
    }

    private static byte[] published(long version, String location) throws IOException {
        return bytes(
                ModelPublished.newBuilder()
                        .setVersion(version)
                        .setLocation(location)
                        .setMetrics(Map.of("valid_recall@20", 0.4))
                        .setCreatedAt(Instant.ofEpochMilli(1))
                        .build()
                        .toByteBuffer());
    }

    private long committed(String topic) {
        return consumer.commits.getOrDefault(new TopicPartition(topic, 0), 0L);
    }

    @Test
    void appliesEveryTopicAndCommitsOffsetsAfterApplying() throws Exception {
        float[] moved = TestModels.point(new Random(1), DIM);
        send(Topics.MODEL_UPDATES, update(EntityKind.USER, "u0", moved, 1, 0));
        send(
                Topics.INTERACTIONS,
                bytes(
                        Interaction.newBuilder()
                                .setUser("u0")
                                .setItem("i3")
                                .setType(InteractionType.CLICK)
                                .setWeight(1)
                                .setEventTime(Instant.ofEpochMilli(10))
                                .build()
                                .toByteBuffer()));
        send(
                Topics.ITEMS_NEW,
                bytes(
                        ItemCreated.newBuilder()
                                .setItem("i3")
                                .setTitle("Blue kettle")
                                .setEventTime(Instant.ofEpochMilli(11))
                                .build()
                                .toByteBuffer()));
        send(
                Topics.ITEMS_ENRICHED,
                bytes(
                        ItemEnriched.newBuilder()
                                .setItem("i3")
                                .setSummary("A kettle.")
                                .setTagLevels(
                                        List.of(
                                                List.of("home"),
                                                List.of("kitchen"),
                                                List.of("kettles")))
                                .setTagger("offline:test")
                                .setTextEncoder("none")
                                .setEventTime(Instant.ofEpochMilli(12))
                                .build()
                                .toByteBuffer()));

        ingest.start();
        Await.until(
                "every topic's record is committed",
                () ->
                        OPTIONS.topics().stream()
                                .filter(t -> !t.equals(Topics.MODEL_VERSIONS))
                                .allMatch(t -> committed(t) == 1));

        assertThat(store.vector(Kind.USER, "u0"))
                .hasValueSatisfying(v -> assertThat(v).containsExactly(moved));
        assertThat(store.seenItems("u0")).containsExactly("i3");
        assertThat(store.item("i3"))
                .hasValueSatisfying(
                        m -> {
                            assertThat(m.title()).isEqualTo("Blue kettle");
                            assertThat(m.summary()).isEqualTo("A kettle.");
                            assertThat(m.tagLevels()).hasSize(3);
                        });
        assertThat(store.stats().lastAppliedSourceTimeMillis()).hasValue(5000);
        IngestStats stats = ingest.stats();
        assertThat(stats.state()).isEqualTo(ModelStoreIngest.State.RUNNING);
        assertThat(stats.totalRecords()).isEqualTo(4);
        assertThat(stats.totalRejected()).isZero();
        assertThat(stats.batchesCommitted()).isPositive();
    }

    @Test
    void rejectsMalformedRecordsAndKeepsApplyingTheGoodOnesAfterThem() throws Exception {
        float[] good = TestModels.point(new Random(2), DIM);
        send(Topics.MODEL_UPDATES, new byte[] {1, 2, 3, 4, 5}); // not Avro
        send(Topics.MODEL_UPDATES, null); // tombstone
        send(
                Topics.MODEL_UPDATES,
                update(EntityKind.USER, "u1", new float[] {1, Float.NaN, 0, 0}, 1, 0));
        send(
                Topics.MODEL_UPDATES,
                update(EntityKind.USER, "u1", new float[] {1, 0}, 1, 1)); // wrong dim
        send(Topics.INTERACTIONS, "{\"user\":\"u1\"}".getBytes(StandardCharsets.UTF_8));
        send(Topics.MODEL_UPDATES, update(EntityKind.USER, "u1", good, 1, 2));

        ingest.start();
        Await.until(
                "the good update after the bad ones is applied",
                () -> committed(Topics.MODEL_UPDATES) == 5);

        assertThat(store.vector(Kind.USER, "u1"))
                .hasValueSatisfying(v -> assertThat(v).containsExactly(good));
        assertThat(ingest.stats().rejected())
                .containsEntry(Topics.MODEL_UPDATES, 4L)
                .containsEntry(Topics.INTERACTIONS, 1L);
        assertThat(rejections).hasSize(5);
        assertThat(rejections)
                .anySatisfy(
                        r ->
                                assertThat(r)
                                        .startsWith(
                                                "model.updates@0: unknown wire format: expected first byte C3"))
                .anySatisfy(
                        r ->
                                assertThat(r)
                                        .isEqualTo(
                                                "model.updates@1: value is null (a tombstone); expected a record"))
                .anySatisfy(r -> assertThat(r).contains("must be finite, got NaN at coordinate 1"))
                .anySatisfy(
                        r ->
                                assertThat(r)
                                        .contains(
                                                "USER 'u1' has 2 coordinates, model version 1 has dim 4"));
        assertThat(committed(Topics.INTERACTIONS)).isEqualTo(1);
        assertThat(ingest.state()).isEqualTo(ModelStoreIngest.State.RUNNING);
    }

    @Test
    void publishesAVersionFromItsLocationWhenTheStoreDoesNotServeItYet() throws Exception {
        TrainedModel v2 = TestModels.random(2, 3, "j", 10, DIM);
        PublishedVersion exported;
        try (ModelStore retrainSide = ModelStore.open(dir.resolve("retrain"))) {
            exported =
                    retrainSide.publish(
                            2,
                            v2,
                            Map.of("valid_recall@20", 0.4),
                            List.of(new ScoredItem("j4", 9)));
        }
        send(Topics.MODEL_VERSIONS, published(1, "/replayed/old/version"));
        send(Topics.MODEL_VERSIONS, published(2, exported.location().toString()));
        send(Topics.MODEL_VERSIONS, published(2, exported.location().toString())); // replay
        send(Topics.MODEL_VERSIONS, published(3, dir.resolve("missing").toString()));

        ingest.start();
        Await.until(
                "all version records are committed", () -> committed(Topics.MODEL_VERSIONS) == 4);

        assertThat(store.currentVersion()).hasValue(2);
        assertThat(store.version(2))
                .hasValueSatisfying(
                        v -> {
                            assertThat(v.metrics()).containsEntry("valid_recall@20", 0.4);
                            assertThat(v.popularItems()).containsExactly(new ScoredItem("j4", 9));
                        });
        assertThat(store.recommend("u0", 3).items()).allMatch(i -> i.item().startsWith("j"));
        assertThat(store.recommend("stranger", 3).items()).containsExactly(new ScoredItem("j4", 9));
        assertThat(ingest.stats().versionsPublished()).isEqualTo(1);
        assertThat(rejections)
                .singleElement()
                .satisfies(r -> assertThat(r).contains("model.versions@3").contains("no model in"));
    }

    @Test
    void aFailingStoreStopsTheLoopWithoutCommittingAndIsReported() throws Exception {
        send(
                Topics.MODEL_UPDATES,
                update(EntityKind.USER, "u0", TestModels.point(new Random(3), DIM), 1, 0));
        ingest.start();
        Await.until("the first update is committed", () -> committed(Topics.MODEL_UPDATES) == 1);

        store.close(); // the store breaks under the ingest
        send(
                Topics.MODEL_UPDATES,
                update(EntityKind.USER, "u0", TestModels.point(new Random(4), DIM), 1, 1));

        Await.until("the ingest fails", () -> ingest.state() == ModelStoreIngest.State.FAILED);
        assertThat(ingest.failure())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
        assertThat(committed(Topics.MODEL_UPDATES)).isEqualTo(1);
        assertThat(consumer.closed()).isTrue();
        assertThat(rejections).isEmpty();
    }

    @Test
    void stopsCleanlyAndClosesTheConsumer() {
        ingest.start();
        Await.until(
                "the ingest is assigned its partitions", () -> !consumer.assignment().isEmpty());
        ingest.close();
        assertThat(ingest.state()).isEqualTo(ModelStoreIngest.State.STOPPED);
        assertThat(consumer.closed()).isTrue();
        ingest.close(); // idempotent
    }

    @Test
    void deadLettersCarryTheReasonAndTheOriginalRecord() throws Exception {
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(
                        true, null, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaDeadLetters dlq =
                new KafkaDeadLetters(
                        producer, Clock.fixed(Instant.ofEpochMilli(77), ZoneOffset.UTC));
        ConsumerRecord<byte[], byte[]> bad =
                new ConsumerRecord<>(
                        Topics.MODEL_UPDATES,
                        2,
                        41,
                        "k".getBytes(StandardCharsets.UTF_8),
                        new byte[] {9, 9});

        dlq.reject(bad, "cannot decode EmbeddingUpdate from 2 bytes");

        assertThat(producer.history()).hasSize(1);
        ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
        assertThat(sent.topic()).isEqualTo("model.updates.dlq");
        assertThat(sent.key()).isEqualTo("k".getBytes(StandardCharsets.UTF_8));
        DeadLetter letter = DeadLetter.getDecoder().decode(sent.value());
        assertThat(letter.getReason()).isEqualTo("cannot decode EmbeddingUpdate from 2 bytes");
        assertThat(bytes(letter.getOriginal())).containsExactly(9, 9);
        assertThat(letter.getTopic()).isEqualTo(Topics.MODEL_UPDATES);
        assertThat(letter.getPartition()).isEqualTo(2);
        assertThat(letter.getOffset()).isEqualTo(41);
        assertThat(letter.getFailedAt()).isEqualTo(Instant.ofEpochMilli(77));
        assertThat(dlq.failures()).isZero();
    }

    @Test
    void optionsRejectDuplicateTopics() {
        assertThatThrownBy(
                        () ->
                                IngestOptions.builder()
                                        .interactionsTopic(Topics.MODEL_UPDATES)
                                        .build())
                .hasMessageContaining("topics must be distinct");
    }
}
