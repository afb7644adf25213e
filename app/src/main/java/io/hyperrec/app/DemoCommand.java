package io.hyperrec.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hyperrec.app.demo.Platform;
import io.hyperrec.app.demo.Replay;
import io.hyperrec.app.demo.RetrainScheduler;
import io.hyperrec.core.data.IdMap;
import io.hyperrec.core.data.ItemCatalog;
import io.hyperrec.core.data.RecboleReader;
import io.hyperrec.core.data.SyntheticConfig;
import io.hyperrec.core.data.SyntheticDataset;
import io.hyperrec.core.model.Hgcf;
import io.hyperrec.core.online.OnlineConfig;
import io.hyperrec.core.train.SamplerMode;
import io.hyperrec.core.train.TrainConfig;
import io.hyperrec.core.train.Variant;
import io.hyperrec.store.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hyperrec demo}: the main job. One JVM runs a Kafka broker, a Flink MiniCluster with the
 * update and retrain jobs, the model store and its HTTP API; a dataset's first part trains version
 * 1, the rest is replayed into Kafka while recommendations are served and measured.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs hyperrec end to end in one JVM: Kafka broker, Flink jobs, model store, HTTP API.",
            "Trains version 1 on the first part of a dataset's timeline (the synthetic catalogue by default),",
            "replays the rest into Kafka, serves recommendations and reports prequential accuracy."
        })
final class DemoCommand implements Callable<Integer> {
    @Option(
            names = "--dataset",
            paramLabel = "DIR",
            description =
                    "RecBole dataset directory whose NAME.inter (with timestamps) orders the replay, e.g. ../shared/datasets/ml-100k. Default: the synthetic generator.")
    Path dataset;

    @Option(
            names = "--synthetic-users",
            defaultValue = "2000",
            description = "Users of the synthetic dataset (default ${DEFAULT-VALUE}).")
    int syntheticUsers;

    @Option(
            names = "--synthetic-items",
            defaultValue = "1000",
            description = "Items of the synthetic dataset (default ${DEFAULT-VALUE}).")
    int syntheticItems;

    @Option(
            names = "--http-host",
            defaultValue = "127.0.0.1",
            description =
                    "Address the HTTP API binds to (default ${DEFAULT-VALUE}; 0.0.0.0 exposes it, including POST /v1/interactions, on every interface).")
    String httpHost;

    @Option(
            names = "--http-port",
            defaultValue = "8080",
            description = "Port of the HTTP API (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int httpPort;

    @Option(
            names = "--data-dir",
            defaultValue = "hyperrec-data",
            paramLabel = "DIR",
            description =
                    "Broker log, Flink checkpoints, model store and versions (default ${DEFAULT-VALUE}). A demo starts from an empty directory; the previous run's store is opened first to check it.")
    Path dataDir;

    @Option(
            names = "--rate",
            defaultValue = "2000",
            description =
                    "Replay rate in events per second, 0 for as fast as possible (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--initial-fraction",
            defaultValue = "0.5",
            description = "Share of the timeline that trains version 1 (default ${DEFAULT-VALUE}).")
    double initialFraction;

    @Option(
            names = "--retrain-every",
            paramLabel = "EVENTS",
            description =
                    "Start a retrain after every EVENTS new records in topic interactions (default: a third of the replay; 0 disables).")
    Integer retrainEvery;

    @Option(
            names = "--retrain-minutes",
            defaultValue = "0",
            paramLabel = "MINUTES",
            description =
                    "Also start a retrain every MINUTES minutes when anything new arrived (default ${DEFAULT-VALUE}: only by --retrain-every). `hyperrec retrain` starts one at any time.")
    double retrainMinutes;

    @Option(
            names = "--epochs",
            defaultValue = "60",
            description = "Maximum epochs of each training (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--partitions",
            defaultValue = "2",
            description =
                    "Partitions of the interactions topic = parallelism of the update job (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--bad-record-every",
            defaultValue = "0",
            paramLabel = "N",
            description =
                    "Also send a malformed record after every N replayed events, to show the dead-letter path (default ${DEFAULT-VALUE}: none).")
    int badRecordEvery;

    @Option(
            names = "--no-retrain-pause",
            description =
                    "Keep replaying while a retrain runs (by default the replay pauses, so that a retrain takes no time on the compressed timeline).")
    boolean noRetrainPause;

    @Option(
            names = "--exit-after-replay",
            description = "Stop after the replay instead of serving until Ctrl-C.")
    boolean exitAfterReplay;

    @Option(
            names = "--report",
            paramLabel = "FILE",
            description = "Write the replay's report (JSON) here.")
    Path report;

    @picocli.CommandLine.Mixin EnrichmentCliOptions enrichment;

    @Override
    public Integer call() throws Exception {
        check();
        enrichment.check();
        List<Replay.Event> events = loadEvents();
        ItemCatalog catalog = loadCatalog();
        List<Replay.CatalogItem> catalogue = new ArrayList<>();
        List<List<String>> taxonomy = new ArrayList<>();
        if (catalog != null) {
            IdMap ids = catalogIds;
            for (int i = 0; i < catalog.numItems(); i++) {
                catalogue.add(
                        new Replay.CatalogItem(ids.token(i), catalog.title(i), catalog.text(i)));
                if (!catalog.categoryPath(i).isEmpty()) {
                    taxonomy.add(catalog.categoryPath(i));
                }
            }
        }
        if (taxonomy.isEmpty()) {
            System.out.println(
                    "the dataset has no category paths: item onboarding (offline tagger) is off");
        }
        prepareDataDir();
        TrainConfig train =
                TrainConfig.builder()
                        .variant(Variant.BASE)
                        .backbone(new Hgcf())
                        .sampler(SamplerMode.CLEAN)
                        .epochs(epochs)
                        .patience(10)
                        .batchSize(2048)
                        .lr(0.01f)
                        .margin(0.5f)
                        .checkpointEvery(5)
                        .build();
        // The update's hinge must match the one the live model was trained with.
        OnlineConfig online = OnlineConfig.defaults().withMargin(train.margin());
        int replayed = events.size() - (int) Math.round(events.size() * initialFraction);
        int every = retrainEvery != null ? retrainEvery : Math.max(1, replayed / 3);
        RetrainScheduler.Policy retrainPolicy =
                new RetrainScheduler.Policy(
                        every,
                        Duration.ofMillis(Math.round(retrainMinutes * 60_000)),
                        Duration.ofMillis(500));
        Platform.Options po =
                new Platform.Options(
                        dataDir,
                        httpHost,
                        httpPort,
                        partitions,
                        train,
                        0.01,
                        online,
                        false,
                        retrainPolicy,
                        taxonomy,
                        taxonomy.isEmpty()
                                ? null
                                : enrichment.primary(dataDir.resolve(LLM_CACHE), taxonomy));
        Replay.Options ro =
                new Replay.Options(initialFraction, rate, badRecordEvery, online, !noRetrainPause);
        CountDownLatch stopped = new CountDownLatch(1);
        Platform platform = Platform.start(po);
        Thread hook =
                new Thread(
                        () -> {
                            System.out.println("hyperrec demo: shutting down");
                            platform.close();
                            stopped.countDown();
                        },
                        "hyperrec-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Map<String, Object> result =
                    new Replay(platform, events, catalogue, ro, System.out).run();
            String json =
                    new ObjectMapper()
                            .enable(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(result);
            System.out.println(json);
            if (report != null) {
                Path parent = report.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.writeString(report, json + "\n");
                System.out.println("report written to " + report);
            }
            if (exitAfterReplay) {
                return 0;
            }
            System.out.printf(
                    "serving: curl http://localhost:%d/v1/recommendations/%s?k=10  (Ctrl-C stops)%n",
                    httpPort, events.get(events.size() - 1).user());
            stopped.await();
            return 0;
        } finally {
            if (stopped.getCount() > 0) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running and closes the platform
                }
                platform.close();
            }
        }
    }

    private void check() {
        if (!(initialFraction > 0 && initialFraction < 1)) {
            throw new IllegalArgumentException(
                    "--initial-fraction must be between 0 and 1 (exclusive), got "
                            + initialFraction);
        }
        if (rate < 0 || Double.isNaN(rate)) {
            throw new IllegalArgumentException(
                    "--rate must be >= 0 events per second, got " + rate);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException(
                    "--partitions must be at least 1, got " + partitions);
        }
        if (retrainEvery != null && retrainEvery < 0) {
            throw new IllegalArgumentException(
                    "--retrain-every must be >= 0 records (0 disables it), got " + retrainEvery);
        }
        if (retrainMinutes < 0 || Double.isNaN(retrainMinutes)) {
            throw new IllegalArgumentException(
                    "--retrain-minutes must be >= 0 (0 disables it), got " + retrainMinutes);
        }
        if (badRecordEvery < 0) {
            throw new IllegalArgumentException(
                    "--bad-record-every must be >= 0 (0 sends none), got " + badRecordEvery);
        }
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException(
                    "--http-port must be a port in [0, 65535], got " + httpPort);
        }
    }

    private IdMap catalogIds;

    /** The dataset's item catalogue (titles, texts, category paths), or null without one. */
    private ItemCatalog loadCatalog() {
        io.hyperrec.core.data.Dataset d =
                dataset != null
                        ? RecboleReader.read(dataset)
                        : SyntheticDataset.generate(
                                SyntheticConfig.builder()
                                        .users(syntheticUsers)
                                        .items(syntheticItems)
                                        .build());
        catalogIds = d.items();
        return d.catalog().orElse(null);
    }

    private List<Replay.Event> loadEvents() {
        if (dataset != null) {
            if (!Files.isDirectory(dataset)) {
                throw new IllegalArgumentException(
                        "--dataset " + dataset + ": not a directory (expected a RecBole dataset)");
            }
            System.out.println("reading " + dataset);
            return RecboleReader.readEvents(dataset).stream()
                    .map(e -> new Replay.Event(e.user(), e.item(), (long) e.time()))
                    .toList();
        }
        SyntheticConfig cfg =
                SyntheticConfig.builder().users(syntheticUsers).items(syntheticItems).build();
        return SyntheticDataset.eventStream(cfg)
                .map(e -> new Replay.Event(e.user(), e.item(), e.timestampMillis()))
                .toList();
    }

    private void prepareDataDir() throws IOException {
        Path store = dataDir.resolve("store");
        if (Files.isDirectory(store)) {
            try (ModelStore s = ModelStore.open(store)) {
                System.out.println(
                        "previous run's model store opened cleanly"
                                + s.currentVersion().stream()
                                        .mapToObj(v -> " (version " + v + ")")
                                        .findFirst()
                                        .orElse(""));
            }
        }
        if (Files.exists(dataDir)) {
            // The LLM's reply cache stays: a rerun never pays for the same answers twice.
            Path keep = dataDir.resolve(LLM_CACHE);
            try (Stream<Path> walk = Files.walk(dataDir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    if (!p.startsWith(keep) && !p.equals(dataDir)) {
                        Files.delete(p);
                    }
                }
            }
        }
        Files.createDirectories(dataDir);
    }

    /** The sub-directory of the data directory that holds the LLM's reply cache. */
    static final String LLM_CACHE = "llm-cache";
}
