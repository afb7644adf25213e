package io.hyperrec.app.runtime;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hyperrec runtime-check} (hidden): a diagnostic that the embedded runtime works from the
 * shaded jar. It starts the in-process Kafka broker and the Flink MiniCluster in temporary
 * directories, creates hyperrec's topics, runs a keyed-count job (Kafka source, RocksDB {@link
 * ValueState}, Kafka sink) until its output adds up, waits for a checkpoint, cancels the job,
 * checks that the checkpoint was retained, prints the timings and stops. Exit status 0 when the
 * counts are right and the checkpoint retained, 1 otherwise.
 */
@Command(
        name = "runtime-check",
        hidden = true,
        mixinStandardHelpOptions = true,
        description = {
            "Diagnostic: checks the embedded runtime. Starts an in-process Kafka broker (KRaft) and a "
                    + "Flink MiniCluster with RocksDB state in temporary directories, creates hyperrec's "
                    + "topics, runs a keyed-count job from Kafka to Kafka until its output adds up, waits "
                    + "for a checkpoint, cancels the job (the checkpoint is retained), prints timings and "
                    + "stops. Exit status 0 when all of that worked."
        })
public final class RuntimeCheckCommand implements Callable<Integer> {
    private static final String IN = "runtime-check.in";
    private static final String OUT = "runtime-check.out";

    @Option(
            names = "--records",
            defaultValue = "1000",
            description = "Records sent through the job (default ${DEFAULT-VALUE}).")
    int records;

    @Option(
            names = "--keys",
            defaultValue = "10",
            description = "Distinct keys counted in RocksDB state (default ${DEFAULT-VALUE}).")
    int keys;

    @Option(
            names = "--partitions",
            defaultValue = "2",
            description =
                    "Topic partitions, task slots and job parallelism (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--timeout",
            defaultValue = "120",
            description =
                    "Seconds each step (counting, checkpoint, cancel) may take (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() {
        if (records < 1 || keys < 1 || partitions < 1 || timeoutSeconds < 1) {
            throw new IllegalArgumentException(
                    String.format(
                            "--records, --keys, --partitions and --timeout must be positive, got %d, %d, %d, %d",
                            records, keys, partitions, timeoutSeconds));
        }
        PrintStream out = System.out;
        out.println("hyperrec runtime-check");
        try {
            return run(out) ? 0 : 1;
        } catch (EmbeddedRuntimeException e) {
            out.println("FAILED: " + e.getMessage());
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                out.println("  caused by " + c);
            }
            return 1;
        }
    }

    private boolean run(PrintStream out) {
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        long closeStart;
        boolean ok;
        try (EmbeddedKafka kafka =
                EmbeddedKafka.start(
                        EmbeddedKafkaOptions.builder().partitions(partitions).build())) {
            step(
                    out,
                    "Kafka broker (KRaft, in-process) started",
                    kafka.startupTime(),
                    kafka.bootstrapServers());
            long t = System.nanoTime();
            List<EmbeddedKafka.TopicSpec> topics =
                    new ArrayList<>(EmbeddedKafka.hyperrecTopics(partitions));
            topics.add(new EmbeddedKafka.TopicSpec(IN, partitions, Map.of()));
            topics.add(new EmbeddedKafka.TopicSpec(OUT, partitions, Map.of()));
            kafka.createTopics(topics);
            step(out, topics.size() + " topics ready", since(t), "");
            t = System.nanoTime();
            produce(kafka);
            step(out, records + " records sent", since(t), "");
            try (EmbeddedFlink flink =
                    EmbeddedFlink.start(
                            EmbeddedFlinkOptions.builder()
                                    .taskSlots(partitions)
                                    .checkpointInterval(Duration.ofSeconds(1))
                                    .build())) {
                step(
                        out,
                        "Flink MiniCluster (RocksDB) started",
                        flink.startupTime(),
                        "REST " + flink.restAddress());
                t = System.nanoTime();
                JobID job =
                        flink.submit(
                                countJob(flink.createEnvironment(), kafka.bootstrapServers()),
                                "runtime-check");
                Map<String, Long> counts = readCounts(kafka, timeout);
                long total = counts.values().stream().mapToLong(Long::longValue).sum();
                step(
                        out,
                        "keyed-count job submitted and counted",
                        since(t),
                        counts.size() + " keys, " + total + " records");
                t = System.nanoTime();
                EmbeddedFlink.CompletedCheckpoint checkpoint =
                        flink.awaitNextCompletedCheckpoint(job, timeout);
                step(out, "checkpoint completed", since(t), checkpoint.externalPath());
                t = System.nanoTime();
                flink.cancel(job, timeout);
                boolean retained = flink.latestRetainedCheckpoint(job).isPresent();
                step(
                        out,
                        "job cancelled",
                        since(t),
                        retained ? "checkpoint retained" : "NO RETAINED CHECKPOINT");
                ok = counts.size() == keys && total == records && retained;
                closeStart = System.nanoTime();
            }
        }
        step(out, "shut down", since(closeStart), "");
        out.println(
                ok
                        ? "OK"
                        : "FAILED: expected "
                                + keys
                                + " keys, "
                                + records
                                + " records and a retained checkpoint");
        return ok;
    }

    private static void step(PrintStream out, String what, Duration took, String detail) {
        out.printf("  %-40s %6d ms  %s%n", what, took.toMillis(), detail);
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private void produce(EmbeddedKafka kafka) {
        Properties p = kafka.clientProperties();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < records; i++) {
                String key = "k" + (i % keys);
                producer.send(new ProducerRecord<>(IN, key, key));
            }
            producer.flush();
        }
    }

    private StreamExecutionEnvironment countJob(StreamExecutionEnvironment env, String bootstrap) {
        KafkaSource<String> source =
                KafkaSource.<String>builder()
                        .setBootstrapServers(bootstrap)
                        .setTopics(IN)
                        .setGroupId("runtime-check")
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setValueOnlyDeserializer(new SimpleStringSchema())
                        .build();
        KafkaSink<String> sink =
                KafkaSink.<String>builder()
                        .setBootstrapServers(bootstrap)
                        .setRecordSerializer(
                                KafkaRecordSerializationSchema.<String>builder()
                                        .setTopic(OUT)
                                        .setKeySerializationSchema(
                                                (String v) ->
                                                        v.substring(0, v.indexOf(':'))
                                                                .getBytes(StandardCharsets.UTF_8))
                                        .setValueSerializationSchema(new SimpleStringSchema())
                                        .build())
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "runtime-check source")
                .uid("runtime-check-source")
                .keyBy(v -> v)
                .process(new CountPerKey())
                .uid("runtime-check-count")
                .name("count per key")
                .sinkTo(sink)
                .uid("runtime-check-sink")
                .name("runtime-check sink");
        return env;
    }

    /**
     * The highest count per key in the output topic, read until the counts add up to the records
     * sent (each key's highest count is its number of records).
     */
    private Map<String, Long> readCounts(EmbeddedKafka kafka, Duration timeout) {
        Properties p = kafka.clientProperties();
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        Map<String, Long> counts = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(OUT)
                    .forEach(i -> partitions.add(new TopicPartition(OUT, i.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (counts.values().stream().mapToLong(Long::longValue).sum() < records) {
                if (System.nanoTime() > deadline) {
                    throw new EmbeddedRuntimeException(
                            "runtime-check: counts in "
                                    + OUT
                                    + " do not add up to "
                                    + records
                                    + " after "
                                    + timeout
                                    + ": "
                                    + counts);
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    long count = Long.parseLong(r.value().substring(r.value().indexOf(':') + 1));
                    counts.merge(r.key(), count, Math::max);
                }
            }
        }
        return counts;
    }

    /** Counts records per key in a RocksDB {@link ValueState}; emits {@code key:count}. */
    static final class CountPerKey extends KeyedProcessFunction<String, String, String> {
        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext ctx) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(String key, Context ctx, Collector<String> out)
                throws IOException {
            Long previous = count.value();
            long next = previous == null ? 1 : previous + 1;
            count.update(next);
            out.collect(key + ":" + next);
        }
    }
}
