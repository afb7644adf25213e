package io.hyperrec.app.demo;

import io.hyperrec.app.runtime.EmbeddedFlink;
import io.hyperrec.app.runtime.EmbeddedFlinkOptions;
import io.hyperrec.app.runtime.EmbeddedKafka;
import io.hyperrec.app.runtime.EmbeddedKafkaOptions;
import io.hyperrec.core.coldstart.ColdStartModel;
import io.hyperrec.core.data.Split;
import io.hyperrec.core.model.TrainedModel;
import io.hyperrec.core.online.OnlineConfig;
import io.hyperrec.core.train.TrainConfig;
import io.hyperrec.enrichment.service.EnrichmentClientFactory;
import io.hyperrec.enrichment.service.OfflineEnrichmentFactory;
import io.hyperrec.jobs.onboard.ItemOnboardingJob;
import io.hyperrec.jobs.online.ControlEvent;
import io.hyperrec.jobs.online.KernelsFactory;
import io.hyperrec.jobs.online.OnlineUpdateJob;
import io.hyperrec.jobs.retrain.RetrainJob;
import io.hyperrec.jobs.retrain.RetrainResult;
import io.hyperrec.schemas.AvroCodec;
import io.hyperrec.schemas.RegistryConfig;
import io.hyperrec.schemas.Topics;
import io.hyperrec.schemas.avro.Interaction;
import io.hyperrec.schemas.avro.InteractionType;
import io.hyperrec.schemas.avro.ItemCreated;
import io.hyperrec.schemas.avro.ModelPublished;
import io.hyperrec.store.ModelStore;
import io.hyperrec.store.PublishedVersion;
import io.hyperrec.store.RocksCheckpointStore;
import io.hyperrec.store.ScoredItem;
import io.hyperrec.store.http.KafkaEventSink;
import io.hyperrec.store.http.ServerOptions;
import io.hyperrec.store.http.ServingMetrics;
import io.hyperrec.store.http.ServingServer;
import io.hyperrec.store.ingest.IngestDecoders;
import io.hyperrec.store.ingest.IngestOptions;
import io.hyperrec.store.ingest.ModelStoreIngest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.JobID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * hyperrec in one JVM: a real Kafka broker (KRaft), a Flink MiniCluster with RocksDB state running
 * the OnlineUpdateJob and, on demand, the RetrainJob, the RocksDB model store fed from Kafka, and
 * its HTTP API. Nothing is mocked; the distributed deployment runs the same jobs and store.
 *
 * <p>Closing stops everything in dependency order (HTTP, ingest, jobs, Flink, broker) and closes
 * the store last with a synced write-ahead log, so an interrupted demo leaves a store that opens
 * cleanly.
 */
public final class Platform implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Platform.class);

    /** How the platform is laid out. */
    public record Options(
            Path dataDir,
            String httpHost,
            int httpPort,
            int partitions,
            TrainConfig train,
            double gateTolerance,
            OnlineConfig online,
            boolean deterministic,
            RetrainScheduler.Policy retrainPolicy,
            List<List<String>> taxonomy,
            EnrichmentClientFactory enrichment) {
        /**
         * @param taxonomy the catalogue's category paths, the offline tagger's taxonomy; empty
         *     leaves item onboarding off
         * @param enrichment the onboarding job's primary enrichment (an LLM, the enrichment
         *     service), or null for the offline tagger alone; the offline tagger is always the
         *     fallback
         */
        public Options {
            taxonomy = List.copyOf(taxonomy);
        }

        /** Options whose onboarding enriches with the offline tagger alone. */
        public Options(
                Path dataDir,
                String httpHost,
                int httpPort,
                int partitions,
                TrainConfig train,
                double gateTolerance,
                OnlineConfig online,
                boolean deterministic,
                RetrainScheduler.Policy retrainPolicy,
                List<List<String>> taxonomy) {
            this(
                    dataDir,
                    httpHost,
                    httpPort,
                    partitions,
                    train,
                    gateTolerance,
                    online,
                    deterministic,
                    retrainPolicy,
                    taxonomy,
                    null);
        }
    }

    private final Options options;
    private final EmbeddedKafka kafka;
    private final EmbeddedFlink flink;
    private final ModelStore store;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AvroCodec<Interaction> interactionCodec =
            AvroCodec.singleObject(Interaction.class);
    private final AvroCodec<ModelPublished> versionCodec =
            AvroCodec.singleObject(ModelPublished.class);
    private final AvroCodec<ItemCreated> itemCodec = AvroCodec.singleObject(ItemCreated.class);
    private JobID onboardingJob;
    private ModelStoreIngest ingest;
    private ServingServer http;
    private JobID onlineJob;
    private volatile PublishedVersion live;
    private volatile Map<Integer, Long> liveOffsets = Map.of();
    private final RetrainScheduler retrains;
    private KafkaConsumer<byte[], byte[]> offsetReader;

    private Platform(Options o) {
        this.options = o;
        EmbeddedKafka k = null;
        EmbeddedFlink f = null;
        ModelStore s = null;
        try {
            k =
                    EmbeddedKafka.start(
                            EmbeddedKafkaOptions.builder()
                                    .logDir(o.dataDir().resolve("kafka"))
                                    .partitions(o.partitions())
                                    .build());
            k.createHyperrecTopics();
            f =
                    EmbeddedFlink.start(
                            EmbeddedFlinkOptions.builder()
                                    .workDir(o.dataDir().resolve("flink"))
                                    // the update job's subtasks, a retrain, item onboarding
                                    .taskSlots(o.partitions() + 2)
                                    .checkpointInterval(Duration.ofSeconds(5))
                                    .build());
            s = ModelStore.open(o.dataDir().resolve("store"));
        } catch (RuntimeException e) {
            closeQuietly(f);
            closeQuietly(k);
            closeQuietly(s);
            throw e;
        }
        this.kafka = k;
        this.flink = f;
        this.store = s;
        Properties p = new Properties();
        p.putAll(kafka.clientProperties());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(p);
        this.retrains =
                new RetrainScheduler(
                        new RetrainScheduler.Target() {
                            @Override
                            public RetrainResult retrain(long version) throws Exception {
                                return Platform.this.retrain(version);
                            }

                            @Override
                            public long interactionRecords() {
                                return endOffsetSum(Topics.INTERACTIONS);
                            }

                            @Override
                            public long liveVersion() {
                                PublishedVersion v = live;
                                return v == null ? 0 : v.version();
                            }
                        },
                        o.retrainPolicy(),
                        Clock.systemUTC());
    }

    /** Starts broker, MiniCluster and store (jobs, ingest and HTTP start later). */
    public static Platform start(Options options) {
        return new Platform(options);
    }

    /** The broker's bootstrap servers. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The model store. */
    public ModelStore store() {
        return store;
    }

    /** The MiniCluster. */
    public EmbeddedFlink flink() {
        return flink;
    }

    /** The live version, or null before the first publish. */
    public PublishedVersion live() {
        return live;
    }

    /**
     * The retrain scheduler: every retrain of this platform goes through it (it also answers the
     * HTTP API's retrain routes). Its automatic triggers run once {@link
     * RetrainScheduler#startTriggers()} is called.
     */
    public RetrainScheduler retrains() {
        return retrains;
    }

    /** The {@code interactions} offsets (partition → next offset) the live version read up to. */
    public Map<Integer, Long> liveSnapshot() {
        return liveOffsets;
    }

    /**
     * Produces one interaction to {@code interactions}, keyed by user.
     *
     * @return where it landed (partition and offset) once the broker acknowledged it
     */
    public java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>
            sendInteraction(String user, String item, long eventTimeMillis) {
        Interaction in =
                Interaction.newBuilder()
                        .setUser(user)
                        .setItem(item)
                        .setType(InteractionType.CLICK)
                        .setWeight(1f)
                        .setEventTime(Instant.ofEpochMilli(eventTimeMillis))
                        .build();
        return producer.send(
                new ProducerRecord<>(
                        Topics.INTERACTIONS,
                        user.getBytes(StandardCharsets.UTF_8),
                        interactionCodec.encode(in)),
                this::onSent);
    }

    private final java.util.concurrent.atomic.AtomicReference<Exception> sendFailure =
            new java.util.concurrent.atomic.AtomicReference<>();

    private void onSent(org.apache.kafka.clients.producer.RecordMetadata md, Exception e) {
        if (e != null) {
            sendFailure.compareAndSet(null, e);
        }
    }

    /** Produces one new item to {@code items.new}, keyed by item. */
    public void sendItem(
            String item,
            String title,
            String text,
            Map<String, String> attributes,
            long eventTime) {
        ItemCreated in =
                ItemCreated.newBuilder()
                        .setItem(item)
                        .setTitle(title)
                        .setText(text)
                        .setAttributes(new HashMap<>(attributes))
                        .setEventTime(Instant.ofEpochMilli(eventTime))
                        .build();
        producer.send(
                new ProducerRecord<>(
                        Topics.ITEMS_NEW,
                        item.getBytes(StandardCharsets.UTF_8),
                        itemCodec.encode(in)),
                this::onSent);
    }

    /** True when the options give a taxonomy, so new items can be onboarded. */
    public boolean onboardingEnabled() {
        return !options.taxonomy().isEmpty();
    }

    /**
     * Starts the ItemOnboardingJob with the options' primary enrichment, or with the offline
     * enrichment in process (offline tagger over the options' taxonomy, MiniLM encoder) as both the
     * primary and the fallback path when they name none.
     */
    public JobID startOnboardingJob() {
        return startOnboardingJob(options.enrichment());
    }

    /**
     * Starts the ItemOnboardingJob with {@code primary} as the enrichment (an LLM tagger, the
     * enrichment service) and the offline enrichment in process as its fallback.
     *
     * @param primary the primary enrichment, or null for the offline one
     */
    public JobID startOnboardingJob(EnrichmentClientFactory primary) {
        if (!onboardingEnabled()) {
            throw new IllegalStateException(
                    "item onboarding needs a taxonomy (the catalogue's category paths); the"
                            + " dataset has none");
        }
        OfflineEnrichmentFactory offline = new OfflineEnrichmentFactory(options.taxonomy(), 2);
        ItemOnboardingJob.Settings s =
                ItemOnboardingJob.Settings.defaults(
                        kafka.bootstrapServers(),
                        "item-onboarding",
                        primary == null ? offline : primary,
                        offline);
        StreamExecutionEnvironment env = flink.createEnvironment();
        env.setParallelism(1);
        ItemOnboardingJob.addTo(env, s);
        onboardingJob = flink.submit(env, "item-onboarding");
        flink.awaitAllTasksRunning(onboardingJob, Duration.ofSeconds(60));
        return onboardingJob;
    }

    /** Produces raw bytes to {@code interactions} (for showing the dead-letter path). */
    public void sendRaw(String key, byte[] value) {
        producer.send(
                new ProducerRecord<>(
                        Topics.INTERACTIONS, key.getBytes(StandardCharsets.UTF_8), value),
                this::onSent);
    }

    /**
     * Waits until everything sent so far is acknowledged by the broker.
     *
     * @throws IllegalStateException when a send failed (the records are not in Kafka)
     */
    public void flush() {
        producer.flush();
        Exception e = sendFailure.getAndSet(null);
        if (e != null) {
            throw new IllegalStateException("sending to Kafka failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs the RetrainJob (bounded, on the MiniCluster) for {@code version}, gated against the live
     * one, and publishes it when accepted. Callers that may overlap go through {@link #retrains()},
     * which runs one at a time.
     *
     * @return the retrain's result (accepted or not)
     */
    public RetrainResult retrain(long version) throws Exception {
        Path models = options.dataDir().resolve("models");
        Files.createDirectories(models);
        Path checkpoints = options.dataDir().resolve("retrain-checkpoints");
        String checkpointDir = checkpoints.toString();
        RetrainJob.Settings s =
                new RetrainJob.Settings(
                        kafka.bootstrapServers(),
                        models.toString(),
                        options.train(),
                        Split.RANDOM_811,
                        2024,
                        options.gateTolerance(),
                        KernelsFactory.auto(options.deterministic()),
                        runId ->
                                new RocksCheckpointStore(
                                        Path.of(checkpointDir).resolve(runId), runId),
                        RetrainJob.decoder(RegistryConfig.local()),
                        RetrainJob.enrichedDecoder(RegistryConfig.local()));
        // A failed retrain must surface to the caller, not restart forever (its own training
        // checkpoints already make a rerun resume).
        org.apache.flink.configuration.Configuration job =
                new org.apache.flink.configuration.Configuration();
        job.setString("restart-strategy.type", "none");
        StreamExecutionEnvironment env = flink.createEnvironment(job);
        env.setParallelism(1);
        // Training progress is checkpointed by the operator's own CheckpointStore (a rerun
        // resumes from it); a Flink checkpoint of this bounded, never-restarted job would never be
        // restored and is only declined noise while the training runs.
        env.getCheckpointConfig().disableCheckpointing();
        PublishedVersion current = live;
        String liveLocation = current == null ? null : current.location().toString();
        RetrainResult result;
        try (CloseableIterator<RetrainResult> it =
                RetrainJob.addTo(env, s, version, liveLocation, liveOffsets)
                        .executeAndCollect("retrain-v" + version)) {
            result = it.next();
        }
        if (result.accepted) {
            publish(result);
        } else {
            LOG.warn("retrain of version {} not published: {}", version, result.reason);
        }
        return result;
    }

    private void publish(RetrainResult r) {
        TrainedModel model = TrainedModel.load(Path.of(r.location));
        Path cold = Path.of(r.location).resolve(ModelStore.COLD_START_DIR);
        PublishedVersion v =
                store.publish(
                        r.version,
                        model,
                        r.metrics,
                        popular(r),
                        ColdStartModel.existsIn(cold) ? ColdStartModel.load(cold) : null);
        Map<String, Long> offsets = new HashMap<>();
        r.snapshotOffsets.forEach((p, o) -> offsets.put(String.valueOf(p), o));
        ModelPublished msg =
                ModelPublished.newBuilder()
                        .setVersion(r.version)
                        .setLocation(v.location().toString())
                        .setMetrics(r.metrics)
                        .setCreatedAt(v.createdAt())
                        .setSnapshotOffsets(offsets)
                        .build();
        try {
            // Synchronously: a lost pointer would leave the update job on the old version.
            producer.send(
                            new ProducerRecord<>(
                                    Topics.MODEL_VERSIONS, null, versionCodec.encode(msg)))
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "version "
                            + r.version
                            + " is in the store but its pointer could not be sent to "
                            + Topics.MODEL_VERSIONS
                            + ": "
                            + e.getMessage(),
                    e);
        }
        liveOffsets = Map.copyOf(r.snapshotOffsets);
        live = v;
        LOG.info("published version {} at {}", r.version, v.location());
    }

    private static List<ScoredItem> popular(RetrainResult r) {
        List<ScoredItem> out = new ArrayList<>();
        r.popular.forEach((item, count) -> out.add(new ScoredItem(item, count)));
        return out;
    }

    /** Starts the OnlineUpdateJob on the live version, reading after its snapshot offsets. */
    public JobID startOnlineJob() {
        PublishedVersion v = live;
        if (v == null) {
            throw new IllegalStateException("publish a first version before the update job");
        }
        OnlineUpdateJob.Settings s =
                OnlineUpdateJob.Settings.defaults(
                                kafka.bootstrapServers(),
                                "online-update",
                                ControlEvent.version(
                                        v.version(), v.location().toString(), liveOffsets))
                        .withKernels(KernelsFactory.auto(options.deterministic()))
                        .withOnline(options.online())
                        .withStartOffsets(liveOffsets);
        s = s.withPartitions(options.partitions());
        StreamExecutionEnvironment env = flink.createEnvironment();
        env.setParallelism(options.partitions());
        OnlineUpdateJob.addTo(env, s);
        onlineJob = flink.submit(env, "online-update");
        flink.awaitAllTasksRunning(onlineJob, Duration.ofSeconds(60));
        return onlineJob;
    }

    /** Starts the store's Kafka ingest and the HTTP API. */
    public ServingServer startServing() {
        Properties c = new Properties();
        c.putAll(kafka.clientProperties());
        c.put("group.id", "model-store");
        c.put("auto.offset.reset", "earliest");
        c.put("enable.auto.commit", "false");
        c.put("key.deserializer", ByteArrayDeserializer.class.getName());
        c.put("value.deserializer", ByteArrayDeserializer.class.getName());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c);
        ingest =
                new ModelStoreIngest(
                                consumer,
                                store,
                                IngestOptions.defaults(),
                                IngestDecoders.of(RegistryConfig.local()),
                                // interactions.dlq belongs to the update job; the store only
                                // counts.
                                (record, reason) -> {})
                        .start();
        ServingMetrics metrics = new ServingMetrics(store, Clock.systemUTC());
        metrics.bindIngest(ingest::stats);
        http =
                ServingServer.start(
                        store,
                        new KafkaEventSink(producer, Duration.ofSeconds(10)),
                        metrics,
                        ServerOptions.builder()
                                .host(options.httpHost())
                                .port(options.httpPort())
                                .build(),
                        retrains);
        return http;
    }

    /** The ItemOnboardingJob, or null before {@link #startOnboardingJob}. */
    public JobID onboardingJob() {
        return onboardingJob;
    }

    /** The store ingest (null before {@link #startServing}). */
    public ModelStoreIngest ingest() {
        return ingest;
    }

    /** Records in {@code interactions.dlq}. */
    public long deadLetters() {
        return endOffsetSum(Topics.deadLetter(Topics.INTERACTIONS));
    }

    /**
     * Waits until {@code topic} holds {@code count} records (the sum of its end offsets), printing
     * a line with the rate and the time left every two seconds.
     *
     * @throws IllegalStateException when {@code limit} passes first, naming how far it got
     */
    public void awaitRecords(
            String topic, long count, String what, Duration limit, java.io.PrintStream out)
            throws InterruptedException {
        long from = endOffsetSum(topic);
        long t0 = System.nanoTime();
        long last = t0;
        long have = from;
        while (have < count) {
            Thread.sleep(200);
            have = endOffsetSum(topic);
            long now = System.nanoTime();
            if (now - last > 2_000_000_000L) {
                last = now;
                double rate = (have - from) / ((now - t0) / 1e9);
                out.printf(
                        "  %s: %,d/%,d  %.0f/s  ETA %.0fs%n",
                        what, have, count, rate, (count - have) / Math.max(rate, 1e-9));
            }
            if (now - t0 > limit.toNanos()) {
                throw new IllegalStateException(
                        what
                                + ": "
                                + have
                                + " of "
                                + count
                                + " records in "
                                + topic
                                + " after "
                                + limit);
            }
        }
    }

    /** Sum over partitions of a topic's end offsets. */
    public synchronized long endOffsetSum(String topic) {
        if (offsetReader == null) {
            Properties c = new Properties();
            c.putAll(kafka.clientProperties());
            c.put("key.deserializer", ByteArrayDeserializer.class.getName());
            c.put("value.deserializer", ByteArrayDeserializer.class.getName());
            offsetReader = new KafkaConsumer<>(c);
        }
        List<TopicPartition> parts =
                offsetReader.partitionsFor(topic).stream()
                        .map(pi -> new TopicPartition(topic, pi.partition()))
                        .toList();
        return offsetReader.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void close() {
        closeQuietly(retrains);
        closeQuietly(http);
        closeQuietly(ingest);
        for (JobID job : new JobID[] {onlineJob, onboardingJob}) {
            if (job == null) {
                continue;
            }
            try {
                flink.cancel(job, Duration.ofSeconds(30));
            } catch (RuntimeException e) {
                LOG.warn("cancelling job {}: {}", job, e.toString());
            }
        }
        closeQuietly(flink);
        closeQuietly(producer);
        synchronized (this) {
            closeQuietly(offsetReader);
        }
        closeQuietly(kafka);
        closeQuietly(store);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("closing {}: {}", c.getClass().getSimpleName(), e.toString());
        }
    }
}
