package io.hyperrec.app.coldstart;

import io.hyperrec.app.demo.Platform;
import io.hyperrec.core.coldstart.ColdStartModel;
import io.hyperrec.core.data.Dataset;
import io.hyperrec.core.data.ItemCatalog;
import io.hyperrec.core.data.RecboleReader;
import io.hyperrec.core.model.EmbeddingUpsert.Kind;
import io.hyperrec.core.model.TrainedModel;
import io.hyperrec.schemas.AvroCodec;
import io.hyperrec.schemas.Topics;
import io.hyperrec.schemas.avro.ItemEnriched;
import io.hyperrec.store.ModelStore;
import io.hyperrec.store.PublishedVersion;
import io.hyperrec.store.http.RetrainStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The cold-start evaluation: a share of the catalogue's items (and every interaction with them) is
 * held out of training; the rest is onboarded and trained on through the real pipeline (Kafka, the
 * ItemOnboardingJob, the RetrainJob, the model store); then the held-out items are onboarded
 * through {@code items.new} and placed by the version's cold-start model, and each user's held-out
 * interactions are ranked against the whole catalogue (their training items excluded):
 *
 * <ul>
 *   <li><b>ours</b>: the points the model store serves (trained items, placed new items);
 *   <li><b>tags</b> / <b>text</b>: the new items placed from their tags only / text only by the
 *       same cold-start model;
 *   <li><b>content-knn</b>: cosine similarity between the item's text embedding and the mean of the
 *       user's training items' embeddings (the same MiniLM vectors);
 *   <li><b>random</b>: a random ranking.
 * </ul>
 *
 * Users evaluated: those with at least one held-out and one training interaction.
 */
public final class ColdStartEvaluation {
    private static final int K = 20;

    /**
     * How to run it.
     *
     * @param name the dataset's name (for the report)
     * @param holdout the share of items held out, in (0, 1)
     * @param seed which items
     */
    public record Options(String name, double holdout, long seed) {
        public Options {
            if (!(holdout > 0 && holdout < 1)) {
                throw new IllegalArgumentException(
                        "--holdout-items must be a share in (0, 1), got " + holdout);
            }
        }
    }

    private final Platform platform;
    private final Options options;
    private final PrintStream out;

    /** An evaluation on {@code platform} (started, with the catalogue's taxonomy). */
    public ColdStartEvaluation(Platform platform, Options options, PrintStream out) {
        this.platform = platform;
        this.options = options;
        this.out = out;
    }

    /** The catalogue's category paths (the offline tagger's taxonomy). */
    public static List<List<String>> taxonomy(Dataset d) {
        List<List<String>> paths = new ArrayList<>();
        d.catalog()
                .ifPresent(
                        c -> {
                            for (int i = 0; i < c.numItems(); i++) {
                                if (!c.categoryPath(i).isEmpty()) {
                                    paths.add(c.categoryPath(i));
                                }
                            }
                        });
        return paths;
    }

    /**
     * Runs it and returns the report.
     *
     * @param data the catalogue (its items and item catalogue)
     * @param events every interaction
     */
    public Map<String, Object> run(Dataset data, List<RecboleReader.Event> events)
            throws Exception {
        ItemCatalog catalog =
                data.catalog()
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                options.name()
                                                        + " has no item file: cold start needs"
                                                        + " item titles and text"));
        Set<String> seen = new HashSet<>();
        events.forEach(e -> seen.add(e.item()));
        SplittableRandom rnd = new SplittableRandom(options.seed());
        Set<String> held = new HashSet<>();
        for (int i = 0; i < data.items().size(); i++) {
            String id = data.items().token(i);
            if (seen.contains(id) && rnd.nextDouble() < options.holdout()) {
                held.add(id);
            }
        }
        Map<String, Set<String>> train = new HashMap<>();
        Map<String, Set<String>> truth = new HashMap<>();
        int warmEvents = 0;
        for (RecboleReader.Event e : events) {
            if (held.contains(e.item())) {
                truth.computeIfAbsent(e.user(), u -> new HashSet<>()).add(e.item());
            } else {
                train.computeIfAbsent(e.user(), u -> new HashSet<>()).add(e.item());
                platform.sendInteraction(e.user(), e.item(), (long) e.time());
                warmEvents++;
            }
        }
        out.printf(
                "%s: %,d items, %,d held out (%.0f%%) with %,d interactions; %,d interactions"
                        + " train%n",
                options.name(),
                data.items().size(),
                held.size(),
                100.0 * options.holdout(),
                events.size() - warmEvents,
                warmEvents);

        // 1. The warm catalogue: onboarded and enriched before the first version.
        platform.startServing();
        platform.startOnboardingJob();
        int warm = 0;
        for (int i = 0; i < catalog.numItems(); i++) {
            String id = data.items().token(i);
            if (!held.contains(id)) {
                platform.sendItem(id, catalog.title(i), catalog.text(i), Map.of(), 0);
                warm++;
            }
        }
        platform.flush();
        awaitTopic(Topics.ITEMS_ENRICHED, warm, "warm items enriched");

        // 2. Version 1 on the warm interactions, with tags and text from items.enriched.
        RetrainStatus started = platform.retrains().start("cold-start evaluation");
        long t0 = System.nanoTime();
        while (!platform.retrains().awaitIdle(Duration.ofSeconds(30))) {
            out.printf("  training version 1: %.0f s%n", (System.nanoTime() - t0) / 1e9);
        }
        RetrainStatus v1 = platform.retrains().status(started.version()).orElseThrow();
        if (v1.state() != RetrainStatus.State.PUBLISHED) {
            throw new IllegalStateException("training version 1 failed: " + v1.reason());
        }
        out.printf(
                "version 1 trained in %.0f s: validation R@20 %.4f; cold-start fit %s%n",
                (System.nanoTime() - t0) / 1e9,
                v1.metrics().get("valid_recall@20"),
                coldStartFigures(v1.metrics()));

        // 3. The held-out items, onboarded through items.new and served by the store.
        long enrichedBefore = platform.endOffsetSum(Topics.ITEMS_ENRICHED);
        for (int i = 0; i < catalog.numItems(); i++) {
            String id = data.items().token(i);
            if (held.contains(id)) {
                platform.sendItem(id, catalog.title(i), catalog.text(i), Map.of(), 0);
            }
        }
        platform.flush();
        awaitTopic(Topics.ITEMS_ENRICHED, enrichedBefore + held.size(), "held-out items enriched");
        ModelStore store = platform.store();
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        // The store makes a row visible just before it records the row's latency: wait for both.
        while (held.stream().anyMatch(id -> store.vector(Kind.ITEM, id).isEmpty())
                || store.freshness(Kind.ITEM).getTotalCount() < held.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("held-out items were not served within 10 minutes");
            }
            Thread.sleep(200);
        }
        Histogram onboarding = store.freshness(Kind.ITEM);
        out.printf(
                "%,d held-out items served; onboarding p50 %d ms, p99 %d ms%n",
                held.size(),
                onboarding.getValueAtPercentile(50),
                onboarding.getValueAtPercentile(99));

        // 4. Rank.
        PublishedVersion live = platform.live();
        TrainedModel model = TrainedModel.load(live.location());
        ColdStartModel cold =
                ColdStartModel.load(live.location().resolve(ModelStore.COLD_START_DIR));
        Map<String, ItemEnriched> enriched = readEnriched();
        Ranker ranker = new Ranker(model, cold, enriched, held, store);
        Map<String, Object> methods = new LinkedHashMap<>();
        for (Ranker.Method m : Ranker.Method.values()) {
            double[] rn = ranker.evaluate(m, train, truth, K, options.seed());
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("recall@20", rn[0]);
            r.put("ndcg@20", rn[1]);
            methods.put(m.label, r);
            out.printf("  %-12s R@20 %.4f  N@20 %.4f%n", m.label, rn[0], rn[1]);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("methods", methods);
        report.put("holdout_items", held.size());
        report.put("users_evaluated", ranker.usersEvaluated());
        report.put("dataset", options.name());
        report.put("holdout", options.holdout());
        report.put("seed", options.seed());
        report.put("version_1", v1.metrics());
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("p50", onboarding.getValueAtPercentile(50));
        lat.put("p99", onboarding.getValueAtPercentile(99));
        lat.put("items", onboarding.getTotalCount());
        report.put("onboarding_ms", lat);
        report.put("cold_start_alpha", cold.alpha());
        return report;
    }

    private static String coldStartFigures(Map<String, Double> m) {
        StringBuilder b = new StringBuilder();
        m.forEach(
                (k, v) -> {
                    if (k.startsWith("coldstart_") && k.endsWith("hit@20")) {
                        b.append(k.substring(10)).append(' ').append(String.format("%.3f ", v));
                    }
                });
        return b.toString().trim();
    }

    private void awaitTopic(String topic, long count, String what) throws InterruptedException {
        platform.awaitRecords(topic, count, what, Duration.ofMinutes(30), out);
    }

    /** The latest enrichment of every item in {@code items.enriched}. */
    private Map<String, ItemEnriched> readEnriched() {
        AvroCodec<ItemEnriched> codec = AvroCodec.singleObject(ItemEnriched.class);
        Map<String, ItemEnriched> latest = new HashMap<>();
        Properties c = new Properties();
        c.put("bootstrap.servers", platform.bootstrapServers());
        c.put("key.deserializer", ByteArrayDeserializer.class.getName());
        c.put("value.deserializer", ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            List<TopicPartition> parts =
                    consumer.partitionsFor(Topics.ITEMS_ENRICHED).stream()
                            .map(p -> new TopicPartition(Topics.ITEMS_ENRICHED, p.partition()))
                            .toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    ItemEnriched e = codec.decode(r.value());
                    latest.put(e.getItem(), e);
                }
            }
        }
        return latest;
    }
}
