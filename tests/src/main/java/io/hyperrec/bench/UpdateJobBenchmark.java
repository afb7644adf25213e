package io.hyperrec.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperrec.app.runtime.EmbeddedFlink;
import io.hyperrec.app.runtime.EmbeddedFlinkOptions;
import io.hyperrec.app.runtime.EmbeddedKafka;
import io.hyperrec.app.runtime.EmbeddedKafkaOptions;
import io.hyperrec.core.model.TrainedModel;
import io.hyperrec.core.online.OnlineConfig;
import io.hyperrec.jobs.online.ControlEvent;
import io.hyperrec.jobs.online.OnlineUpdateJob;
import io.hyperrec.schemas.AvroCodec;
import io.hyperrec.schemas.Topics;
import io.hyperrec.schemas.avro.Interaction;
import io.hyperrec.schemas.avro.InteractionType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Whole-process throughput of the OnlineUpdateJob with RocksDB state on the embedded runtime: a
 * real Kafka broker ({@link EmbeddedKafka}, 2 partitions) and a Flink MiniCluster ({@link
 * EmbeddedFlink}: RocksDB state backend, incremental checkpoints at the interval of {@link
 * EmbeddedFlinkOptions}) in this JVM.
 *
 * <p>It saves a random model snapshot (20,000 users × 10,000 items, 51 coordinates by default: the
 * throughput depends on shapes, not on trained values), pre-loads N interactions (1,000,000) into
 * {@code interactions} as Avro single-object records keyed by user (users and items uniform over
 * the model's, so every interaction yields one update), then, for each configured run (parallelism
 * × micro-batch size), submits a fresh job reading {@code interactions} from the beginning and
 * measures the time until N more {@code EmbeddingUpdate}s are in {@code model.updates} (end
 * offsets, polled every 200 ms). The pre-load is not timed, and neither is a first warm-up run (the
 * first configuration, {@code --warmup} updates) that lets the JIT compile the hot paths before the
 * measured runs, so that the order of the runs does not decide their ranking. Each run starts from
 * empty state (a new job). For each run it reports
 *
 * <ul>
 *   <li>interactions/s end to end: N / (submit → N-th update), job start-up included;
 *   <li>interactions/s steady: updates / time between the first update seen and the last;
 *   <li>where the CPU went: this process's cores by thread group (task threads, broker, Kafka
 *       clients, native threads) and the machine's other processes, from {@code /proc/stat};
 *   <li>the job's own counters from the REST API: micro-batches (mean batch size) and checkpoints;
 *   <li>with {@code --profile}: a Flight Recorder sampling profile of the steady phase by component
 *       (RocksDB, Flink serializers, Avro, Kafka, kernels, the operator).
 * </ul>
 *
 * Not a test: run it from the bench jar ({@code tests/bench/update-job.sh}, or {@code java
 * --add-modules jdk.incubator.vector -cp tests/target/benchmarks.jar
 * io.hyperrec.bench.UpdateJobBenchmark --help}).
 */
public final class UpdateJobBenchmark {
    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration PROGRESS = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /**
     * One measured configuration.
     *
     * @param parallelism the job's parallelism (source and update operator)
     * @param maxBatch the update operator's micro-batch size ({@link OnlineConfig#maxBatch})
     */
    record RunConfig(int parallelism, int maxBatch) {
        static RunConfig parse(String s) {
            String[] p = s.trim().toLowerCase().split("x");
            if (p.length != 2) {
                throw new IllegalArgumentException(
                        "a run is <parallelism>x<maxBatch>, e.g. 2x256; got '" + s + "'");
            }
            return new RunConfig(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
        }

        String label() {
            return "p" + parallelism + " batch " + maxBatch;
        }
    }

    /** What one run measured. */
    record RunResult(
            RunConfig config,
            long target,
            long updates,
            boolean complete,
            double secondsToFirstUpdate,
            double secondsTotal,
            double steadySeconds,
            long steadyUpdates,
            CpuAccounting.Window cpu,
            JobCounters counters,
            JfrProfile.Summary profile) {
        double endToEndRate() {
            return updates / secondsTotal;
        }

        double steadyRate() {
            return steadySeconds <= 0 ? Double.NaN : steadyUpdates / steadySeconds;
        }
    }

    /** The job's counters read from the REST API at the end of a run (-1 when unavailable). */
    record JobCounters(
            long userUpdates,
            long microBatches,
            long checkpoints,
            long checkpointAvgMs,
            long checkpointMaxMs,
            long stateBytes) {
        static final JobCounters NONE = new JobCounters(-1, -1, -1, -1, -1, -1);
    }

    private UpdateJobBenchmark() {}

    /** Runs the benchmark; {@code --help} lists the flags. Exits 0 when every run completed. */
    public static void main(String[] argv) {
        int status;
        try {
            status = benchmark(argv) ? 0 : 2;
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1;
        }
        System.exit(status); // Kafka and Flink leave non-daemon threads behind.
    }

    /** Loggers that report a run's cancellation as a warning with a long stack trace. */
    private static final List<String> CANCEL_NOISE =
            List.of(
                    "org.apache.flink.runtime.checkpoint.CheckpointFailureManager",
                    "org.apache.flink.runtime.metrics.util.MetricUtils");

    private static boolean benchmark(String[] argv) throws Exception {
        for (String logger : CANCEL_NOISE) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "error");
            }
        }
        BenchArgs args =
                new BenchArgs("UpdateJobBenchmark")
                        .flag("interactions", "1000000", "interactions pre-loaded and processed")
                        .flag("users", "20000", "users of the random model")
                        .flag("items", "10000", "items of the random model")
                        .flag("dim", "51", "ambient dimension of the model (time coordinate first)")
                        .flag(
                                "runs",
                                "2x256,1x256,2x1",
                                "runs as <parallelism>x<maxBatch>, comma-separated, in order")
                        .flag(
                                "warmup",
                                "1000000",
                                "updates of an untimed first run (the first config) that warms"
                                        + " the JIT up; 0 for none")
                        .flag(
                                "repeat",
                                "1",
                                "how many times the list of runs is repeated (interleaved)")
                        .flag(
                                "max-seconds",
                                "300",
                                "a run stops after this long; its rate is then over what it did")
                        .flag(
                                "checkpoint-interval-ms",
                                String.valueOf(
                                        EmbeddedFlinkOptions.DEFAULT_CHECKPOINT_INTERVAL
                                                .toMillis()),
                                "periodic checkpoint interval (EmbeddedFlinkOptions' default)")
                        .flag(
                                "profile",
                                "false",
                                "record a Flight Recorder profile of each run's steady phase")
                        .flag("seed", "1", "seed of the model and the interactions")
                        .parse(argv);
        long n = args.longValue("interactions");
        int users = args.positiveInt("users");
        int items = args.positiveInt("items");
        int dim = args.positiveInt("dim");
        List<RunConfig> runs = new ArrayList<>();
        for (String r : args.text("runs").split(",")) {
            runs.add(RunConfig.parse(r));
        }
        Duration maxPerRun = Duration.ofSeconds(args.longValue("max-seconds"));
        boolean profile = args.bool("profile");
        long seed = args.longValue("seed");

        System.out.println("UpdateJobBenchmark: OnlineUpdateJob, RocksDB state, embedded runtime");
        System.out.println(CpuAccounting.machineLine());
        System.out.printf(
                "model: random, %,d users x %,d items, dim %d; %,d interactions; runs %s%n",
                users, items, dim, n, args.text("runs"));

        Path tmp = Files.createTempDirectory("hyperrec-update-bench-");
        EmbeddedKafka kafka = null;
        EmbeddedFlink flink = null;
        List<RunResult> results = new ArrayList<>();
        try {
            long t = System.nanoTime();
            kafka = EmbeddedKafka.start(EmbeddedKafkaOptions.builder().partitions(2).build());
            kafka.createHyperrecTopics();
            int slots = runs.stream().mapToInt(RunConfig::parallelism).max().orElse(2);
            flink =
                    EmbeddedFlink.start(
                            EmbeddedFlinkOptions.builder()
                                    .taskSlots(Math.max(2, slots))
                                    .checkpointInterval(
                                            Duration.ofMillis(
                                                    args.longValue("checkpoint-interval-ms")))
                                    // The REST API's metric cache: fresh counters at a run's end.
                                    .flinkConfig("metrics.fetcher.update-interval", "1000")
                                    .build());
            System.out.printf(
                    "runtime up in %.1f s (Kafka %s, Flink %s, %d slots, checkpoints every %s)%n",
                    (System.nanoTime() - t) / 1e9,
                    kafka.bootstrapServers(),
                    flink.restAddress(),
                    flink.options().taskSlots(),
                    flink.options().checkpointInterval());

            t = System.nanoTime();
            TrainedModel model = RandomModels.random(seed, users, items, dim);
            Path modelDir = tmp.resolve("model-v1");
            model.save(modelDir);
            System.out.printf(
                    "model saved to %s in %.1f s%n", modelDir, (System.nanoTime() - t) / 1e9);

            preload(kafka, n, users, items, seed);

            long warmup = Math.min(n, args.longValue("warmup"));
            if (warmup > 0) {
                System.out.printf(
                        "%nwarm-up (JIT; not reported): %s until %,d updates%n",
                        runs.get(0).label(), warmup);
                run(flink, kafka, modelDir, runs.get(0), "warmup", warmup, maxPerRun, false);
            }
            int repeat = args.positiveInt("repeat");
            int total = repeat * runs.size();
            for (int i = 0; i < total; i++) {
                RunConfig c = runs.get(i % runs.size());
                System.out.printf("%nrun %d of %d: %s%n", i + 1, total, c.label());
                results.add(
                        run(
                                flink,
                                kafka,
                                modelDir,
                                c,
                                String.valueOf(i + 1),
                                n,
                                maxPerRun,
                                profile));
            }
        } finally {
            if (flink != null) {
                flink.close();
            }
            if (kafka != null) {
                kafka.close();
            }
            deleteRecursively(tmp);
        }
        printResults(results, n);
        return results.stream().allMatch(RunResult::complete);
    }

    // ------------------------------------------------------------------ pre-load

    /** Produces {@code n} interactions, keyed by user, and waits for every acknowledgement. */
    private static void preload(EmbeddedKafka kafka, long n, int users, int items, long seed) {
        Properties p = kafka.clientProperties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(512 * 1024));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(128L * 1024 * 1024));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        AvroCodec<Interaction> codec = AvroCodec.singleObject(Interaction.class);
        SplittableRandom rnd = new SplittableRandom(seed + 1);
        long t0 = System.nanoTime();
        long step = Math.max(1, n / 5);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (long k = 0; k < n; k++) {
                String user = "u" + (1 + rnd.nextInt(users));
                Interaction in =
                        Interaction.newBuilder()
                                .setUser(user)
                                .setItem("i" + (1 + rnd.nextInt(items)))
                                .setType(InteractionType.CLICK)
                                .setWeight(1f)
                                .setEventTime(EPOCH.plusMillis(k))
                                .build();
                producer.send(
                        new ProducerRecord<>(
                                Topics.INTERACTIONS,
                                user.getBytes(StandardCharsets.UTF_8),
                                codec.encode(in)));
                if ((k + 1) % step == 0) {
                    System.out.printf(
                            "  pre-load: %,d / %,d sent (%.1f s)%n",
                            k + 1, n, (System.nanoTime() - t0) / 1e9);
                }
            }
            producer.flush();
        }
        long inTopic = endOffsetSum(kafka, Topics.INTERACTIONS);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                "pre-loaded %,d interactions in %.1f s (%,.0f/s; not part of the result)%n",
                inTopic, s, inTopic / s);
        if (inTopic < n) {
            throw new IllegalStateException(
                    "expected " + n + " records in " + Topics.INTERACTIONS + ", found " + inTopic);
        }
    }

    // ------------------------------------------------------------------ one run

    private static RunResult run(
            EmbeddedFlink flink,
            EmbeddedKafka kafka,
            Path modelDir,
            RunConfig c,
            String name,
            long n,
            Duration maxPerRun,
            boolean profile)
            throws Exception {
        long base = endOffsetSum(kafka, Topics.MODEL_UPDATES);
        OnlineUpdateJob.Settings s =
                OnlineUpdateJob.Settings.defaults(
                                kafka.bootstrapServers(),
                                "update-bench-" + name,
                                ControlEvent.version(1, modelDir.toString(), Map.of()))
                        .withPartitions(2)
                        .withOnline(OnlineConfig.defaults().withMaxBatch(c.maxBatch()));
        StreamExecutionEnvironment env = flink.createEnvironment();
        env.setParallelism(c.parallelism());
        OnlineUpdateJob.addTo(env, s);

        CpuAccounting.Snapshot cpuStart = null;
        JfrProfile recorder = null;
        long t0 = System.nanoTime();
        JobID job = flink.submit(env, "online-update-bench-" + c.label());
        long firstAt = -1;
        long firstCount = 0;
        long done = 0;
        long lastPrint = t0;
        long lastPrintCount = 0;
        long deadline = t0 + maxPerRun.toNanos();
        JobCounters counters = JobCounters.NONE;
        JfrProfile.Summary summary = null;
        CpuAccounting.Window cpu;
        long end;
        try (KafkaConsumer<byte[], byte[]> offsets = consumer(kafka)) {
            List<TopicPartition> parts = partitions(offsets, Topics.MODEL_UPDATES);
            while (true) {
                Thread.sleep(POLL.toMillis());
                long now = System.nanoTime();
                done = sum(offsets.endOffsets(parts)) - base;
                JobStatus status = flink.jobStatus(job);
                if (status != JobStatus.RUNNING
                        && status != JobStatus.CREATED
                        && status != JobStatus.INITIALIZING) {
                    throw new IllegalStateException(
                            "run "
                                    + c.label()
                                    + ": job is "
                                    + status
                                    + " after "
                                    + done
                                    + " updates; see "
                                    + flink.restAddress()
                                    + "jobs/"
                                    + job
                                    + "/exceptions");
                }
                if (firstAt < 0 && done > 0) {
                    firstAt = now;
                    firstCount = done;
                    cpuStart = CpuAccounting.snapshot();
                    if (profile) {
                        recorder = JfrProfile.start();
                    }
                    System.out.printf(
                            "  first updates after %.1f s (job start-up: deploy, model load,"
                                    + " RocksDB open)%n",
                            (now - t0) / 1e9);
                }
                if (now - lastPrint >= PROGRESS.toNanos()) {
                    System.out.printf(
                            "  %5.1f s: %,d / %,d updates (%,.0f/s over the last %.0f s)%n",
                            (now - t0) / 1e9,
                            done,
                            n,
                            (done - lastPrintCount) / ((now - lastPrint) / 1e9),
                            (now - lastPrint) / 1e9);
                    lastPrint = now;
                    lastPrintCount = done;
                }
                if (done >= n || now > deadline) {
                    end = now;
                    break;
                }
            }
            if (cpuStart == null) {
                cpuStart = CpuAccounting.snapshot();
            }
            cpu =
                    CpuAccounting.between(
                            cpuStart, CpuAccounting.snapshot(), UpdateJobBenchmark::group);
            if (recorder != null) {
                summary = recorder.stop(UpdateJobBenchmark::group);
            }
            counters = counters(flink, job, done);
        } finally {
            if (recorder != null && summary == null) {
                recorder.close();
            }
            if (!flink.jobStatus(job).isGloballyTerminalState()) {
                flink.cancel(job, Duration.ofSeconds(60));
            }
        }
        boolean complete = done >= n;
        double total = (end - t0) / 1e9;
        double steady = firstAt < 0 ? 0 : (end - firstAt) / 1e9;
        RunResult r =
                new RunResult(
                        c,
                        n,
                        done,
                        complete,
                        firstAt < 0 ? Double.NaN : (firstAt - t0) / 1e9,
                        total,
                        steady,
                        done - firstCount,
                        cpu,
                        counters,
                        summary);
        System.out.printf(
                "  %s: %,d updates in %.1f s: %,.0f interactions/s end to end, %,.0f/s steady%s%n",
                c.label(),
                done,
                total,
                r.endToEndRate(),
                r.steadyRate(),
                complete ? "" : " (stopped at --max-seconds: partial)");
        return r;
    }

    /**
     * The job's counters; waits up to 5 s for the REST metric cache to catch up with {@code
     * updates}.
     */
    private static JobCounters counters(EmbeddedFlink flink, JobID job, long updates) {
        try {
            JsonNode vertices = rest(flink, "/jobs/" + job).path("vertices");
            String vertex = null;
            for (JsonNode v : vertices) {
                if (v.path("name").asText().contains("online-update")) {
                    vertex = v.path("id").asText();
                }
            }
            if (vertex == null) {
                return JobCounters.NONE;
            }
            String path =
                    "/jobs/"
                            + job
                            + "/vertices/"
                            + vertex
                            + "/subtasks/metrics?agg=sum&get="
                            + "online-update.userUpdates,online-update.microBatches";
            long userUpdates = -1;
            long batches = -1;
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            do {
                for (JsonNode m : rest(flink, path)) {
                    long v = (long) m.path("sum").asDouble(-1);
                    if (m.path("id").asText().endsWith("userUpdates")) {
                        userUpdates = v;
                    } else {
                        batches = v;
                    }
                }
                if (userUpdates >= updates) {
                    break;
                }
                Thread.sleep(250);
            } while (System.nanoTime() < deadline);
            JsonNode cp = rest(flink, "/jobs/" + job + "/checkpoints");
            JsonNode e2e = cp.path("summary").path("end_to_end_duration");
            return new JobCounters(
                    userUpdates,
                    batches,
                    cp.path("counts").path("completed").asLong(-1),
                    e2e.path("avg").asLong(-1),
                    e2e.path("max").asLong(-1),
                    cp.path("latest").path("completed").path("checkpointed_size").asLong(-1));
        } catch (Exception e) {
            System.out.println("  (job counters not available: " + e + ")");
            return JobCounters.NONE;
        }
    }

    // ------------------------------------------------------------------ report

    private static void printResults(List<RunResult> results, long n) {
        System.out.printf(
                "%n=== OnlineUpdateJob throughput (%,d interactions; RocksDB state; embedded"
                        + " Kafka + Flink in one JVM) ===%n",
                n);
        System.out.println(CpuAccounting.machineLine());
        System.out.printf(
                "%-16s %12s %14s %12s %9s %10s %8s %11s %12s%n",
                "run",
                "updates",
                "end-to-end/s",
                "steady/s",
                "start-up",
                "mean batch",
                "ckpts",
                "ckpt avg/max",
                "this/others");
        for (RunResult r : results) {
            JobCounters k = r.counters();
            String batch =
                    k.microBatches() > 0
                            ? String.format("%.1f", (double) k.userUpdates() / k.microBatches())
                            : "n/a";
            System.out.printf(
                    "%-16s %12s %14s %12s %8.1fs %10s %8s %11s %12s%n",
                    r.config().label(),
                    String.format("%,d%s", r.updates(), r.complete() ? "" : "*"),
                    String.format("%,.0f", r.endToEndRate()),
                    String.format("%,.0f", r.steadyRate()),
                    r.secondsToFirstUpdate(),
                    batch,
                    k.checkpoints() < 0 ? "n/a" : String.valueOf(k.checkpoints()),
                    k.checkpointAvgMs() < 0
                            ? "n/a"
                            : k.checkpointAvgMs() + "/" + k.checkpointMaxMs() + "ms",
                    String.format(
                            "%.2f/%.2f", r.cpu().processCores(), r.cpu().otherProcessesCores()));
        }
        System.out.println(
                "end-to-end/s: N / (submit -> N-th update in model.updates), start-up included;"
                        + " steady/s: from the first update seen to the last; * = stopped at"
                        + " --max-seconds; this/others: CPU cores used by this process / by other"
                        + " processes during the steady phase (of "
                        + Runtime.getRuntime().availableProcessors()
                        + ").");
        for (RunResult r : results) {
            System.out.printf(
                    "%n-- %s: CPU during the steady phase (%.1f s), in cores --%n",
                    r.config().label(), r.cpu().seconds());
            r.cpu().groups().entrySet().stream()
                    .filter(e -> e.getValue() >= 0.005)
                    .forEach(e -> System.out.printf("  %-60s %5.2f%n", e.getKey(), e.getValue()));
            System.out.printf(
                    "  %-60s %5.2f%n  %-60s %5.2f%n",
                    "= this process",
                    r.cpu().processCores(),
                    "other processes on the machine",
                    r.cpu().otherProcessesCores());
            if (r.counters().stateBytes() >= 0) {
                System.out.printf(
                        "  last checkpoint: %,d bytes (incremental)%n", r.counters().stateBytes());
            }
            if (r.profile() != null) {
                System.out.printf("-- %s: profile of the steady phase --%n", r.config().label());
                System.out.print(r.profile().render(25));
            }
        }
    }

    /** The group of a thread, by name (Flink task threads are named after their chain). */
    static String group(String thread) {
        if (thread.startsWith("Source: interactions")) {
            return "task: Kafka source -> validate (decode Avro)";
        }
        if (thread.contains("online-update")) {
            return "task: online-update -> model.updates writer";
        }
        if (thread.startsWith("Source: model.versions")) {
            return "task: model.versions source";
        }
        if (thread.startsWith("Source Data Fetcher")) {
            return "Kafka consumer: source fetchers";
        }
        if (thread.startsWith("kafka-producer-network-thread")) {
            return "Kafka producer I/O threads (sinks)";
        }
        if (thread.startsWith("data-plane-kafka")
                || thread.startsWith("kafka-")
                || thread.startsWith("broker-")
                || thread.startsWith("quorum-controller")
                || thread.startsWith("raft-")
                || thread.startsWith("controller-")
                || thread.startsWith("ExpirationReaper")
                || thread.startsWith("group-coordinator")
                || thread.startsWith("share-coordinator")
                || thread.startsWith("transaction-")
                || thread.startsWith("LogDirFailureHandler")
                || thread.startsWith("ReplicaFetcher")
                || thread.startsWith("ThrottledChannelReaper")
                || thread.contains("kafka")) {
            return "Kafka broker";
        }
        if (thread.startsWith("flink-")
                || thread.startsWith("Flink")
                || thread.startsWith("pekko")
                || thread.startsWith("jobmanager")
                || thread.contains("Checkpoint")
                || thread.contains("mailbox")
                || thread.startsWith("AsyncOperations")
                || thread.startsWith("Metrics")) {
            return "Flink runtime (RPC, checkpoints, async snapshot)";
        }
        if (thread.equals("main") || thread.startsWith("HttpClient")) {
            return "benchmark driver";
        }
        return "other: " + thread.replaceAll("\\d+", "N");
    }

    // ------------------------------------------------------------------ Kafka and REST helpers

    private static KafkaConsumer<byte[], byte[]> consumer(EmbeddedKafka kafka) {
        Properties p = kafka.clientProperties();
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }

    private static List<TopicPartition> partitions(
            KafkaConsumer<byte[], byte[]> consumer, String topic) {
        return consumer.partitionsFor(topic).stream()
                .map(i -> new TopicPartition(topic, i.partition()))
                .toList();
    }

    private static long endOffsetSum(EmbeddedKafka kafka, String topic) {
        try (KafkaConsumer<byte[], byte[]> c = consumer(kafka)) {
            return sum(c.endOffsets(partitions(c, topic)));
        }
    }

    private static long sum(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    private static JsonNode rest(EmbeddedFlink flink, String path) throws Exception {
        URI uri = flink.restAddress().resolve(path);
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + uri + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
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
