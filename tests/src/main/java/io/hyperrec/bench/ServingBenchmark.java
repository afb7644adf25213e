package io.hyperrec.bench;

import io.hyperrec.core.model.TrainedModel;
import io.hyperrec.store.ModelStore;
import io.hyperrec.store.PublishedVersion;
import io.hyperrec.store.Recommendations;
import io.hyperrec.store.ScoredItem;
import io.hyperrec.store.http.EventSink;
import io.hyperrec.store.http.InteractionEvent;
import io.hyperrec.store.http.NewItemEvent;
import io.hyperrec.store.http.ServerOptions;
import io.hyperrec.store.http.ServingMetrics;
import io.hyperrec.store.http.ServingServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * The serving side of the serving benchmark: a {@link ModelStore} in a temporary directory with one
 * published model version, each user's seen items recorded (the request reads and excludes them, as
 * in production), and the {@link ServingServer} HTTP API on a port, wired as the platform wires it
 * ({@code Platform#startServing}) except that posted events go to a counting sink instead of Kafka.
 * A real HTTP load generator ({@code wrk}, driven by {@code tests/bench/serving.sh}) then requests
 * {@code GET /v1/recommendations/{user}?k=20} for random users from the file this process writes.
 *
 * <p>The model: {@code --model auto} loads {@value #TRAINED_MODEL} when it exists, else a random
 * model of Beauty's size (22,363 users × 12,101 items, 51 coordinates); {@code --model random}
 * forces the random one; any other value is a model directory. Before the server starts, the store
 * is called in process for {@code --warmup-requests} random users (JIT warm-up), and that
 * in-process latency is printed as the floor the HTTP figures sit on.
 *
 * <p>Prints {@code READY port=<port> users=<file>} when it serves; runs until killed (SIGTERM or
 * SIGINT), then stops the server and closes and deletes the store.
 */
public final class ServingBenchmark {
    /** The trained Beauty model used when present (HyperLLM, faithful sampler, repeat 2). */
    static final String TRAINED_MODEL = "/work/runs/hyperllm-faithful-r2/model";

    /** Beauty's users (Amazon Beauty 5-core as in the HyperLLM paper). */
    static final int BEAUTY_USERS = 22_363;

    /** Beauty's items. */
    static final int BEAUTY_ITEMS = 12_101;

    private ServingBenchmark() {}

    /** An event sink that only counts: the benchmark reads, it does not post. Thread-safe. */
    static final class CountingSink implements EventSink {
        final AtomicLong interactions = new AtomicLong();
        final AtomicLong items = new AtomicLong();

        @Override
        public void sendInteraction(InteractionEvent event) {
            interactions.incrementAndGet();
        }

        @Override
        public void sendItem(NewItemEvent event) {
            items.incrementAndGet();
        }
    }

    /** Starts the server; {@code --help} lists the flags. */
    public static void main(String[] argv) throws Exception {
        BenchArgs args =
                new BenchArgs("ServingBenchmark")
                        .flag("port", "8080", "HTTP port (0 = any free one)")
                        .flag("host", "127.0.0.1", "address to listen on")
                        .flag(
                                "model",
                                "auto",
                                "auto ("
                                        + TRAINED_MODEL
                                        + " if present, else random), random, or"
                                        + " a model directory")
                        .flag("users", String.valueOf(BEAUTY_USERS), "users of a random model")
                        .flag("items", String.valueOf(BEAUTY_ITEMS), "items of a random model")
                        .flag("dim", "51", "ambient dimension of a random model")
                        .flag(
                                "seen-per-user",
                                "8",
                                "interactions recorded per user (excluded from the top-k; Beauty"
                                        + " has about 8.9 per user)")
                        .flag(
                                "users-file",
                                "",
                                "where to write the user ids (default: in the store dir)")
                        .flag("warmup-requests", "20000", "in-process requests before serving")
                        .flag("k", "20", "k of the in-process warm-up requests")
                        .flag("seed", "1", "seed of the random model and the seen items")
                        .parse(argv);
        long seed = args.longValue("seed");
        System.out.println("ServingBenchmark: model store + HTTP API, top-k over a catalogue");
        System.out.println(CpuAccounting.machineLine());

        long t = System.nanoTime();
        TrainedModel model = model(args, seed);
        System.out.printf(
                "model: %,d users x %,d items, dim %d (%.1f s)%n",
                model.users().size(),
                model.items().size(),
                model.dim(),
                (System.nanoTime() - t) / 1e9);

        Path dir = Files.createTempDirectory("hyperrec-serving-bench-");
        ModelStore store = ModelStore.open(dir.resolve("store"));
        CountDownLatch stopped = new CountDownLatch(1);
        ServingServer[] server = new ServingServer[1];
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    if (server[0] != null) {
                                        server[0].close();
                                    }
                                    store.close();
                                    deleteRecursively(dir);
                                    System.out.println("ServingBenchmark: stopped");
                                    stopped.countDown();
                                },
                                "serving-bench-shutdown"));

        t = System.nanoTime();
        List<ScoredItem> popular = new ArrayList<>();
        for (int i = 0; i < Math.min(200, model.items().size()); i++) {
            popular.add(new ScoredItem(model.items().token(i), 200 - i));
        }
        PublishedVersion v = store.publish(1, model, Map.of(), popular);
        System.out.printf(
                "published version %d (%,d items) in %.1f s%n",
                v.version(), store.currentItemCount(), (System.nanoTime() - t) / 1e9);

        t = System.nanoTime();
        int seenPerUser = (int) args.longValue("seen-per-user");
        SplittableRandom rnd = new SplittableRandom(seed + 7);
        List<String> users = model.users().tokens();
        int items = model.items().size();
        for (String u : users) {
            for (int s = 0; s < seenPerUser; s++) {
                store.recordInteraction(
                        u, model.items().token(rnd.nextInt(items)), 1_700_000_000_000L + s);
            }
        }
        System.out.printf(
                "recorded %,d seen items (%d per user) in %.1f s%n",
                (long) users.size() * seenPerUser, seenPerUser, (System.nanoTime() - t) / 1e9);

        Path usersFile =
                args.text("users-file").isEmpty()
                        ? dir.resolve("users.txt")
                        : Path.of(args.text("users-file"));
        Files.write(usersFile, users);

        inProcess(store, users, args.positiveInt("warmup-requests"), args.positiveInt("k"), seed);

        ServingMetrics metrics = new ServingMetrics(store, Clock.systemUTC());
        server[0] =
                ServingServer.start(
                        store,
                        new CountingSink(),
                        metrics,
                        ServerOptions.builder()
                                .host(args.text("host"))
                                .port((int) args.longValue("port"))
                                .build());
        System.out.printf(
                "READY port=%d users=%s (%,d users)%n",
                server[0].port(), usersFile.toAbsolutePath(), users.size());
        System.out.flush();
        stopped.await();
    }

    /** The model the flags ask for. */
    private static TrainedModel model(BenchArgs args, long seed) {
        String m = args.text("model");
        if (m.equals("auto")) {
            m =
                    Files.isRegularFile(Path.of(TRAINED_MODEL, "model.json"))
                            ? TRAINED_MODEL
                            : "random";
        }
        if (m.equals("random")) {
            System.out.println("model: random points (expmap0 of uniform tangent vectors)");
            return RandomModels.random(
                    seed,
                    args.positiveInt("users"),
                    args.positiveInt("items"),
                    args.positiveInt("dim"));
        }
        System.out.println("model: trained, loaded from " + m);
        return TrainedModel.load(Path.of(m));
    }

    /**
     * Calls {@link ModelStore#recommend} directly for random users, one thread: warms the JIT up
     * and prints the latency of the second half of the calls, the store alone (RocksDB reads of the
     * user's point and seen items, the scan of the item table), without HTTP or JSON.
     */
    private static void inProcess(
            ModelStore store, List<String> users, int requests, int k, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed + 11);
        Histogram h = new Histogram(3_600_000_000L, 3);
        long personalised = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            String u = users.get(rnd.nextInt(users.size()));
            long s = System.nanoTime();
            Recommendations r = store.recommend(u, k);
            if (i >= requests / 2) {
                h.recordValue(Math.max(1, (System.nanoTime() - s) / 1000));
            }
            if (!r.fallback()) {
                personalised++;
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                "in process (ModelStore.recommend, 1 thread): %,d requests in %.1f s (%,.0f/s),"
                        + " %,d personalised; latency of the second half (after JIT warm-up):"
                        + " p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms%n",
                requests,
                secs,
                requests / secs,
                personalised,
                h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0,
                h.getValueAtPercentile(99.9) / 1000.0,
                h.getMaxValue() / 1000.0);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
