package io.hyperrec.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyperrec.schemas.Topics;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded runtime for real: an in-process KRaft broker and a MiniCluster with RocksDB state, a
 * job reading with {@link KafkaSource} and writing with {@link KafkaSink}, cancelled and restored
 * from its retained checkpoint. Parallelism 2 over 2 partitions. Every wait is on a condition.
 */
class EmbeddedRuntimeITCase {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int PARTITIONS = 2;
    private static final List<String> USERS = List.of("u0", "u1", "u2", "u3", "u4", "u5");

    private static EmbeddedKafka kafka;
    private static EmbeddedFlink flink;

    @BeforeAll
    static void startRuntime() {
        kafka = EmbeddedKafka.start(EmbeddedKafkaOptions.builder().partitions(PARTITIONS).build());
        flink =
                EmbeddedFlink.start(
                        EmbeddedFlinkOptions.builder()
                                .taskSlots(PARTITIONS)
                                .checkpointInterval(Duration.ofMillis(300))
                                .build());
        System.out.printf(
                "embedded runtime started: Kafka broker %d ms, Flink MiniCluster %d ms%n",
                kafka.startupTime().toMillis(), flink.startupTime().toMillis());
    }

    @AfterAll
    static void stopRuntime() {
        // Flink first: its Kafka clients would otherwise retry against a stopped broker.
        try {
            if (flink != null) {
                flink.close();
            }
        } finally {
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    @Test
    void createsHyperrecTopicsIdempotentlyWithTheirConfigs() throws Exception {
        kafka.createHyperrecTopics();
        assertThat(kafka.createHyperrecTopics()).as("second call creates nothing").isEmpty();

        List<String> names = new ArrayList<>();
        EmbeddedKafka.hyperrecTopics(PARTITIONS).forEach(t -> names.add(t.name()));
        assertThat(names)
                .contains(
                        Topics.INTERACTIONS,
                        Topics.ITEMS_NEW,
                        Topics.ITEMS_ENRICHED,
                        Topics.MODEL_UPDATES,
                        Topics.MODEL_VERSIONS,
                        Topics.MODEL_ITEMS,
                        Topics.deadLetter(Topics.INTERACTIONS),
                        Topics.deadLetter(Topics.ITEMS_NEW));
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            Map<String, TopicDescription> described =
                    admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            assertThat(described).containsOnlyKeys(names);
            assertThat(described.values())
                    .allSatisfy(d -> assertThat(d.partitions()).hasSize(PARTITIONS));
            ConfigResource enriched =
                    new ConfigResource(ConfigResource.Type.TOPIC, Topics.ITEMS_ENRICHED);
            Config config =
                    admin.describeConfigs(List.of(enriched))
                            .all()
                            .get(30, TimeUnit.SECONDS)
                            .get(enriched);
            assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
                    .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
        }
    }

    @Test
    void keyedRocksDbCountersContinueFromTheRetainedCheckpointAfterCancel() throws Exception {
        String in = "it.clicks";
        String out = "it.click-counts";
        kafka.createTopics(
                List.of(
                        new EmbeddedKafka.TopicSpec(in, PARTITIONS, Map.of()),
                        new EmbeddedKafka.TopicSpec(out, PARTITIONS, Map.of())));
        try (KafkaProducer<String, String> producer = producer();
                CountReader counts = new CountReader(out)) {
            produce(producer, in, 1, 3);
            JobID first = flink.submit(counterJob(flink.createEnvironment(), in, out), "counter");
            counts.awaitUntil(c -> c.reachedForAll(3));
            assertThat(rocksDbInstancesOf(first)).as("keyed state lives in RocksDB").isNotEmpty();

            // The counters for sequence 1..3 are in the state of a checkpoint triggered now.
            EmbeddedFlink.CompletedCheckpoint checkpoint =
                    flink.awaitNextCompletedCheckpoint(first, TIMEOUT);
            flink.cancel(first, TIMEOUT);
            String retained = flink.latestRetainedCheckpoint(first).orElseThrow();
            assertThat(checkpointId(retained)).isGreaterThanOrEqualTo(checkpoint.id());

            // Records arriving while no job runs are read after the restore, from the
            // checkpointed offsets: neither lost nor preceded by a replay of 1..3.
            produce(producer, in, 4, 5);
            JobID second =
                    flink.submit(
                            counterJob(flink.restoreEnvironment(retained), in, out),
                            "counter (restored)");
            counts.awaitUntil(c -> c.reachedForAll(5));
            assertThat(flink.restoredCheckpointId(second)).hasValue(checkpointId(retained));
            String savepoint = flink.stopWithSavepoint(second, TIMEOUT);
            assertThat(Path.of(URI.create(savepoint)).resolve("_metadata")).isRegularFile();

            // Every output carries (input sequence, count): they agree only if the count went on
            // from the restored 3 and no input was counted twice or skipped.
            assertThat(counts.byUser()).containsOnlyKeys(USERS);
            counts.byUser()
                    .forEach(
                            (user, outputs) ->
                                    assertThat(outputs)
                                            .as("outputs of %s as [sequence, count]", user)
                                            .containsExactly(
                                                    List.of(1L, 1L),
                                                    List.of(2L, 2L),
                                                    List.of(3L, 3L),
                                                    List.of(4L, 4L),
                                                    List.of(5L, 5L)));
        }
    }

    @Test
    void brokerKeepsTopicsAndRecordsAcrossARestartOnTheSameLogDir(@TempDir Path logDir)
            throws Exception {
        String topic = "it.kept";
        try (EmbeddedKafka first =
                EmbeddedKafka.start(EmbeddedKafkaOptions.builder().logDir(logDir).build())) {
            assertThat(first.formattedOnStart()).isTrue();
            first.createTopics(List.of(new EmbeddedKafka.TopicSpec(topic, PARTITIONS, Map.of())));
            try (KafkaProducer<String, String> producer = producer(first)) {
                for (String user : USERS) {
                    producer.send(new ProducerRecord<>(topic, user, user))
                            .get(30, TimeUnit.SECONDS);
                }
            }
        }
        assertThat(logDir).as("a persistent log directory is kept on close").isNotEmptyDirectory();

        int port = freePort();
        try (EmbeddedKafka second =
                EmbeddedKafka.start(
                        EmbeddedKafkaOptions.builder().logDir(logDir).port(port).build())) {
            assertThat(second.formattedOnStart()).isFalse();
            assertThat(second.bootstrapServers()).isEqualTo("localhost:" + port);
            assertThat(
                            second.createTopics(
                                    List.of(
                                            new EmbeddedKafka.TopicSpec(
                                                    topic, PARTITIONS, Map.of()))))
                    .isEmpty();
            try (KafkaConsumer<String, String> consumer = consumer(second)) {
                List<TopicPartition> partitions = partitions(consumer, topic);
                consumer.assign(partitions);
                long records =
                        consumer.endOffsets(partitions).values().stream()
                                .mapToLong(Long::longValue)
                                .sum();
                assertThat(records).isEqualTo(USERS.size());
            }
        }
    }

    /**
     * The job under test: {@code user:seq} records keyed by user, counted in a RocksDB {@link
     * ValueState}, written as {@code user:seq:count}.
     */
    private static StreamExecutionEnvironment counterJob(
            StreamExecutionEnvironment env, String in, String out) {
        KafkaSource<String> source =
                KafkaSource.<String>builder()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .setTopics(in)
                        .setGroupId("it-counter")
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setValueOnlyDeserializer(new SimpleStringSchema())
                        .build();
        KafkaSink<String> sink =
                KafkaSink.<String>builder()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .setRecordSerializer(
                                KafkaRecordSerializationSchema.<String>builder()
                                        .setTopic(out)
                                        .setKeySerializationSchema(
                                                (String v) ->
                                                        v.substring(0, v.indexOf(':'))
                                                                .getBytes(StandardCharsets.UTF_8))
                                        .setValueSerializationSchema(new SimpleStringSchema())
                                        .build())
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "clicks")
                .uid("it-clicks-source")
                .keyBy(v -> v.substring(0, v.indexOf(':')))
                .process(new CountPerUser())
                .uid("it-count-per-user")
                .name("count per user")
                .sinkTo(sink)
                .uid("it-counts-sink")
                .name("counts");
        return env;
    }

    /** Counts records per key in RocksDB; emits {@code <input>:<count>}. */
    static final class CountPerUser extends KeyedProcessFunction<String, String, String> {
        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext ctx) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(String value, Context ctx, Collector<String> outputs)
                throws IOException {
            Long previous = count.value();
            long next = previous == null ? 1 : previous + 1;
            count.update(next);
            outputs.collect(value + ":" + next);
        }
    }

    private static void produce(
            KafkaProducer<String, String> producer, String topic, int fromSeq, int toSeq)
            throws Exception {
        for (int seq = fromSeq; seq <= toSeq; seq++) {
            for (String user : USERS) {
                producer.send(new ProducerRecord<>(topic, user, user + ":" + seq))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static KafkaProducer<String, String> producer() {
        return producer(kafka);
    }

    private static KafkaProducer<String, String> producer(EmbeddedKafka broker) {
        Properties p = broker.clientProperties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static KafkaConsumer<String, String> consumer(EmbeddedKafka broker) {
        Properties p = broker.clientProperties();
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }

    private static List<TopicPartition> partitions(
            KafkaConsumer<String, String> consumer, String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topic)
                .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
        return partitions;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static List<Path> rocksDbInstancesOf(JobID job) throws IOException {
        Path local = flink.workDir().resolve("rocksdb");
        try (Stream<Path> dirs = Files.walk(local, 3)) {
            return dirs.filter(
                            p -> p.getFileName().toString().startsWith("job_" + job.toHexString()))
                    .toList();
        }
    }

    private static long checkpointId(String checkpointPath) {
        String name = Path.of(URI.create(checkpointPath)).getFileName().toString();
        assertThat(name).startsWith("chk-");
        return Long.parseLong(name.substring("chk-".length()));
    }

    /** Reads the output topic from the beginning; outputs per user as [sequence, count]. */
    private static final class CountReader implements AutoCloseable {
        private final KafkaConsumer<String, String> consumer;
        private final Map<String, List<List<Long>>> byUser = new TreeMap<>();

        CountReader(String topic) {
            consumer = consumer(kafka);
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        void awaitUntil(Predicate<CountReader> condition) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!condition.test(this)) {
                assertThat(System.nanoTime()).as("outputs so far: %s", byUser).isLessThan(deadline);
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    String[] parts = r.value().split(":");
                    assertThat(parts).hasSize(3);
                    assertThat(r.key()).isEqualTo(parts[0]);
                    byUser.computeIfAbsent(parts[0], u -> new ArrayList<>())
                            .add(List.of(Long.parseLong(parts[1]), Long.parseLong(parts[2])));
                }
            }
        }

        boolean reachedForAll(long sequence) {
            return USERS.stream()
                    .allMatch(
                            u ->
                                    byUser.getOrDefault(u, List.of()).stream()
                                            .anyMatch(o -> o.get(0) == sequence));
        }

        Map<String, List<List<Long>>> byUser() {
            return byUser;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
