package io.hyperrec.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyperrec.jobs.retrain.RetrainResult;
import io.hyperrec.store.http.RetrainControl;
import io.hyperrec.store.http.RetrainStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetrainSchedulerTest {
    /** A clock the test moves. */
    static final class ManualClock extends Clock {
        final AtomicLong millis = new AtomicLong(1_000_000L);

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }

    /** Records grow when the test says; each retrain waits for the test's go. */
    static final class FakeTarget implements RetrainScheduler.Target {
        final AtomicLong records = new AtomicLong(100);
        final List<Long> versions = new ArrayList<>();
        volatile CountDownLatch go = new CountDownLatch(0);
        volatile boolean accept = true;
        volatile RuntimeException failure;
        long live = 1;

        @Override
        public RetrainResult retrain(long version) throws Exception {
            synchronized (versions) {
                versions.add(version);
            }
            go.await();
            if (failure != null) {
                throw failure;
            }
            RetrainResult r = new RetrainResult();
            r.version = version;
            r.accepted = accept;
            r.reason = accept ? "accepted" : "rejected";
            r.metrics = Map.of("valid_recall@20", 0.3);
            r.interactions = records.get();
            if (accept) {
                live = version;
            }
            return r;
        }

        @Override
        public long interactionRecords() {
            return records.get();
        }

        @Override
        public long liveVersion() {
            return live;
        }
    }

    private final FakeTarget target = new FakeTarget();
    private final ManualClock clock = new ManualClock();
    private RetrainScheduler scheduler;

    @AfterEach
    void close() {
        target.go.countDown();
        if (scheduler != null) {
            scheduler.close();
        }
    }

    private RetrainScheduler scheduler(long everyRecords, Duration every) {
        scheduler =
                new RetrainScheduler(
                        target,
                        new RetrainScheduler.Policy(everyRecords, every, Duration.ofHours(1)),
                        clock);
        return scheduler;
    }

    @Test
    void retrainsAfterEveryNNewRecordsCountedFromTheLastStart() throws Exception {
        RetrainScheduler s = scheduler(50, Duration.ZERO);
        assertThat(s.check()).isEmpty(); // 100 records are what version 1 saw
        target.records.set(149);
        assertThat(s.check()).isEmpty();
        target.records.set(150);

        RetrainStatus started = s.check().orElseThrow();

        assertThat(started.version()).isEqualTo(2);
        assertThat(started.trigger()).isEqualTo("interactions");
        assertThat(s.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(s.status(2))
                .hasValueSatisfying(
                        st -> assertThat(st.state()).isEqualTo(RetrainStatus.State.PUBLISHED));
        target.records.set(199);
        assertThat(s.check()).isEmpty();
        target.records.set(200);
        assertThat(s.check()).hasValueSatisfying(st -> assertThat(st.version()).isEqualTo(3));
    }

    @Test
    void theTimerFiresOnlyWhenSomethingNewArrived() throws Exception {
        RetrainScheduler s = scheduler(0, Duration.ofMinutes(10));
        s.check();
        clock.millis.addAndGet(Duration.ofMinutes(11).toMillis());
        assertThat(s.check()).as("nothing new since version 1").isEmpty();
        target.records.incrementAndGet();

        assertThat(s.check()).hasValueSatisfying(st -> assertThat(st.trigger()).isEqualTo("timer"));
        s.awaitIdle(Duration.ofSeconds(10));
        target.records.incrementAndGet();
        assertThat(s.check()).as("the timer restarted with that retrain").isEmpty();
    }

    @Test
    void oneRetrainRunsAtATimeAndAManualRequestMeanwhileIsBusy() throws Exception {
        target.go = new CountDownLatch(1);
        RetrainScheduler s = scheduler(10, Duration.ZERO);
        RetrainStatus first = s.start("manual");
        target.records.addAndGet(1_000);

        assertThat(s.check()).as("the trigger waits while one runs").isEmpty();
        assertThatThrownBy(() -> s.start("manual"))
                .isInstanceOf(RetrainControl.Busy.class)
                .hasMessageStartingWith("the retrain of version 2 (triggered by manual)");
        assertThat(s.status(first.version()).orElseThrow().state())
                .isEqualTo(RetrainStatus.State.RUNNING);

        target.go.countDown();
        assertThat(s.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(s.history())
                .extracting(RetrainStatus::state)
                .containsExactly(RetrainStatus.State.PUBLISHED);
    }

    @Test
    void rejectedAndFailedRetrainsAreReportedAndUseUpTheirVersion() throws Exception {
        RetrainScheduler s = scheduler(0, Duration.ZERO);
        List<RetrainStatus> finished = new ArrayList<>();
        s.onFinished(finished::add);
        target.accept = false;
        s.start("manual");
        s.awaitIdle(Duration.ofSeconds(10));
        target.failure =
                new RuntimeException(
                        "Failed to fetch next result",
                        new IllegalStateException("loss became NaN at epoch 3, step 9"));
        s.start("manual");
        s.awaitIdle(Duration.ofSeconds(10));

        assertThat(s.history())
                .extracting(RetrainStatus::version, RetrainStatus::state)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2L, RetrainStatus.State.REJECTED),
                        org.assertj.core.groups.Tuple.tuple(3L, RetrainStatus.State.FAILED));
        assertThat(s.status(3).orElseThrow().reason())
                .isEqualTo(
                        "RuntimeException: Failed to fetch next result; caused by"
                                + " IllegalStateException: loss became NaN at epoch 3, step 9");
        assertThat(finished).hasSize(2);
        assertThat(target.versions).containsExactly(2L, 3L);
    }

    @Test
    void aBadPolicyIsNamed() {
        assertThatThrownBy(
                        () -> new RetrainScheduler.Policy(-1, Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessage("everyRecords must be >= 0 (0 disables it), got -1");
        assertThatThrownBy(() -> new RetrainScheduler.Policy(0, Duration.ZERO, Duration.ZERO))
                .hasMessage("poll must be positive, got PT0S");
    }
}
