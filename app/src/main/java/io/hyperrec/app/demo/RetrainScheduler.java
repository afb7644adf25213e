package io.hyperrec.app.demo;

import io.hyperrec.jobs.retrain.RetrainResult;
import io.hyperrec.store.http.RetrainControl;
import io.hyperrec.store.http.RetrainStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when the RetrainJob runs and runs one at a time: after every {@link Policy#everyRecords}
 * new records in {@code interactions}, every {@link Policy#every} (when anything new arrived), and
 * on request ({@code POST /v1/retrains}, which {@code hyperrec retrain} calls).
 *
 * <p>New records are counted from the topic's end offsets, so events posted through the API and
 * events produced by anyone else count alike. Each retrain gets the next version number, rejected
 * or failed ones included: a version number names one training run for good.
 *
 * <p>Thread-safe. The trigger check runs on its own thread every {@link Policy#poll}; retrains run
 * on another, so a slow retrain never delays the check's bookkeeping.
 */
public final class RetrainScheduler implements RetrainControl, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetrainScheduler.class);

    /** What the scheduler retrains: the platform, or a fake in tests. */
    public interface Target {
        /** Runs the RetrainJob for {@code version} and publishes it when it passes the gate. */
        RetrainResult retrain(long version) throws Exception;

        /** Records in {@code interactions} so far (the sum of its end offsets). */
        long interactionRecords();

        /** The live version, 0 before the first. */
        long liveVersion();
    }

    /**
     * When retrains start on their own.
     *
     * @param everyRecords retrain after this many new records in {@code interactions}; 0 = never
     * @param every retrain this often when anything new arrived; zero = never
     * @param poll how often the triggers are checked
     */
    public record Policy(long everyRecords, Duration every, Duration poll) {
        public Policy {
            if (everyRecords < 0) {
                throw new IllegalArgumentException(
                        "everyRecords must be >= 0 (0 disables it), got " + everyRecords);
            }
            Objects.requireNonNull(every, "every");
            if (every.isNegative()) {
                throw new IllegalArgumentException(
                        "every must not be negative (zero disables it), got " + every);
            }
            Objects.requireNonNull(poll, "poll");
            if (poll.isZero() || poll.isNegative()) {
                throw new IllegalArgumentException("poll must be positive, got " + poll);
            }
        }

        /** Retrains only on request. */
        public static Policy manualOnly() {
            return new Policy(0, Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    private final Target target;
    private final Policy policy;
    private final Clock clock;
    private final List<RetrainStatus> history = new ArrayList<>();
    private final List<Consumer<RetrainStatus>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService runner =
            Executors.newSingleThreadExecutor(daemon("hyperrec-retrain"));
    private ScheduledExecutorService trigger;
    private RetrainStatus running;
    private long recordsAtLastStart = -1;
    private long lastStartMillis;

    /**
     * @param target what to retrain
     * @param policy when to retrain on its own
     * @param clock the time of day (statuses, the timer trigger)
     */
    public RetrainScheduler(Target target, Policy policy, Clock clock) {
        this.target = Objects.requireNonNull(target, "target");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lastStartMillis = clock.millis();
    }

    /**
     * Starts checking the automatic triggers; records already in {@code interactions} count as seen
     * (the live version was trained on them).
     */
    public synchronized void startTriggers() {
        if (trigger != null) {
            return;
        }
        if (recordsAtLastStart < 0) {
            recordsAtLastStart = target.interactionRecords();
        }
        lastStartMillis = clock.millis();
        trigger = Executors.newSingleThreadScheduledExecutor(daemon("hyperrec-retrain-trigger"));
        long pollMs = policy.poll().toMillis();
        trigger.scheduleWithFixedDelay(
                () -> {
                    try {
                        check();
                    } catch (RuntimeException e) {
                        LOG.warn("checking the retrain triggers: {}", e.toString());
                    }
                },
                pollMs,
                pollMs,
                TimeUnit.MILLISECONDS);
    }

    /** Calls {@code listener} with each retrain's final status, on the retrain thread. */
    public void onFinished(Consumer<RetrainStatus> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * One check of the automatic triggers: starts a retrain when enough records arrived or the
     * timer is due (and something arrived), unless one is running.
     *
     * @return the retrain it started, if any
     */
    synchronized Optional<RetrainStatus> check() {
        if (running != null) {
            return Optional.empty();
        }
        long records = target.interactionRecords();
        if (recordsAtLastStart < 0) {
            recordsAtLastStart = records;
        }
        long fresh = records - recordsAtLastStart;
        if (policy.everyRecords() > 0 && fresh >= policy.everyRecords()) {
            return Optional.of(start("interactions", records));
        }
        boolean due =
                !policy.every().isZero()
                        && clock.millis() - lastStartMillis >= policy.every().toMillis();
        if (due && fresh > 0) {
            return Optional.of(start("timer", records));
        }
        return Optional.empty();
    }

    @Override
    public synchronized RetrainStatus start(String trigger) {
        if (running != null) {
            throw new Busy(running);
        }
        return start(trigger, target.interactionRecords());
    }

    private RetrainStatus start(String triggerName, long records) {
        long version = nextVersion();
        RetrainStatus status = RetrainStatus.running(version, triggerName, clock.millis());
        running = status;
        history.add(status);
        recordsAtLastStart = records;
        lastStartMillis = status.startedAt();
        LOG.info(
                "retrain of version {} started ({}; {} records in interactions)",
                version,
                triggerName,
                records);
        runner.execute(() -> run(status));
        return status;
    }

    private long nextVersion() {
        long v = target.liveVersion();
        for (RetrainStatus s : history) {
            v = Math.max(v, s.version());
        }
        return v + 1;
    }

    private void run(RetrainStatus started) {
        RetrainStatus done;
        try {
            RetrainResult r = target.retrain(started.version());
            done =
                    started.finish(
                            r.accepted
                                    ? RetrainStatus.State.PUBLISHED
                                    : RetrainStatus.State.REJECTED,
                            clock.millis(),
                            r.reason,
                            r.metrics,
                            r.interactions);
        } catch (Exception e) {
            LOG.error("retrain of version {} failed", started.version(), e);
            done =
                    started.finish(
                            RetrainStatus.State.FAILED, clock.millis(), describe(e), Map.of(), 0);
        }
        synchronized (this) {
            history.set(history.indexOf(started), done);
        }
        // Listeners hear of it before anyone waiting in awaitIdle wakes up.
        for (Consumer<RetrainStatus> l : listeners) {
            try {
                l.accept(done);
            } catch (RuntimeException e) {
                LOG.warn("a retrain listener failed: {}", e.toString());
            }
        }
        synchronized (this) {
            running = null;
            notifyAll();
        }
    }

    /** True while a retrain runs. */
    public synchronized boolean running() {
        return running != null;
    }

    /**
     * Waits until no retrain runs.
     *
     * @return false when {@code timeout} passed first
     */
    public synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running != null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    @Override
    public synchronized List<RetrainStatus> history() {
        return List.copyOf(history);
    }

    @Override
    public synchronized Optional<RetrainStatus> status(long version) {
        return history.stream().filter(s -> s.version() == version).findFirst();
    }

    /** Stops the triggers and abandons a running retrain (its thread is interrupted). */
    @Override
    public void close() {
        synchronized (this) {
            if (trigger != null) {
                trigger.shutdownNow();
            }
        }
        runner.shutdownNow();
    }

    /**
     * A failure as a reason: the exception and, when the job wrapped it (Flink's "Failed to fetch
     * next result"), its root cause, which is what a reader needs.
     */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = e.getClass().getSimpleName() + ": " + e.getMessage();
        return root == e
                ? top
                : top + "; caused by " + root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
