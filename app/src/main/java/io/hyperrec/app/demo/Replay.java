package io.hyperrec.app.demo;

import io.hyperrec.core.eval.Prequential;
import io.hyperrec.core.online.OnlineConfig;
import io.hyperrec.core.online.OnlineUpdater;
import io.hyperrec.jobs.retrain.RetrainResult;
import io.hyperrec.schemas.Topics;
import io.hyperrec.store.PublishedVersion;
import io.hyperrec.store.Recommendations;
import io.hyperrec.store.ScoredItem;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Replays a time-ordered interaction log through the platform and measures it prequentially: the
 * first part trains version 1 (through the RetrainJob), the rest is sent to Kafka event by event,
 * and before each event is sent the user's top-20 is taken from three arms:
 *
 * <ul>
 *   <li><b>frozen</b>: version 1 as published, never updated;
 *   <li><b>incremental</b>: version 1 with the incremental update applied to every event, computed
 *       in this process with the same code the update job runs ({@link OnlineUpdater}) and no lag;
 *   <li><b>incremental+retrain</b>: what the running system serves — the model store's answer, fed
 *       by the OnlineUpdateJob through Kafka and by periodic retrains — lag included.
 * </ul>
 *
 * Items the user has already seen are excluded in every arm, as the store excludes them.
 */
public final class Replay {
    /** One interaction. */
    public record Event(String user, String item, long time) {}

    /** How the replay runs. */
    public record Options(
            double initialFraction,
            double rate,
            int retrainEvery,
            double retrainMinutes,
            int badRecordEvery,
            OnlineConfig online) {}

    private static final int K = 20;

    private final Platform platform;
    private final List<Event> events;
    private final Options options;
    private final PrintStream out;

    /** A replay of {@code events} (time-ordered) through {@code platform}. */
    public Replay(Platform platform, List<Event> events, Options options, PrintStream out) {
        if (events.size() < 10) {
            throw new IllegalArgumentException(
                    "a replay needs at least 10 events, got " + events.size());
        }
        this.platform = platform;
        this.events = events;
        this.options = options;
        this.out = out;
    }

    /** Runs the whole replay and returns its report (the demo's {@code --report} JSON). */
    public Map<String, Object> run() throws Exception {
        int initial = (int) Math.round(events.size() * options.initialFraction());
        initial = Math.max(1, Math.min(events.size() - 1, initial));
        out.printf(
                "hyperrec demo: %,d events; %,d train version 1, %,d are replayed%n",
                events.size(), initial, events.size() - initial);
        for (int k = 0; k < initial; k++) {
            Event e = events.get(k);
            platform.sendInteraction(e.user(), e.item(), e.time());
        }
        platform.flush();
        long t0 = System.nanoTime();
        RetrainResult v1 = platform.retrain(1);
        if (!v1.accepted) {
            throw new IllegalStateException("the initial training failed: " + v1.reason);
        }
        out.printf(
                "version 1 trained in %.1f s on %,d interactions: validation R@20 %.4f, test R@20 %.4f%n",
                (System.nanoTime() - t0) / 1e9,
                v1.interactions,
                v1.metrics.get("valid_recall@20"),
                v1.metrics.get("test_recall@20"));
        platform.startServing();
        platform.startOnlineJob();
        out.println("update job running; replaying");

        InProcessArms arms =
                new InProcessArms(platform.live(), events.subList(0, initial), options.online());
        Prequential frozen = new Prequential(K);
        Prequential incremental = new Prequential(K);
        Prequential live = new Prequential(K);
        ExecutorService retrainer =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "retrain");
                            t.setDaemon(true);
                            return t;
                        });
        Future<RetrainResult> retrain = null;
        List<Map<String, Object>> retrains = new ArrayList<>();
        long nextVersion = 2;
        int replayed = events.size() - initial;
        long start = System.nanoTime();
        long lastPrint = start;
        long lastRetrainStart = start;
        int bad = 0;
        int[] top = new int[K];
        for (int k = initial; k < events.size(); k++) {
            if (options.rate() > 0) {
                long due = start + (long) ((k - initial) / options.rate() * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            Event e = events.get(k);
            arms.frozen(e, frozen, top);
            arms.incremental(e, incremental, top);
            Recommendations r = platform.store().recommend(e.user(), K);
            live.recordRank(r.items().stream().map(ScoredItem::item).toList().indexOf(e.item()));
            platform.sendInteraction(e.user(), e.item(), e.time());
            arms.learn(e);
            if (options.badRecordEvery() > 0 && (k - initial) % options.badRecordEvery() == 7) {
                platform.sendRaw(
                        e.user(),
                        ("{\"user\":\"" + e.user() + "\"}").getBytes(StandardCharsets.UTF_8));
                bad++;
            }
            int done = k - initial + 1;
            boolean byCount = options.retrainEvery() > 0 && done % options.retrainEvery() == 0;
            boolean byTime =
                    options.retrainMinutes() > 0
                            && System.nanoTime() - lastRetrainStart
                                    > options.retrainMinutes() * 60e9;
            if (byCount || byTime) {
                lastRetrainStart = System.nanoTime();
                if (retrain == null || retrain.isDone()) {
                    collect(retrain, retrains);
                    long v = nextVersion++;
                    platform.flush();
                    retrain = retrainer.submit(() -> platform.retrain(v));
                    out.printf(
                            "retrain of version %d started after %,d replayed events%n", v, done);
                }
            }
            long now = System.nanoTime();
            if (now - lastPrint > 2_000_000_000L || done == replayed) {
                lastPrint = now;
                printProgress(done, replayed, now - start, frozen, incremental, live);
            }
        }
        platform.flush();
        double replaySeconds = (System.nanoTime() - start) / 1e9;
        out.println("replay sent; waiting for the pipeline to catch up");
        long caughtUp = awaitCatchUp();
        double pipelineSeconds = (caughtUp - start) / 1e9;
        if (retrain != null) {
            out.println("waiting for the running retrain to finish");
            collect(retrain, retrains);
        }
        retrainer.shutdownNow();

        Map<String, Object> report = new LinkedHashMap<>();
        Map<String, Object> armsOut = new LinkedHashMap<>();
        armsOut.put("frozen", arm(frozen));
        armsOut.put("incremental", arm(incremental));
        armsOut.put("incremental+retrain", arm(live));
        report.put("arms", armsOut);
        Histogram h = platform.store().freshness();
        Map<String, Object> fresh = new LinkedHashMap<>();
        fresh.put("p50", h.getValueAtPercentile(50));
        fresh.put("p99", h.getValueAtPercentile(99));
        fresh.put("max", h.getMaxValue());
        fresh.put("updates_measured", h.getTotalCount());
        report.put("freshness_ms", fresh);
        report.put("throughput_eps", replayed / pipelineSeconds);
        report.put("replay_send_eps", replayed / replaySeconds);
        report.put("events", replayed);
        report.put("initial_events", initial);
        report.put("dead_letters", platform.deadLetters());
        report.put("bad_records_injected", bad);
        report.put("model_version", platform.live().version());
        report.put("retrains", retrains);
        report.put("rate", options.rate());
        return report;
    }

    private static Map<String, Object> arm(Prequential p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recall@20", p.recall());
        m.put("ndcg@20", p.ndcg());
        m.put("events", p.events());
        return m;
    }

    private void collect(Future<RetrainResult> f, List<Map<String, Object>> into) throws Exception {
        if (f == null) {
            return;
        }
        RetrainResult r = f.get();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", r.version);
        m.put("accepted", r.accepted);
        m.put("reason", r.reason);
        m.put("interactions", r.interactions);
        m.put("train_seconds", r.trainSeconds);
        m.put("metrics", r.metrics);
        into.add(m);
        out.printf("retrain of version %d: %s%n", r.version, r.reason);
    }

    /**
     * Waits until the update job's output stops growing and the store consumed all of it: the
     * pipeline has absorbed the replay. Returns when that was first seen (nanoTime).
     */
    private long awaitCatchUp() throws InterruptedException {
        long deadline = System.nanoTime() + 300_000_000_000L;
        long lastEnd = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long end = platform.endOffsetSum(Topics.MODEL_UPDATES);
            long consumed =
                    platform.ingest().stats().records().getOrDefault(Topics.MODEL_UPDATES, 0L);
            if (end != lastEnd) {
                lastEnd = end;
                stableSince = System.nanoTime();
            } else if (consumed >= end && System.nanoTime() - stableSince > 3_000_000_000L) {
                return stableSince;
            }
            Thread.sleep(200);
        }
        out.println("warning: the pipeline did not settle within 5 minutes");
        return System.nanoTime();
    }

    private void printProgress(
            int done,
            int total,
            long nanos,
            Prequential frozen,
            Prequential incremental,
            Prequential live) {
        double s = nanos / 1e9;
        double rate = done / Math.max(s, 1e-9);
        Histogram h = platform.store().freshness();
        PublishedVersion v = platform.live();
        out.printf(
                "%,d/%,d events (%.0f%%)  %,.0f ev/s  ETA %.0fs | v%d  freshness p50 %d ms p99 %d ms"
                        + " | R@20 frozen %.4f incremental %.4f live %.4f | dead letters %d%n",
                done,
                total,
                100.0 * done / total,
                rate,
                (total - done) / Math.max(rate, 1e-9),
                v.version(),
                h.getValueAtPercentile(50),
                h.getValueAtPercentile(99),
                frozen.recall(),
                incremental.recall(),
                live.recall(),
                platform.deadLetters());
    }
}
