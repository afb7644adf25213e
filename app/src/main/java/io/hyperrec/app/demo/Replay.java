package io.hyperrec.app.demo;

import io.hyperrec.core.eval.Prequential;
import io.hyperrec.core.online.OnlineConfig;
import io.hyperrec.core.online.OnlineUpdater;
import io.hyperrec.schemas.Topics;
import io.hyperrec.store.PublishedVersion;
import io.hyperrec.store.Recommendations;
import io.hyperrec.store.ScoredItem;
import io.hyperrec.store.http.RetrainStatus;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Replays a time-ordered interaction log through the platform and measures it prequentially: the
 * first part trains version 1 (through the RetrainJob), the rest is sent to Kafka event by event,
 * and before each event is sent its user's top-20 is taken from every arm:
 *
 * <ul>
 *   <li><b>frozen</b>: version 1 as published, never updated;
 *   <li><b>incremental</b>: version 1 with the incremental update applied to every event;
 *   <li><b>incremental+retrain</b>: the same, and on every version the platform publishes (the
 *       periodic retrains run by the real RetrainJob) the arm switches the way the update job
 *       re-bases: users start from the new version's points and the events after its snapshot are
 *       folded in again;
 *   <li><b>served</b>: what the running system answers at that moment — the model store, fed by the
 *       OnlineUpdateJob through Kafka and by the retrains — so the pipeline's lag is in it.
 * </ul>
 *
 * The first three are computed in this process with the update job's code ({@link OnlineUpdater})
 * and score each event against the model as it stood just before the event, which is the definition
 * of prequential evaluation; the served arm shows what the lag costs on top. Items the user has
 * already seen are excluded in every arm, as the store excludes them.
 */
public final class Replay {
    /** One interaction. */
    public record Event(String user, String item, long time) {}

    /** One catalogue item: what {@code items.new} carries for it. */
    public record CatalogItem(String item, String title, String text) {}

    /**
     * How the replay runs (retrains are triggered by the platform's {@link RetrainScheduler}).
     *
     * @param initialFraction the part of the log that trains version 1
     * @param rate events per second sent, 0 = as fast as possible
     * @param badRecordEvery send a malformed record after every this many events, 0 = never
     * @param online the incremental update's settings (the update job's)
     * @param pauseForRetrains hold the replay while a retrain runs, so that a retrain takes no time
     *     on the replayed timeline (see the class comment)
     */
    public record Options(
            double initialFraction,
            double rate,
            int badRecordEvery,
            OnlineConfig online,
            boolean pauseForRetrains) {}

    private static final int K = 20;

    private final Platform platform;
    private final List<Event> events;
    private final Options options;
    private final PrintStream out;
    private final List<CatalogItem> catalogue;

    /**
     * A replay of {@code events} (time-ordered) through {@code platform}.
     *
     * @param catalogue the items to onboard through {@code items.new} when the platform onboards
     *     items: those seen in the first part before version 1 is trained (its text map is fitted
     *     on them), the others shortly before their first interaction in the replay
     */
    public Replay(
            Platform platform,
            List<Event> events,
            List<CatalogItem> catalogue,
            Options options,
            PrintStream out) {
        if (events.size() < 10) {
            throw new IllegalArgumentException(
                    "a replay needs at least 10 events, got " + events.size());
        }
        this.platform = platform;
        this.events = events;
        this.options = options;
        this.out = out;
        this.catalogue = List.copyOf(catalogue);
    }

    /** Runs the whole replay and returns its report (the demo's {@code --report} JSON). */
    public Map<String, Object> run() throws Exception {
        int initial = (int) Math.round(events.size() * options.initialFraction());
        initial = Math.max(1, Math.min(events.size() - 1, initial));
        out.printf(
                "hyperrec demo: %,d events; %,d train version 1, %,d are replayed%n",
                events.size(), initial, events.size() - initial);
        List<Future<RecordMetadata>> sent = new ArrayList<>(events.size());
        for (int k = 0; k < initial; k++) {
            Event e = events.get(k);
            sent.add(platform.sendInteraction(e.user(), e.item(), e.time()));
        }
        platform.flush();
        Map<Integer, List<CatalogItem>> newItemsAt = onboardCatalogue(initial);
        RetrainScheduler retrains = platform.retrains();
        RetrainStatus v1 = trainVersionOne(retrains);
        retrains.onFinished(
                s ->
                        out.printf(
                                "retrain of version %d (%s) %s after %.1f s: %s%n",
                                s.version(),
                                s.trigger(),
                                s.state(),
                                (s.finishedAt() - s.startedAt()) / 1e3,
                                s.reason()));
        platform.startServing();
        platform.startOnlineJob();
        retrains.startTriggers();
        out.println("update job running; replaying");

        PublishedVersion first = platform.live();
        InProcessArm frozenArm = new InProcessArm(first, options.online());
        InProcessArm incrementalArm = new InProcessArm(first, options.online());
        InProcessArm retrainArm = new InProcessArm(first, options.online());
        for (Event e : events.subList(0, initial)) {
            frozenArm.see(e);
            incrementalArm.see(e);
            retrainArm.see(e);
        }
        Prequential frozen = new Prequential(K);
        Prequential incremental = new Prequential(K);
        Prequential retrained = new Prequential(K);
        Prequential served = new Prequential(K);
        int replayed = events.size() - initial;
        long start = System.nanoTime();
        long lastPrint = start;
        int bad = 0;
        long pausedNanos = 0;
        int onboarded = 0;
        long wallStart = start;
        int[] top = new int[K];
        for (int k = initial; k < events.size(); k++) {
            if (options.rate() > 0) {
                long due = start + (long) ((k - initial) / options.rate() * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            if (options.pauseForRetrains() && retrains.running()) {
                long paused = System.nanoTime();
                out.printf("replay paused at event %,d while a retrain runs%n", k - initial + 1);
                retrains.awaitIdle(Duration.ofHours(24));
                long p = System.nanoTime() - paused;
                start += p; // the rate's schedule resumes where it stopped
                lastPrint += p;
                pausedNanos += p;
            }
            for (CatalogItem c : newItemsAt.getOrDefault(k, List.of())) {
                platform.sendItem(c.item(), c.title(), c.text(), Map.of(), e0(k));
                onboarded++;
            }
            PublishedVersion live = platform.live();
            if (live.version() != retrainArm.version()) {
                retrainArm = rebase(live, k, sent);
            }
            Event e = events.get(k);
            frozenArm.rank(e, frozen, top);
            incrementalArm.rank(e, incremental, top);
            retrainArm.rank(e, retrained, top);
            Recommendations r = platform.store().recommend(e.user(), K);
            served.recordRank(r.items().stream().map(ScoredItem::item).toList().indexOf(e.item()));
            sent.add(platform.sendInteraction(e.user(), e.item(), e.time()));
            frozenArm.see(e);
            incrementalArm.learn(e);
            retrainArm.learn(e);
            if (options.badRecordEvery() > 0 && (k - initial) % options.badRecordEvery() == 7) {
                platform.sendRaw(
                        e.user(),
                        ("{\"user\":\"" + e.user() + "\"}").getBytes(StandardCharsets.UTF_8));
                bad++;
            }
            int done = k - initial + 1;
            long now = System.nanoTime();
            if (now - lastPrint > 2_000_000_000L || done == replayed) {
                lastPrint = now;
                printProgress(done, replayed, now - start, frozen, incremental, retrained, served);
            }
        }
        platform.flush();
        double replaySeconds = (System.nanoTime() - start) / 1e9;
        out.println("replay sent; waiting for the pipeline to catch up");
        long caughtUp = awaitCatchUp();
        double pipelineSeconds = (caughtUp - start) / 1e9;
        out.println("waiting for a running retrain to finish");
        if (!retrains.awaitIdle(Duration.ofMinutes(30))) {
            out.println("warning: a retrain was still running after 30 minutes");
        }

        Map<String, Object> report = new LinkedHashMap<>();
        Map<String, Object> armsOut = new LinkedHashMap<>();
        armsOut.put("frozen", arm(frozen));
        armsOut.put("incremental", arm(incremental));
        armsOut.put("incremental+retrain", arm(retrained));
        armsOut.put("served", arm(served));
        report.put("arms", armsOut);
        Histogram h = platform.store().freshness();
        Map<String, Object> fresh = new LinkedHashMap<>();
        fresh.put("p50", h.getValueAtPercentile(50));
        fresh.put("p99", h.getValueAtPercentile(99));
        fresh.put("max", h.getMaxValue());
        fresh.put("updates_measured", h.getTotalCount());
        report.put("freshness_ms", fresh);
        Histogram items =
                platform.store().freshness(io.hyperrec.core.model.EmbeddingUpsert.Kind.ITEM);
        Map<String, Object> onboarding = new LinkedHashMap<>();
        onboarding.put("p50", items.getValueAtPercentile(50));
        onboarding.put("p99", items.getValueAtPercentile(99));
        onboarding.put("max", items.getMaxValue());
        onboarding.put("items_placed", items.getTotalCount());
        onboarding.put("items_sent_during_replay", onboarded);
        report.put("onboarding_ms", onboarding);
        report.put("throughput_eps", replayed / pipelineSeconds);
        report.put("paused_for_retrains_seconds", pausedNanos / 1e9);
        report.put("wall_seconds", (System.nanoTime() - wallStart) / 1e9);
        report.put("replay_send_eps", replayed / replaySeconds);
        report.put("events", replayed);
        report.put("initial_events", initial);
        report.put("dead_letters", platform.deadLetters());
        report.put("bad_records_injected", bad);
        report.put("model_version", platform.live().version());
        report.put("retrains", retrains.history().stream().map(Replay::retrain).toList());
        report.put("rate", options.rate());
        return report;
    }

    private long e0(int k) {
        return events.get(k).time();
    }

    /**
     * Onboards the catalogue when the platform can: starts the ItemOnboardingJob, sends the items
     * seen in the first {@code initial} events (and those never seen) and waits until they are
     * enriched; returns, by replay position, the items to send during the replay (each about two
     * seconds of replay before its first interaction).
     */
    private Map<Integer, List<CatalogItem>> onboardCatalogue(int initial) throws Exception {
        Map<Integer, List<CatalogItem>> later = new java.util.HashMap<>();
        if (catalogue.isEmpty() || !platform.onboardingEnabled()) {
            return later;
        }
        Map<String, Integer> first = new java.util.HashMap<>();
        for (int k = 0; k < events.size(); k++) {
            first.putIfAbsent(events.get(k).item(), k);
        }
        platform.startOnboardingJob();
        long before = platform.endOffsetSum(Topics.ITEMS_ENRICHED);
        int lead = options.rate() > 0 ? (int) Math.round(options.rate() * 2) : 2000;
        int now = 0;
        for (CatalogItem c : catalogue) {
            int f = first.getOrDefault(c.item(), -1);
            if (f >= initial) {
                later.computeIfAbsent(Math.max(initial, f - lead), x -> new ArrayList<>()).add(c);
            } else {
                platform.sendItem(c.item(), c.title(), c.text(), Map.of(), 0);
                now++;
            }
        }
        platform.flush();
        out.printf(
                "onboarding %,d catalogue items (offline tagger, MiniLM); %,d more arrive during"
                        + " the replay%n",
                now, catalogue.size() - now);
        long t0 = System.nanoTime();
        platform.awaitRecords(
                Topics.ITEMS_ENRICHED, before + now, "items enriched", Duration.ofMinutes(10), out);
        out.printf("catalogue enriched in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return later;
    }

    /** Trains and publishes version 1 through the scheduler (so it is in its history). */
    private RetrainStatus trainVersionOne(RetrainScheduler retrains) throws Exception {
        long t0 = System.nanoTime();
        RetrainStatus started = retrains.start("initial");
        retrains.awaitIdle(Duration.ofHours(24));
        RetrainStatus v1 = retrains.status(started.version()).orElseThrow();
        if (v1.state() != RetrainStatus.State.PUBLISHED) {
            throw new IllegalStateException("the initial training failed: " + v1.reason());
        }
        out.printf(
                "version %d trained in %.1f s on %,d interactions: validation R@20 %.4f, test"
                        + " R@20 %.4f%n",
                v1.version(),
                (System.nanoTime() - t0) / 1e9,
                v1.interactions(),
                v1.metrics().get("valid_recall@20"),
                v1.metrics().get("test_recall@20"));
        return v1;
    }

    /**
     * The incremental+retrain arm on a newly published version: events inside the version's
     * snapshot (it trained on them) are only remembered, the later ones are folded in again.
     */
    private InProcessArm rebase(PublishedVersion live, int upTo, List<Future<RecordMetadata>> sent)
            throws Exception {
        platform.flush(); // every event sent so far has its offset
        Map<Integer, Long> snapshot = platform.liveSnapshot();
        InProcessArm arm = new InProcessArm(live, options.online());
        int folded = 0;
        for (int j = 0; j < upTo; j++) {
            RecordMetadata md = sent.get(j).get();
            if (md.offset() < snapshot.getOrDefault(md.partition(), 0L)) {
                arm.see(events.get(j));
            } else {
                arm.learn(events.get(j));
                folded++;
            }
        }
        out.printf(
                "incremental+retrain arm on version %d: %,d events after its snapshot folded in"
                        + " again%n",
                live.version(), folded);
        return arm;
    }

    private static Map<String, Object> arm(Prequential p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recall@20", p.recall());
        m.put("ndcg@20", p.ndcg());
        m.put("events", p.events());
        return m;
    }

    private static Map<String, Object> retrain(RetrainStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", s.version());
        m.put("state", s.state().name());
        m.put("trigger", s.trigger());
        m.put("reason", s.reason());
        m.put("interactions", s.interactions());
        m.put("seconds", s.finishedAt() == null ? null : (s.finishedAt() - s.startedAt()) / 1e3);
        m.put("metrics", s.metrics());
        return m;
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
            Prequential retrained,
            Prequential served) {
        double s = nanos / 1e9;
        double rate = done / Math.max(s, 1e-9);
        Histogram h = platform.store().freshness();
        PublishedVersion v = platform.live();
        out.printf(
                "%,d/%,d events (%.0f%%)  %,.0f ev/s  ETA %.0fs | v%d  freshness p50 %d ms p99 %d ms"
                        + " | R@20 frozen %.4f incremental %.4f +retrain %.4f served %.4f"
                        + " | dead letters %d%n",
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
                retrained.recall(),
                served.recall(),
                platform.deadLetters());
    }
}
