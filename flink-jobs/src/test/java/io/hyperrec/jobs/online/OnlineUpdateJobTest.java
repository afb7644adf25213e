package io.hyperrec.jobs.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyperrec.core.online.OnlineConfig;
import io.hyperrec.schemas.avro.Interaction;
import io.hyperrec.schemas.avro.InteractionType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The job's graph on a real MiniCluster with RocksDB state, two subtasks, bounded inputs. */
class OnlineUpdateJobTest {
    @RegisterExtension
    static final MiniClusterExtension MINI =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path tmp;

    private static byte[] encode(UserEvent e) throws Exception {
        ByteBuffer b =
                Interaction.newBuilder()
                        .setUser(e.user)
                        .setItem(e.item)
                        .setType(InteractionType.CLICK)
                        .setWeight(1f)
                        .setEventTime(Instant.ofEpochMilli(e.eventTime))
                        .build()
                        .toByteBuffer();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void everyGoodRecordUpdatesItsUserAndEveryBadOneIsDeadLettered() throws Exception {
        ControlEvent v1 = ControlEvent.version(1, Fixtures.model(tmp, 11, 25, 60), Map.of());
        List<UserEvent> events = Fixtures.events(12, 500, 30, 60);
        List<KafkaRecord> records = new ArrayList<>();
        int bad = 0;
        long offset = 0;
        for (int k = 0; k < events.size(); k++) {
            UserEvent e = events.get(k);
            if (k % 50 == 7) {
                byte[] junk = ("corrupt-" + k).getBytes(StandardCharsets.UTF_8);
                records.add(new KafkaRecord("interactions", 0, offset++, 1, null, junk));
                bad++;
            }
            e.offset = offset;
            records.add(new KafkaRecord("interactions", 0, offset++, e.kafkaTime, null, encode(e)));
        }

        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        OnlineUpdateJob.Settings s =
                OnlineUpdateJob.Settings.defaults("unused:9092", "test", v1)
                        .withKernels(KernelsFactory.cpu(true));
        OnlineUpdateJob.Streams streams =
                OnlineUpdateJob.build(
                        env.fromData(
                                        TypeInformation.of(KafkaRecord.class),
                                        records.toArray(new KafkaRecord[0]))
                                .setParallelism(1),
                        env.fromData(
                                TypeInformation.of(ControlEvent.class),
                                ControlEvent.version(0, "none", Map.of())),
                        s);
        DataStream<String> lines =
                streams.updates()
                        .map(
                                u ->
                                        "U "
                                                + u.user
                                                + " "
                                                + u.seq
                                                + " "
                                                + java.util.Arrays.toString(u.point))
                        .union(
                                streams.rejected()
                                        .map(r -> "D " + r.record.offset + " " + r.reason));
        List<String> out = new ArrayList<>();
        try (CloseableIterator<String> it = lines.executeAndCollect("online-update-test")) {
            it.forEachRemaining(out::add);
        }
        List<String> dlq = out.stream().filter(l -> l.startsWith("D ")).toList();
        List<String> upd = out.stream().filter(l -> l.startsWith("U ")).toList();
        assertThat(dlq).hasSize(bad);
        assertThat(dlq)
                .allSatisfy(l -> assertThat(l).contains("value is not an Interaction record"));
        assertThat(upd).hasSize(events.size());

        // Per user: seq runs 1..n without gaps or repeats, and the final point equals a
        // single-subtask run's, whatever the distribution over subtasks and batches.
        Map<String, Integer> count = new HashMap<>();
        Map<String, String> lastPoint = new HashMap<>();
        Map<String, Long> lastSeq = new HashMap<>();
        for (String l : upd) {
            String[] p = l.split(" ", 4);
            count.merge(p[1], 1, Integer::sum);
            long seq = Long.parseLong(p[2]);
            if (seq > lastSeq.getOrDefault(p[1], 0L)) {
                lastSeq.put(p[1], seq);
                lastPoint.put(p[1], p[3]);
            }
        }
        for (Map.Entry<String, Integer> en : count.entrySet()) {
            assertThat(lastSeq.get(en.getKey())).isEqualTo((long) en.getValue());
        }
        Map<String, String> expected = singleSubtask(v1, events);
        assertThat(lastPoint).isEqualTo(expected);
    }

    private static Map<String, String> singleSubtask(ControlEvent v1, List<UserEvent> events)
            throws Exception {
        OnlineUpdateOperator op =
                new OnlineUpdateOperator(
                        OnlineConfig.defaults(),
                        5,
                        Duration.ofDays(1),
                        v1,
                        KernelsFactory.cpu(true));
        try (var h =
                new KeyedTwoInputStreamOperatorTestHarness<
                        String, UserEvent, ControlEvent, UserUpdate>(
                        op, e -> e.user, null, Types.STRING)) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
            h.open();
            for (UserEvent e : events) {
                h.processElement1(new StreamRecord<>(e));
            }
            h.endInput1();
            Map<String, String> last = new HashMap<>();
            for (UserUpdate u : h.extractOutputValues()) {
                last.put(u.user, java.util.Arrays.toString(u.point));
            }
            return last;
        }
    }
}
