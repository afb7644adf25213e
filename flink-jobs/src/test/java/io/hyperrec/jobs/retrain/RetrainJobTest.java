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
        RetrainJob.Settings s =
                new RetrainJob.Settings(
                        "unused:9092",
                        tmp.toString(),
                        TrainConfig.builder()
                                .variant(Variant.BASE)
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
                        RetrainJob.decoder(io.hyperrec.schemas.RegistryConfig.local()));
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
