package io.hyperrec.jobs.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyperrec.core.online.OnlineConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnlineUpdateOperatorTest {
    @TempDir Path tmp;

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, UserEvent, ControlEvent, UserUpdate>
            harness(ControlEvent initial, int maxBatch) throws Exception {
        OnlineUpdateOperator op =
                new OnlineUpdateOperator(
                        OnlineConfig.defaults().withMaxBatch(maxBatch),
                        5,
                        Duration.ofDays(1),
                        initial,
                        KernelsFactory.cpu(true));
        KeyedTwoInputStreamOperatorTestHarness<String, UserEvent, ControlEvent, UserUpdate> h =
                new KeyedTwoInputStreamOperatorTestHarness<>(op, e -> e.user, null, Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    private static void feed(
            KeyedTwoInputStreamOperatorTestHarness<String, UserEvent, ControlEvent, UserUpdate> h,
            List<UserEvent> events)
            throws Exception {
        for (UserEvent e : events) {
            h.processElement1(new StreamRecord<>(e));
        }
    }

    private static Map<String, UserUpdate> lastPerUser(List<UserUpdate> updates) {
        Map<String, UserUpdate> last = new HashMap<>();
        for (UserUpdate u : updates) {
            UserUpdate prev = last.get(u.user);
            if (prev == null
                    || u.version > prev.version
                    || (u.version == prev.version && u.seq > prev.seq)) {
                last.put(u.user, u);
            }
        }
        return last;
    }

    private static Map<String, UserUpdate> run(ControlEvent v1, List<UserEvent> events, int batch)
            throws Exception {
        try (var h = harness(v1, batch)) {
            h.open();
            feed(h, events);
            h.endInput1();
            return lastPerUser(h.extractOutputValues());
        }
    }

    @Test
    void eventsWaitAtMostTheFlushIntervalAndEachYieldsOneUpdate() throws Exception {
        ControlEvent v1 = ControlEvent.version(1, Fixtures.model(tmp, 1, 20, 100), Map.of());
        try (var h = harness(v1, 256)) {
            h.open();
            h.setProcessingTime(0);
            feed(
                    h,
                    List.of(
                            new UserEvent("u1", "i5", 1f, 1, 0, 0, 10),
                            new UserEvent("u1", "i6", 1f, 2, 0, 1, 11),
                            new UserEvent("u2", "i5", 1f, 3, 0, 2, 12)));
            assertThat(h.extractOutputValues()).isEmpty();
            h.setProcessingTime(5);
            List<UserUpdate> out = h.extractOutputValues();
            assertThat(out).hasSize(3);
            assertThat(out).extracting(u -> u.user + "#" + u.seq).contains("u1#1", "u1#2", "u2#1");
            assertThat(out).allSatisfy(u -> assertThat(u.version).isEqualTo(1));
            assertThat(out).extracting(u -> u.sourceTime).contains(10L, 11L, 12L);
            assertThat(out.get(0).point).hasSize(Fixtures.DIM);
        }
    }

    @Test
    void batchSizeDoesNotChangeTheEmbeddings() throws Exception {
        ControlEvent v1 = ControlEvent.version(1, Fixtures.model(tmp, 2, 30, 80), Map.of());
        // 40 users against a model of 30: ten start from the tangent mean of their items.
        List<UserEvent> events = Fixtures.events(3, 600, 40, 80);
        Map<String, UserUpdate> one = run(v1, events, 1);
        Map<String, UserUpdate> many = run(v1, events, 256);
        Map<String, UserUpdate> some = run(v1, events, 7);
        assertThat(one).hasSize(40);
        for (String user : one.keySet()) {
            assertThat(many.get(user).point).as(user).isEqualTo(one.get(user).point);
            assertThat(some.get(user).point).as(user).isEqualTo(one.get(user).point);
            assertThat(many.get(user).seq).isEqualTo(one.get(user).seq);
        }
    }

    @Test
    void aRestoredOperatorContinuesExactlyWhereTheCheckpointLeftOff() throws Exception {
        ControlEvent v1 = ControlEvent.version(1, Fixtures.model(tmp, 4, 30, 80), Map.of());
        List<UserEvent> events = Fixtures.events(5, 400, 30, 80);
        Map<String, UserUpdate> uninterrupted = run(v1, events, 64);

        OperatorSubtaskState snapshot;
        Map<String, UserUpdate> seen;
        try (var h = harness(v1, 64)) {
            h.open();
            feed(h, events.subList(0, 250));
            // What the task does before a checkpoint barrier: the buffered events are applied.
            h.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 1);
            seen = lastPerUser(h.extractOutputValues());
            // Events after the checkpoint that the crash loses: they will be replayed.
            feed(h, events.subList(250, 300));
        }
        try (var h = harness(v1, 64)) {
            h.initializeState(snapshot);
            h.open();
            feed(h, events.subList(250, 400));
            h.endInput1();
            seen.putAll(lastPerUser(h.extractOutputValues()));
        }
        assertThat(seen.keySet()).isEqualTo(uninterrupted.keySet());
        for (String user : uninterrupted.keySet()) {
            assertThat(seen.get(user).point).as(user).isEqualTo(uninterrupted.get(user).point);
            assertThat(seen.get(user).seq).as(user).isEqualTo(uninterrupted.get(user).seq);
        }
    }

    @Test
    void aNewVersionRebasesUsersAndFoldsInTheEventsAfterItsSnapshot() throws Exception {
        ControlEvent v1 = ControlEvent.version(1, Fixtures.model(tmp, 6, 10, 50), Map.of());
        ControlEvent v2 =
                ControlEvent.version(2, Fixtures.model(tmp, 7, 10, 50), Map.of(0, 4L, 1, 0L));
        List<UserEvent> events =
                List.of(
                        new UserEvent("u3", "i9", 1f, 1, 0, 0, 100),
                        new UserEvent("u3", "i9", 1f, 2, 0, 1, 101),
                        new UserEvent("u3", "i9", 1f, 3, 0, 2, 102),
                        new UserEvent("u3", "i9", 1f, 4, 0, 3, 103),
                        new UserEvent("u3", "i9", 1f, 5, 0, 4, 104),
                        new UserEvent("u3", "i9", 1f, 6, 0, 5, 105));
        UserUpdate rebased;
        try (var h = harness(v1, 16)) {
            h.open();
            feed(h, events);
            h.processElement2(new StreamRecord<>(v2));
            List<UserUpdate> out = h.extractOutputValues();
            assertThat(out).filteredOn(u -> u.version == 1).hasSize(6);
            List<UserUpdate> inV2 = out.stream().filter(u -> u.version == 2).toList();
            assertThat(inV2).hasSize(1);
            rebased = inV2.get(0);
            assertThat(rebased.seq).isEqualTo(1);
            assertThat(rebased.sourceTime).isEqualTo(105);
        }
        // The same as a job that started at version 2 and saw only the events after its snapshot.
        UserUpdate fresh = run(v2, events.subList(4, 6), 16).get("u3");
        assertThat(rebased.point).isEqualTo(fresh.point);
        // A stale or repeated version pointer changes nothing.
        try (var h = harness(v2, 16)) {
            h.open();
            h.processElement2(new StreamRecord<>(v1));
            feed(h, events.subList(4, 6));
            h.endInput1();
            assertThat(lastPerUser(h.extractOutputValues()).get("u3").point).isEqualTo(fresh.point);
        }
    }

    @Test
    void unknownItemsAreRememberedAndCountOnceAVersionKnowsThem() throws Exception {
        ControlEvent v1 = ControlEvent.version(1, Fixtures.model(tmp, 8, 5, 20), Map.of());
        try (var h = harness(v1, 16)) {
            h.open();
            // A new user whose first item is not in the model yet: no point, no update.
            feed(h, List.of(new UserEvent("new-user", "brand-new", 1f, 1, 0, 0, 10)));
            h.endInput1();
            assertThat(h.extractOutputValues()).isEmpty();
            // The item arrives as a cold-start item of version 1; the next event uses it.
            float[] p = new float[Fixtures.DIM];
            p[0] = 1;
            h.processElement2(new StreamRecord<>(ControlEvent.item(1, "brand-new", p)));
            feed(h, List.of(new UserEvent("new-user", "i3", 1f, 2, 0, 1, 11)));
            h.endInput1();
            List<UserUpdate> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).user).isEqualTo("new-user");
            assertThat(out.get(0).point[0]).isGreaterThanOrEqualTo(1f);
        }
    }
}
