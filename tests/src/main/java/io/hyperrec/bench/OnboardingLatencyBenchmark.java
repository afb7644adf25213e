package io.hyperrec.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperrec.app.demo.Platform;
import io.hyperrec.app.demo.RetrainScheduler;
import io.hyperrec.core.data.Dataset;
import io.hyperrec.core.data.ItemCatalog;
import io.hyperrec.core.data.SyntheticConfig;
import io.hyperrec.core.data.SyntheticDataset;
import io.hyperrec.core.model.EmbeddingUpsert.Kind;
import io.hyperrec.core.online.OnlineConfig;
import io.hyperrec.core.train.SamplerMode;
import io.hyperrec.core.train.TrainConfig;
import io.hyperrec.core.train.Variant;
import io.hyperrec.enrichment.service.EnrichmentClientFactory;
import io.hyperrec.enrichment.service.LlmEnrichmentFactory;
import io.hyperrec.jobs.retrain.RetrainResult;
import io.javalin.Javalin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Onboarding latency ({@code items.new} append → the new item's point served by the model store) in
 * the embedded runtime, side by side in one process: the offline tagger, then the LLM tagger
 * against an in-JVM OpenAI-wire server that answers after each configured delay. Each run starts a
 * fresh platform, trains version 1 on a synthetic catalogue, and sends new items at a steady rate.
 *
 * <pre>
 * java -cp tests/target/benchmarks.jar io.hyperrec.bench.OnboardingLatencyBenchmark \
 *     --items 100 --rate 4 --llm-delays-ms 0,250,1000
 * </pre>
 */
public final class OnboardingLatencyBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OnboardingLatencyBenchmark() {}

    /** Runs the benchmark; see the class comment. */
    public static void main(String[] argv) throws Exception {
        BenchArgs args =
                new BenchArgs("OnboardingLatencyBenchmark")
                        .flag("items", "100", "new items sent per run")
                        .flag("rate", "4", "new items per second")
                        .flag("llm-delays-ms", "0,250,1000", "the fake LLM's answer delays")
                        .parse(argv);
        int items = args.positiveInt("items");
        int rate = args.positiveInt("rate");
        List<Long> delays = new ArrayList<>();
        for (String d : args.text("llm-delays-ms").split(",")) {
            delays.add(Long.parseLong(d.trim()));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(run("offline", null, items, rate));
        for (long d : delays) {
            Javalin llm = fakeLlm(d);
            try {
                Path cache = Files.createTempDirectory("llm-cache");
                LlmEnrichmentFactory f =
                        new LlmEnrichmentFactory(
                                "http://127.0.0.1:" + llm.port() + "/v1",
                                "bench-model",
                                Duration.ofSeconds(30),
                                2,
                                cache.toString(),
                                taxonomy(),
                                8);
                rows.add(run("llm delay " + d + " ms", f, items, rate));
            } finally {
                llm.stop();
            }
        }
        System.out.println();
        System.out.printf(
                "%-22s %8s %8s %8s %6s%n", "enrichment", "p50 ms", "p99 ms", "max ms", "items");
        for (Map<String, Object> r : rows) {
            System.out.printf(
                    "%-22s %8d %8d %8d %6d%n",
                    r.get("enrichment"),
                    r.get("p50_ms"),
                    r.get("p99_ms"),
                    r.get("max_ms"),
                    r.get("items"));
        }
        System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(rows));
    }

    private static final SyntheticConfig CATALOGUE =
            SyntheticConfig.builder().users(300).items(400).seed(11).build();

    private static List<List<String>> taxonomy() {
        ItemCatalog c = SyntheticDataset.generate(CATALOGUE).catalog().orElseThrow();
        List<List<String>> paths = new ArrayList<>();
        for (int i = 0; i < c.numItems(); i++) {
            paths.add(c.categoryPath(i));
        }
        return paths;
    }

    private static Map<String, Object> run(
            String label, EnrichmentClientFactory primary, int items, int rate) throws Exception {
        Dataset data = SyntheticDataset.generate(CATALOGUE);
        ItemCatalog catalog = data.catalog().orElseThrow();
        Path dir = Files.createTempDirectory("onboarding-bench");
        TrainConfig train =
                TrainConfig.builder()
                        .variant(Variant.BASE)
                        .sampler(SamplerMode.CLEAN)
                        .epochs(5)
                        .lr(0.01f)
                        .margin(0.5f)
                        .build();
        try (Platform platform =
                Platform.start(
                        new Platform.Options(
                                dir,
                                "127.0.0.1",
                                0,
                                2,
                                train,
                                1.0,
                                OnlineConfig.defaults(),
                                true,
                                RetrainScheduler.Policy.manualOnly(),
                                taxonomy()))) {
            SyntheticDataset.eventStream(CATALOGUE)
                    .forEach(
                            e -> platform.sendInteraction(e.user(), e.item(), e.timestampMillis()));
            platform.flush();
            RetrainResult v1 = platform.retrain(1);
            if (!v1.accepted) {
                throw new IllegalStateException("version 1: " + v1.reason);
            }
            platform.startServing();
            platform.startOnboardingJob(primary);
            System.out.printf("%s: sending %d new items at %d/s%n", label, items, rate);
            long start = System.nanoTime();
            for (int k = 0; k < items; k++) {
                long due = start + (long) (k * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                int i = k % catalog.numItems();
                platform.sendItem(
                        "new-" + k, catalog.title(i) + " " + k, catalog.text(i), Map.of(), 0);
                platform.flush();
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (platform.store().freshness(Kind.ITEM).getTotalCount() < items) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(label + ": not every item was served in 5 min");
                }
                Thread.sleep(100);
            }
            Histogram h = platform.store().freshness(Kind.ITEM);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("enrichment", label);
            r.put("p50_ms", h.getValueAtPercentile(50));
            r.put("p99_ms", h.getValueAtPercentile(99));
            r.put("max_ms", h.getMaxValue());
            r.put("items", h.getTotalCount());
            System.out.println(r);
            return r;
        }
    }

    /** An OpenAI-wire chat server that answers a valid three-level tagging after {@code delay}. */
    private static Javalin fakeLlm(long delayMs) throws Exception {
        String content =
                JSON.writeValueAsString(
                        Map.of(
                                "summary", "A product.",
                                "levels",
                                        List.of(
                                                List.of("beauty products"),
                                                List.of("makeup"),
                                                List.of("lipstick")),
                                "edges",
                                        List.of(
                                                Map.of(
                                                        "parent",
                                                        "beauty products",
                                                        "child",
                                                        "makeup"),
                                                Map.of("parent", "makeup", "child", "lipstick"))));
        String body =
                JSON.writeValueAsString(
                        Map.of(
                                "id",
                                "bench",
                                "object",
                                "chat.completion",
                                "created",
                                0,
                                "model",
                                "bench-model",
                                "choices",
                                List.of(
                                        Map.of(
                                                "index",
                                                0,
                                                "message",
                                                Map.of("role", "assistant", "content", content),
                                                "finish_reason",
                                                "stop")),
                                "usage",
                                Map.of(
                                        "prompt_tokens", 1,
                                        "completion_tokens", 1,
                                        "total_tokens", 2)));
        return Javalin.create(
                        c -> {
                            c.startup.showJavalinBanner = false;
                            c.routes.post(
                                    "/v1/chat/completions",
                                    ctx -> {
                                        Thread.sleep(delayMs);
                                        ctx.contentType("application/json").result(body);
                                    });
                        })
                .start("127.0.0.1", 0);
    }
}
