package io.hyperrec.jobs.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyperrec.core.data.Split;
import io.hyperrec.core.data.SyntheticConfig;
import io.hyperrec.core.data.SyntheticDataset;
import io.hyperrec.core.model.TrainedModel;
import io.hyperrec.core.train.CheckpointStore;
import io.hyperrec.core.train.TrainConfig;
import io.hyperrec.core.train.Variant;
import io.hyperrec.jobs.online.KafkaRecord;
import io.hyperrec.jobs.online.KernelsFactory;
import io.hyperrec.schemas.avro.Interaction;
import io.hyperrec.schemas.avro.InteractionType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class RetrainJobTest {
    @RegisterExtension
    static final MiniClusterExtension MINI =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    @TempDir Path tmp;

    /** Training checkpoints by run id, shared with the job's copy of the factory. */
    static final java.util.Map<String, MemoryStore> STORES =
            new java.util.concurrent.ConcurrentHashMap<>();

    static CheckpointStore store(String runId) {
        return STORES.computeIfAbsent(runId, id -> new MemoryStore());
    }

    /** Keeps the latest checkpoint in memory. */
    static final class MemoryStore implements CheckpointStore {
        volatile byte[] state;

        @Override
        public void save(byte[] s) {
            state = s.clone();
        }

        @Override
        public java.util.Optional<byte[]> load() {
            return java.util.Optional.ofNullable(state);
        }
    }

    private static List<KafkaRecord> records(int n) throws Exception {
        SyntheticConfig syn = SyntheticConfig.builder().users(300).items(200).seed(5).build();
        List<KafkaRecord> out = new ArrayList<>();
        long offset = 0;
        for (SyntheticDataset.Event e : SyntheticDataset.eventStream(syn).limit(n).toList()) {
            ByteBuffer b =
                    Interaction.newBuilder()
                            .setUser(e.user())
                            .setItem(e.item())
                            .setType(InteractionType.PURCHASE)
                            .setEventTime(Instant.ofEpochMilli(e.timestampMillis()))
                            .build()
                            .toByteBuffer();
            byte[] v = new byte[b.remaining()];
            b.get(v);
            int partition = (int) (offset % 2);
            out.add(new KafkaRecord("interactions", partition, offset / 2, 0, null, v));
            offset++;
            if (offset % 1000 == 0) {
                out.add(
                        new KafkaRecord(
                                "interactions",
                                (int) (offset % 2),
                                offset / 2,
                                0,
                                null,
                                "junk".getBytes(StandardCharsets.UTF_8)));
                offset++;
            }
        }
        return out;
    }

    private RetrainResult run(
            List<KafkaRecord> in,
            long version,
            String live,
            java.util.Map<Integer, Long> liveSnapshot,
            double tolerance)
            throws Exception {
        return run(in, version, live, liveSnapshot, tolerance, Variant.BASE);
    }

    private RetrainResult run(
            List<KafkaRecord> in,
            long version,
            String live,
            java.util.Map<Integer, Long> liveSnapshot,
            double tolerance,
            Variant variant)
            throws Exception {
        RetrainJob.Settings s =
                new RetrainJob.Settings(
                        "unused:9092",
                        tmp.toString(),
                        TrainConfig.builder()
                                .variant(variant)
                                .epochs(5)
                                .batchSize(1024)
                                .margin(0.5f)
                                .lr(0.01f)
                                .build(),
                        Split.RANDOM_811,
                        1,
                        tolerance,
                        KernelsFactory.cpu(false),
                        RetrainJobTest::store,
                        RetrainJob.decoder(io.hyperrec.schemas.RegistryConfig.local()),
                        RetrainJob.enrichedDecoder(io.hyperrec.schemas.RegistryConfig.local()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        List<RetrainResult> out = new ArrayList<>();
        try (CloseableIterator<RetrainResult> it =
                RetrainJob.build(
                                env.fromData(
                                        TypeInformation.of(KafkaRecord.class),
                                        in.toArray(new KafkaRecord[0])),
                                s,
                                version,
                                live,
                                liveSnapshot)
                        .executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    @Test
    void aRetrainTrainsOnEverythingReadWritesItsSnapshotAndRecordsItsOffsets() throws Exception {
        List<KafkaRecord> all = records(100_000);
        List<KafkaRecord> in = all.subList(0, all.size() * 6 / 10);
        RetrainResult v1 = run(in, 1, null, java.util.Map.of(), 0.01);
        assertThat(v1.accepted).isTrue();
        assertThat(v1.reason).isEqualTo("first version");
        long junk = in.stream().filter(r -> r.value.length == 4).count();
        assertThat(junk).isGreaterThan(0);
        assertThat(v1.skipped).isEqualTo(junk);
        assertThat(v1.interactions).isEqualTo(in.size() - junk);
        long maxP0 =
                in.stream()
                        .filter(r -> r.partition == 0)
                        .mapToLong(r -> r.offset)
                        .max()
                        .getAsLong();
        long maxP1 =
                in.stream()
                        .filter(r -> r.partition == 1)
                        .mapToLong(r -> r.offset)
                        .max()
                        .getAsLong();
        assertThat(v1.snapshotOffsets).containsEntry(0, maxP0 + 1).containsEntry(1, maxP1 + 1);
        assertThat(v1.metrics).containsKeys("valid_recall@20", "test_recall@20");
        assertThat(v1.popular).isNotEmpty().hasSizeLessThanOrEqualTo(200);
        List<Long> counts = new ArrayList<>(v1.popular.values());
        assertThat(counts).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        TrainedModel m = TrainedModel.load(Path.of(v1.location));
        assertThat(m.users().size()).isGreaterThan(250);
        assertThat(Path.of(v1.location).getFileName().toString()).isEqualTo("v1");

        // The next version is gated against v1 on the same split.
        // The next version is gated against v1 on the held-out interactions v1 never saw.
        // A first attempt at version 2 on part of the data, then version 2 again on all of it:
        // the second must train afresh, not restore the first attempt's finished checkpoint.
        RetrainResult first =
                run(all.subList(0, all.size() * 8 / 10), 2, v1.location, v1.snapshotOffsets, 0.05);
        RetrainResult v2 = run(all, 2, v1.location, v1.snapshotOffsets, 0.05);
        assertThat(v2.interactions).isGreaterThan(first.interactions);
        assertThat(STORES.keySet()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(v2.metrics).containsKeys("gate_new_recall@20", "gate_live_recall@20");
        assertThat(v2.reason).contains("(live)").contains("new held-out interactions");
        assertThat(v2.accepted)
                .isEqualTo(
                        v2.metrics.get("gate_new_recall@20")
                                >= v2.metrics.get("gate_live_recall@20") - 0.05);
    }

    /**
     * items.enriched records for the synthetic catalogue: three tag levels from each item's
     * category path, a parent→child edge per step, and a 16-dimensional "text" vector that encodes
     * its level-1 category (plus noise), as a text encoder would separate categories.
     */
    private static List<KafkaRecord> enrichments(SyntheticConfig syn) throws Exception {
        io.hyperrec.core.data.Dataset d = SyntheticDataset.generate(syn);
        io.hyperrec.core.data.ItemCatalog c = d.catalog().orElseThrow();
        java.util.Random rnd = new java.util.Random(3);
        List<KafkaRecord> out = new ArrayList<>();
        java.util.Map<String, Integer> level1 = new java.util.HashMap<>();
        for (int i = 0; i < c.numItems(); i++) {
            List<String> path = c.categoryPath(i);
            List<List<String>> levels = new ArrayList<>();
            List<io.hyperrec.schemas.avro.TagEdge> edges = new ArrayList<>();
            for (int l = 0; l < 3; l++) {
                String tag = l < path.size() ? path.get(l) : path.get(path.size() - 1) + " " + l;
                levels.add(List.of(tag));
                if (l > 0) {
                    edges.add(new io.hyperrec.schemas.avro.TagEdge(levels.get(l - 1).get(0), tag));
                }
            }
            int cat = level1.computeIfAbsent(levels.get(1).get(0), k -> level1.size());
            List<Float> text = new ArrayList<>();
            for (int j = 0; j < 16; j++) {
                text.add((float) ((j == cat % 16 ? 1.0 : 0.0) + 0.1 * rnd.nextGaussian()));
            }
            ByteBuffer b =
                    io.hyperrec.schemas.avro.ItemEnriched.newBuilder()
                            .setItem(d.items().token(i))
                            .setSummary(c.title(i))
                            .setTagLevels(levels)
                            .setEdges(edges)
                            .setTextEmbedding(text)
                            .setTagger("test:paths")
                            .setTextEncoder("test-16")
                            .setOffline(true)
                            .setFallbackReason(null)
                            .setEventTime(Instant.ofEpochMilli(0))
                            .build()
                            .toByteBuffer();
            byte[] v = new byte[b.remaining()];
            b.get(v);
            out.add(new KafkaRecord("items.enriched", i % 2, i / 2, 0, null, v));
        }
        out.add(
                new KafkaRecord(
                        "items.enriched",
                        0,
                        c.numItems(),
                        0,
                        null,
                        "not avro".getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void aStructuralRetrainLearnsTheEnrichedTagsAndShipsAColdStartModel() throws Exception {
        SyntheticConfig syn = SyntheticConfig.builder().users(300).items(200).seed(5).build();
        List<KafkaRecord> in = new ArrayList<>(enrichments(syn));
        in.addAll(records(30_000));

        RetrainResult v1 = run(in, 1, null, java.util.Map.of(), 0.01, Variant.STRUCTURAL);

        assertThat(v1.accepted).as(v1.reason).isTrue();
        assertThat(v1.metrics).containsEntry("variant_tags", 1.0);
        assertThat(v1.snapshotOffsets)
                .as("only interactions count as the snapshot")
                .containsOnlyKeys(0, 1);
        Path cold = Path.of(v1.location).resolve(RetrainOperator.COLD_START_DIR);
        io.hyperrec.core.coldstart.ColdStartModel m =
                io.hyperrec.core.coldstart.ColdStartModel.load(cold);
        assertThat(m.hasTags()).isTrue();
        assertThat(m.textDim()).isEqualTo(16);
        assertThat(m.textEncoder()).isEqualTo("test-16");
        assertThat(v1.metrics.get("coldstart_check_items")).isGreaterThan(5);
        assertThat(v1.metrics.get("coldstart_tags_sqdist"))
                .as("tags place held-out items closer than the centroid does")
                .isLessThan(v1.metrics.get("coldstart_centroid_sqdist"));
        List<String> tags = m.tagNames().subList(0, 3);
        assertThat(
                        m.place(
                                        tags,
                                        new float[16],
                                        io.hyperrec.core.coldstart.ColdStartModel.Method
                                                .TAGS_AND_TEXT)
                                .method())
                .isEqualTo(io.hyperrec.core.coldstart.ColdStartModel.Method.TAGS_AND_TEXT);
    }

    @Test
    void nothingToTrainOnIsARejectionNotACrash() throws Exception {
        List<KafkaRecord> junk =
                List.of(
                        new KafkaRecord(
                                "interactions",
                                0,
                                0,
                                0,
                                null,
                                "x".getBytes(StandardCharsets.UTF_8)));
        RetrainResult r = run(junk, 1, null, java.util.Map.of(), 0);
        assertThat(r.accepted).isFalse();
        assertThat(r.reason).isEqualTo("no interactions to train on");
        assertThat(r.skipped).isEqualTo(1);
    }
}
