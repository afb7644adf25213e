package io.hyperrec.app.runtime;

import io.hyperrec.schemas.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker in this JVM: one node in KRaft combined mode (controller and broker), run by
 * Kafka's {@link KafkaClusterTestKit}. It serves the embedded runtime ({@code hyperrec demo}) and
 * the integration tests; nothing about it is mocked.
 *
 * <p><b>Storage.</b> With {@link EmbeddedKafkaOptions#logDir()} set, the directory is formatted on
 * the first start and reused afterwards (the cluster id is read back from its {@code
 * meta.properties}), so topics and records survive a restart; close leaves it in place. Without it,
 * a temporary directory is used and deleted on close.
 *
 * <p><b>Listener.</b> With port 0 clients use the test kit's listener on an ephemeral port. With a
 * fixed port a second plaintext listener {@code HOST://localhost:port} is added and {@link
 * #bootstrapServers()} names it (the kit always pre-binds its own listener to an ephemeral port).
 * The controller listener is always ephemeral; that is safe across restarts because the quorum is
 * static (one voter, from configuration).
 *
 * <p><b>Defaults.</b> Replication factor 1 everywhere (internal topics included), no automatic
 * topic creation (topics are declared: {@link #createTopics}), few threads (the target machine has
 * 2 cores), production metadata version and features.
 *
 * <p>Thread-safe after {@link #start}; {@link #close} is idempotent.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    /** Name of the extra listener used for a fixed client port. */
    static final String HOST_LISTENER = "HOST";

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);

    /**
     * A topic to create: name, partition count and topic-level configuration.
     *
     * @param name topic name, never null
     * @param partitions partition count, at least 1
     * @param configs topic configuration ({@link TopicConfig} keys), never null
     */
    public record TopicSpec(String name, int partitions, Map<String, String> configs) {
        /** Validates and copies. */
        public TopicSpec {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("topic name must not be blank, got " + name);
            }
            if (partitions < 1) {
                throw new IllegalArgumentException(
                        "topic " + name + ": partitions must be positive, got " + partitions);
            }
            configs = Map.copyOf(configs);
        }
    }

    private final EmbeddedKafkaOptions options;
    private final KafkaClusterTestKit cluster;
    private final Path logDir;
    private final String bootstrapServers;
    private final Duration startupTime;
    private final boolean formatted;
    private boolean closed;

    private EmbeddedKafka(
            EmbeddedKafkaOptions options,
            KafkaClusterTestKit cluster,
            Path logDir,
            String bootstrapServers,
            Duration startupTime,
            boolean formatted) {
        this.options = options;
        this.cluster = cluster;
        this.logDir = logDir;
        this.bootstrapServers = bootstrapServers;
        this.startupTime = startupTime;
        this.formatted = formatted;
    }

    /**
     * Starts the broker and waits until it is registered, unfenced and serving metadata, and its
     * group coordinator is available.
     *
     * @param options broker options, never null
     * @return the running broker
     * @throws EmbeddedRuntimeException when the directory cannot be prepared or the broker does not
     *     start
     */
    public static EmbeddedKafka start(EmbeddedKafkaOptions options) {
        RuntimeLogging.quietByDefault();
        long t0 = System.nanoTime();
        boolean temporary = options.logDir().isEmpty();
        Path dir;
        try {
            dir =
                    temporary
                            ? Files.createTempDirectory("hyperrec-kafka-")
                            : Files.createDirectories(options.logDir().get());
        } catch (IOException e) {
            throw new EmbeddedRuntimeException(
                    "Kafka: cannot create log directory " + options.logDir().orElse(null), e);
        }
        Optional<String> clusterId = existingClusterId(dir);
        KafkaClusterTestKit cluster = null;
        long ready;
        try {
            TestKitNodes nodes =
                    new TestKitNodes.Builder(productionBootstrapMetadata())
                            .setCombined(true)
                            .setNumControllerNodes(1)
                            .setNumBrokerNodes(1)
                            .setBaseDirectory(dir)
                            .setClusterId(clusterId.orElseGet(() -> Uuid.randomUuid().toString()))
                            .build();
            KafkaClusterTestKit.Builder builder =
                    new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(temporary);
            brokerConfig(options).forEach(builder::setConfigProp);
            cluster = builder.build();
            if (clusterId.isEmpty()) {
                cluster.format();
            }
            cluster.startup();
            cluster.waitForReadyBrokers();
            ready = System.nanoTime();
            awaitGroupCoordinator(cluster.bootstrapServers());
        } catch (Exception e) {
            closeQuietly(cluster, e);
            if (temporary) {
                try {
                    Utils.delete(dir.toFile());
                } catch (IOException deleting) {
                    e.addSuppressed(deleting);
                }
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new EmbeddedRuntimeException(
                    "Kafka: broker failed to start with log directory "
                            + dir
                            + " ("
                            + options
                            + ")",
                    e);
        }
        String bootstrap =
                options.port() > 0 ? "localhost:" + options.port() : cluster.bootstrapServers();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        LOG.info(
                "Kafka broker (KRaft, combined, cluster {}) up at {} in {} ms (broker ready after {} ms,"
                        + " then the group coordinator); log directory {} ({})",
                cluster.nodes().clusterId(),
                bootstrap,
                took.toMillis(),
                TimeUnit.NANOSECONDS.toMillis(ready - t0),
                dir,
                clusterId.isEmpty()
                        ? (temporary ? "temporary" : "formatted")
                        : "reused, data kept");
        return new EmbeddedKafka(options, cluster, dir, bootstrap, took, clusterId.isEmpty());
    }

    /**
     * Creates the group coordinator's {@code __consumer_offsets} topic now, by asking for a group's
     * offsets, rather than on the first offset commit of a job: that commit would otherwise fail
     * with "coordinator not available" and be logged as a warning.
     */
    private static void awaitGroupCoordinator(String bootstrap)
            throws InterruptedException, ExecutionException, TimeoutException {
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            admin.listConsumerGroupOffsets("hyperrec-embedded-startup")
                    .all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The topics hyperrec reads and writes (ARCHITECTURE.md, "Topics"): {@link
     * Topics#INTERACTIONS}, {@link Topics#ITEMS_NEW}, {@link Topics#ITEMS_ENRICHED} (compacted),
     * {@link Topics#MODEL_UPDATES}, {@link Topics#MODEL_VERSIONS}, {@link Topics#MODEL_ITEMS}
     * (compacted), and a dead-letter topic for each input topic fed from outside ({@code
     * interactions}, {@code items.new}).
     *
     * <p>Retention is unlimited ({@code retention.ms=-1}): the retrain job re-reads interactions
     * and enriched items from the beginning, and a replayed dataset carries old event times, which
     * time-based retention would delete within minutes.
     *
     * @param partitions partition count of every topic, at least 1
     * @return the topic specifications, in creation order
     */
    public static List<TopicSpec> hyperrecTopics(int partitions) {
        Map<String, String> keep = Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1");
        Map<String, String> compact =
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        List<TopicSpec> specs = new ArrayList<>();
        specs.add(new TopicSpec(Topics.INTERACTIONS, partitions, keep));
        specs.add(new TopicSpec(Topics.ITEMS_NEW, partitions, keep));
        specs.add(new TopicSpec(Topics.ITEMS_ENRICHED, partitions, compact));
        specs.add(new TopicSpec(Topics.MODEL_UPDATES, partitions, keep));
        specs.add(new TopicSpec(Topics.MODEL_VERSIONS, partitions, keep));
        specs.add(new TopicSpec(Topics.MODEL_ITEMS, partitions, compact));
        specs.add(new TopicSpec(Topics.deadLetter(Topics.INTERACTIONS), partitions, keep));
        specs.add(new TopicSpec(Topics.deadLetter(Topics.ITEMS_NEW), partitions, keep));
        return List.copyOf(specs);
    }

    /**
     * Creates hyperrec's topics ({@link #hyperrecTopics}) with the configured partition count.
     * Idempotent: existing topics are kept as they are.
     *
     * @return the names of the topics created by this call (empty when all existed)
     */
    public List<String> createHyperrecTopics() {
        return createTopics(hyperrecTopics(options.partitions()));
    }

    /**
     * Creates the topics that do not exist yet and waits until every listed topic has a leader for
     * each partition. Idempotent: an existing topic is left unchanged (a differing partition count
     * is logged, not altered, since that would move keys between partitions).
     *
     * @param specs topics to ensure, never null
     * @return the names of the topics created by this call
     * @throws EmbeddedRuntimeException when the broker refuses or times out
     */
    public List<String> createTopics(Collection<TopicSpec> specs) {
        try (Admin admin = Admin.create(clientProperties())) {
            Set<String> existing =
                    admin.listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (TopicSpec spec : specs) {
                if (!existing.contains(spec.name())) {
                    missing.add(
                            new NewTopic(
                                            spec.name(),
                                            Optional.of(spec.partitions()),
                                            Optional.empty())
                                    .configs(spec.configs()));
                }
            }
            List<String> created = new ArrayList<>();
            if (!missing.isEmpty()) {
                Map<String, KafkaFuture<Void>> results = admin.createTopics(missing).values();
                for (NewTopic topic : missing) {
                    try {
                        results.get(topic.name())
                                .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                        created.add(topic.name());
                    } catch (ExecutionException ex) {
                        // Created concurrently by another client: fine, that is idempotence.
                        if (!(ex.getCause() instanceof TopicExistsException)) {
                            throw ex;
                        }
                    }
                }
            }
            awaitLeaders(admin, specs);
            if (!created.isEmpty()) {
                LOG.info("Kafka: created topics {}", created);
            }
            return List.copyOf(created);
        } catch (ExecutionException | TimeoutException e) {
            throw new EmbeddedRuntimeException(
                    "Kafka: cannot create topics " + names(specs) + " on " + bootstrapServers, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedRuntimeException(
                    "Kafka: interrupted while creating topics " + names(specs), e);
        }
    }

    private void awaitLeaders(Admin admin, Collection<TopicSpec> specs)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<String> names = names(specs);
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (true) {
            Map<String, TopicDescription> described;
            try {
                described =
                        admin.describeTopics(names)
                                .allTopicNames()
                                .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                described = Map.of();
            }
            boolean ready = described.size() == names.size();
            for (TopicDescription d : described.values()) {
                for (TopicPartitionInfo p : d.partitions()) {
                    ready &= p.leader() != null && !p.leader().isEmpty();
                }
            }
            if (ready) {
                warnOnPartitionMismatch(specs, described);
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(
                        "topics " + names + " have no leader after " + ADMIN_TIMEOUT);
            }
            Thread.sleep(20);
        }
    }

    private static void warnOnPartitionMismatch(
            Collection<TopicSpec> specs, Map<String, TopicDescription> described) {
        for (TopicSpec spec : specs) {
            int actual = described.get(spec.name()).partitions().size();
            if (actual != spec.partitions()) {
                LOG.warn(
                        "Kafka: topic {} exists with {} partitions, not the {} requested; left as is",
                        spec.name(),
                        actual,
                        spec.partitions());
            }
        }
    }

    /**
     * @return {@code host:port} for clients' {@code bootstrap.servers}
     */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * @return new client properties holding only {@code bootstrap.servers}
     */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }

    /**
     * @return the broker's log directory (absolute); deleted on close when temporary
     */
    public Path logDir() {
        return logDir;
    }

    /**
     * @return true when this start formatted the log directory, false when it reused one
     */
    public boolean formattedOnStart() {
        return formatted;
    }

    /**
     * @return the wall-clock time {@link #start} took, formatting and readiness included
     */
    public Duration startupTime() {
        return startupTime;
    }

    /**
     * @return the options the broker was started with
     */
    public EmbeddedKafkaOptions options() {
        return options;
    }

    /**
     * Shuts the broker down (controlled shutdown, then the controller) and waits for its threads.
     * Deletes the log directory when it is temporary. Idempotent.
     *
     * @throws EmbeddedRuntimeException when shutdown fails
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        try {
            cluster.close();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new EmbeddedRuntimeException(
                    "Kafka: broker at " + bootstrapServers + " failed to shut down cleanly", e);
        }
        LOG.info(
                "Kafka broker at {} stopped in {} ms",
                bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /** Broker configuration: embedded defaults, then the listener, then the user's overrides. */
    static Map<String, String> brokerConfig(EmbeddedKafkaOptions options) {
        String partitions = Integer.toString(options.partitions());
        Map<String, String> c = new LinkedHashMap<>();
        // One broker: every internal topic has a single replica.
        c.put("offsets.topic.replication.factor", "1");
        c.put("offsets.topic.num.partitions", partitions);
        c.put("transaction.state.log.replication.factor", "1");
        c.put("transaction.state.log.min.isr", "1");
        c.put("transaction.state.log.num.partitions", partitions);
        c.put("share.coordinator.state.topic.replication.factor", "1");
        c.put("share.coordinator.state.topic.min.isr", "1");
        c.put("default.replication.factor", "1");
        c.put("min.insync.replicas", "1");
        c.put("num.partitions", partitions);
        // Topics are declared (createTopics); a typo must not create a topic silently.
        c.put("auto.create.topics.enable", "false");
        c.put("group.initial.rebalance.delay.ms", "0");
        // 2-core machines: few request and background threads.
        c.put("num.network.threads", "2");
        c.put("num.io.threads", "2");
        c.put("background.threads", "2");
        c.put("num.recovery.threads.per.data.dir", "1");
        c.put("log.cleaner.threads", "1");
        // Production APIs and feature versions only (the kit enables unstable ones by default).
        c.put("unstable.api.versions.enable", "false");
        c.put("unstable.feature.versions.enable", "false");
        if (options.port() > 0) {
            c.put(
                    "listeners",
                    "EXTERNAL://localhost:0,CONTROLLER://localhost:0,"
                            + HOST_LISTENER
                            + "://localhost:"
                            + options.port());
            c.put(
                    "listener.security.protocol.map",
                    "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT," + HOST_LISTENER + ":PLAINTEXT");
        }
        c.putAll(options.brokerProperties());
        return c;
    }

    /** Bootstrap metadata at the latest production metadata version and feature levels. */
    private static BootstrapMetadata productionBootstrapMetadata() {
        MetadataVersion mv = MetadataVersion.latestProduction();
        Map<String, Short> features = new TreeMap<>();
        for (Feature f : Feature.PRODUCTION_FEATURES) {
            features.put(f.featureName(), f.defaultLevel(mv));
        }
        return BootstrapMetadata.fromVersions(mv, features, "hyperrec embedded runtime");
    }

    /**
     * The cluster id of an already formatted log directory (its combined node's {@code
     * meta.properties}), or empty when the directory was never formatted.
     */
    static Optional<String> existingClusterId(Path dir) {
        Path meta = dir.resolve("combined_0_0").resolve("meta.properties");
        if (!Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            p.load(in);
        } catch (IOException e) {
            throw new EmbeddedRuntimeException("Kafka: cannot read " + meta, e);
        }
        String id = p.getProperty("cluster.id");
        if (id == null || id.isBlank()) {
            throw new EmbeddedRuntimeException(
                    "Kafka: " + meta + " has no cluster.id; delete " + dir + " to start afresh");
        }
        return Optional.of(id);
    }

    private static List<String> names(Collection<TopicSpec> specs) {
        List<String> names = new ArrayList<>(specs.size());
        specs.forEach(s -> names.add(s.name()));
        return names;
    }

    private static void closeQuietly(KafkaClusterTestKit cluster, Exception failure) {
        if (cluster == null) {
            return;
        }
        try {
            cluster.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }
}
