package io.hyperrec.tests;

import static io.hyperrec.tests.OnlineJobFixtures.countPerUser;
import static io.hyperrec.tests.OnlineJobFixtures.interaction;
import static io.hyperrec.tests.OnlineJobFixtures.interactions;
import static io.hyperrec.tests.OnlineJobFixtures.jobUp;
import static io.hyperrec.tests.OnlineJobFixtures.producer;
import static io.hyperrec.tests.OnlineJobFixtures.requireDeadLettersSurviveTheJobGraph;
import static io.hyperrec.tests.OnlineJobFixtures.rest;
import static io.hyperrec.tests.OnlineJobFixtures.saveModel;
import static io.hyperrec.tests.OnlineJobFixtures.settings;
import static io.hyperrec.tests.OnlineJobFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperrec.app.runtime.EmbeddedFlink;
import io.hyperrec.app.runtime.EmbeddedFlinkOptions;
import io.hyperrec.app.runtime.EmbeddedKafka;
import io.hyperrec.app.runtime.EmbeddedKafkaOptions;
import io.hyperrec.jobs.online.OnlineUpdateJob;
import io.hyperrec.schemas.Topics;
import io.hyperrec.schemas.avro.DeadLetter;
import io.hyperrec.schemas.avro.Interaction;
import io.hyperrec.tests.OnlineJobFixtures.Dead;
import io.hyperrec.tests.OnlineJobFixtures.OutputReader;
import io.hyperrec.tests.OnlineJobFixtures.Update;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input never kills the OnlineUpdateJob: corrupt records between good ones go to {@code
 * interactions.dlq} with a reason naming the problem, their original bytes and key and their source
 * coordinates; every good record still gives exactly one update; the job keeps running without a
 * restart, and its {@code deadLetters} counter counts them.
 *
 * <p>An in-process broker and a MiniCluster (parallelism 2, RocksDB, checkpoints every second); 600
 * good clicks of 40 users with one bad record in every 20 (30 in all, the {@link Corruption} kinds
 * in turn), each keyed by the user of the next good record so that it sits in that user's partition
 * between their good records; good records follow the last bad one. Every wait is on a condition
 * with a deadline.
 */
class DeadLetterITCase {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int PARTITIONS = 2;
    private static final int GOOD = 600;
    private static final int USERS = 40;
    private static final int ITEMS = 100;
    private static final int BAD_EVERY = 20;

    /** How often the REST API is asked again while a metric has not caught up. */
    private static final long METRIC_POLL_MILLIS = 100;

    @TempDir static Path tmp;

    private static EmbeddedKafka kafka;
    private static EmbeddedFlink flink;
    private static String modelDir;

    /** The kinds of bad records, each with what its dead-letter reason must say. */
    enum Corruption {
        RANDOM_BYTES("value is not an Interaction record", "unknown wire format"),
        UNKNOWN_FINGERPRINT("value is not an Interaction record", "unknown schema fingerprint"),
        CONFLUENT_UNKNOWN_ID("value is not an Interaction record", "unknown schema id 2147483647"),
        JSON("value is not an Interaction record", "looks like JSON"),
        TRUNCATED_AVRO("malformed single-object Interaction", "truncated", "eventTime"),
        EMPTY_VALUE("value is not an Interaction record", "empty value"),
        EMPTY_USER("field 'user' must be a non-empty id, got ''"),
        NEGATIVE_WEIGHT("field 'weight' must be a finite number > 0, got -1.0"),
        NAN_WEIGHT("field 'weight' must be a finite number > 0, got NaN"),
        CONTROL_CHARACTER_IN_ITEM("field 'item' must not contain control characters"),
        TOMBSTONE("value is null (a tombstone)");

        private final String[] reasonParts;

        Corruption(String... reasonParts) {
            this.reasonParts = reasonParts;
        }

        /** A bad value of this kind ({@code null} for the tombstone). */
        byte[] value(Random random, String user) {
            Interaction good = interaction(user, "i1", 1f, 0);
            return switch (this) {
                case RANDOM_BYTES -> {
                    byte[] b = new byte[32];
                    random.nextBytes(b);
                    b[0] = (byte) 0x9A; // neither a single-object (C3) nor a Confluent (00) header
                    yield b;
                }
                case UNKNOWN_FINGERPRINT -> {
                    byte[] b = new byte[24];
                    random.nextBytes(b);
                    b[0] = (byte) 0xC3;
                    b[1] = 0x01;
                    yield b;
                }
                case CONFLUENT_UNKNOWN_ID -> {
                    byte[] b = new byte[16];
                    random.nextBytes(b);
                    b[0] = 0;
                    b[1] = 0x7F; // schema id 2^31 - 1: no registry has it
                    b[2] = (byte) 0xFF;
                    b[3] = (byte) 0xFF;
                    b[4] = (byte) 0xFF;
                    yield b;
                }
                case JSON ->
                        ("{\"user\":\""
                                        + user
                                        + "\",\"item\":\"i1\",\"type\":\"CLICK\",\"weight\":1.0}")
                                .getBytes(StandardCharsets.UTF_8);
                case TRUNCATED_AVRO -> {
                    byte[] whole = OnlineJobFixtures.INTERACTIONS.encode(good);
                    yield Arrays.copyOf(whole, whole.length - 3);
                }
                case EMPTY_VALUE -> new byte[0];
                case EMPTY_USER ->
                        OnlineJobFixtures.INTERACTIONS.encode(interaction("", "i1", 1f, 0));
                case NEGATIVE_WEIGHT ->
                        OnlineJobFixtures.INTERACTIONS.encode(interaction(user, "i1", -1f, 0));
                case NAN_WEIGHT ->
                        OnlineJobFixtures.INTERACTIONS.encode(
                                interaction(user, "i1", Float.NaN, 0));
                case CONTROL_CHARACTER_IN_ITEM ->
                        OnlineJobFixtures.INTERACTIONS.encode(interaction(user, "i\u00071", 1f, 0));
                case TOMBSTONE -> null;
            };
        }
    }

    /** A bad record as produced: its kind, key, value and where it landed. */
    private record Bad(Corruption kind, byte[] key, byte[] value, int partition, long offset) {}

    @BeforeAll
    static void startRuntime() throws Exception {
        requireDeadLettersSurviveTheJobGraph();
        kafka = EmbeddedKafka.start(EmbeddedKafkaOptions.builder().partitions(PARTITIONS).build());
        kafka.createHyperrecTopics();
        flink =
                EmbeddedFlink.start(
                        EmbeddedFlinkOptions.builder()
                                .taskSlots(PARTITIONS)
                                .checkpointInterval(Duration.ofSeconds(1))
                                // The REST API's metric values are at most this old (default 10 s).
                                .flinkConfig("metrics.fetcher.update-interval", "100")
                                .build());
        modelDir = saveModel(tmp, 7, 30, ITEMS);
    }

    @AfterAll
    static void stopRuntime() {
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
    void badRecordsAreDeadLetteredWithReasonBytesAndCoordinatesWhileGoodOnesUpdateOnce()
            throws Exception {
        List<Interaction> good = interactions(8, GOOD, USERS, ITEMS);
        Map<String, Integer> expected = countPerUser(good);
        Random random = new Random(9);
        Corruption[] kinds = Corruption.values();

        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka);
                OutputReader reader = new OutputReader(kafka)) {
            StreamExecutionEnvironment env = flink.createEnvironment();
            OnlineUpdateJob.addTo(env, settings(kafka, "it-dead-letters", modelDir));
            JobID job = flink.submit(env, "online-update (dead letters)");
            try {
                flink.awaitAllTasksRunning(job, TIMEOUT);

                // One bad record in every 20, keyed by the next good record's user, kinds in
                // turn; the stream ends with good records after the last bad one.
                List<Future<RecordMetadata>> badSent = new ArrayList<>();
                List<ProducerRecord<byte[], byte[]>> badRecords = new ArrayList<>();
                List<Future<RecordMetadata>> goodSent = new ArrayList<>();
                for (int k = 0; k < GOOD; k++) {
                    Interaction i = good.get(k);
                    goodSent.add(
                            producer.send(
                                    new ProducerRecord<>(
                                            Topics.INTERACTIONS,
                                            utf8(i.getUser().toString()),
                                            OnlineJobFixtures.INTERACTIONS.encode(i))));
                    if (k % BAD_EVERY == BAD_EVERY / 2) {
                        Corruption kind = kinds[badRecords.size() % kinds.length];
                        String user = good.get(k + 1).getUser().toString();
                        ProducerRecord<byte[], byte[]> r =
                                new ProducerRecord<>(
                                        Topics.INTERACTIONS, utf8(user), kind.value(random, user));
                        badRecords.add(r);
                        badSent.add(producer.send(r));
                    }
                }
                for (Future<RecordMetadata> f : goodSent) {
                    f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                }
                List<Bad> bad = new ArrayList<>();
                for (int b = 0; b < badRecords.size(); b++) {
                    RecordMetadata m = badSent.get(b).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    bad.add(
                            new Bad(
                                    kinds[b % kinds.length],
                                    badRecords.get(b).key(),
                                    badRecords.get(b).value(),
                                    m.partition(),
                                    m.offset()));
                }
                assertThat(bad).extracting(Bad::kind).contains(kinds);
                assertThat(bad).extracting(Bad::partition).contains(0, 1);

                reader.awaitUntil(
                        () -> reader.reached(expected) && reader.deadLetters().size() >= bad.size(),
                        TIMEOUT,
                        "every update and " + bad.size() + " dead letters",
                        () -> reader.missing(expected),
                        jobUp(flink, job));

                // Still running, never restarted (a restart would also replay, and duplicate
                // updates), and the counters agree with the topics.
                assertThat(flink.jobStatus(job)).isEqualTo(JobStatus.RUNNING);
                assertThat(jobMetric(job, "numRestarts")).isEqualTo(0);
                awaitValidatorCounters(job, bad.size(), GOOD);

                // Every good record: exactly one update, seq 1..n per user without gaps.
                Map<String, List<Long>> seqs = new TreeMap<>();
                for (Update u : reader.updates()) {
                    assertThat(u.version()).isEqualTo(1);
                    seqs.computeIfAbsent(u.user(), x -> new ArrayList<>()).add(u.seq());
                }
                assertThat(reader.updates()).hasSize(GOOD);
                assertThat(seqs.keySet()).isEqualTo(expected.keySet());
                seqs.forEach(
                        (user, s) ->
                                assertThat(s)
                                        .as("seqs of %s, in the order read", user)
                                        .containsExactlyElementsOf(range(expected.get(user))));

                // Every bad record: one dead letter, with its bytes, key, coordinates, reason.
                assertThat(reader.deadLetters()).hasSize(bad.size());
                Map<String, Dead> byCoordinates = new HashMap<>();
                for (Dead d : reader.deadLetters()) {
                    DeadLetter l = d.letter();
                    byCoordinates.put(l.getPartition() + "@" + l.getOffset(), d);
                }
                for (Bad b : bad) {
                    Dead d = byCoordinates.get(b.partition() + "@" + b.offset());
                    assertThat(d).as("dead letter of %s", b.kind()).isNotNull();
                    DeadLetter l = d.letter();
                    assertThat(l.getTopic().toString()).isEqualTo(Topics.INTERACTIONS);
                    assertThat(l.getPartition()).isEqualTo(b.partition());
                    assertThat(l.getOffset()).isEqualTo(b.offset());
                    assertThat(bytes(l.getOriginal()))
                            .as("original bytes of %s", b.kind())
                            .isEqualTo(b.value() == null ? new byte[0] : b.value());
                    assertThat(bytes(l.getOriginalKey())).isEqualTo(b.key());
                    assertThat(d.key())
                            .as("dead letter keyed by the original key")
                            .isEqualTo(b.key());
                    assertThat(l.getFailedAt()).isNotNull();
                    assertThat(l.getReason().toString())
                            .as("reason for %s", b.kind())
                            .contains(b.kind().reasonParts);
                }
                System.out.printf(
                        "DeadLetterITCase: %d good records -> %d updates, %d bad -> %d dead letters"
                                + " in %d ms; reasons:%n",
                        GOOD,
                        reader.updates().size(),
                        bad.size(),
                        reader.deadLetters().size(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                Map<Corruption, String> firstReason = new TreeMap<>();
                for (Bad b : bad) {
                    firstReason.putIfAbsent(
                            b.kind(),
                            byCoordinates
                                    .get(b.partition() + "@" + b.offset())
                                    .letter()
                                    .getReason()
                                    .toString());
                }
                firstReason.forEach((k, r) -> System.out.printf("  %s: %s%n", k, r));
            } finally {
                if (!flink.jobStatus(job).isGloballyTerminalState()) {
                    flink.cancel(job, TIMEOUT);
                }
            }
        }
    }

    private static List<Long> range(int n) {
        List<Long> r = new ArrayList<>(n);
        for (long s = 1; s <= n; s++) {
            r.add(s);
        }
        return r;
    }

    private static byte[] bytes(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    /** Waits until the validator's counters, summed over subtasks, reach the expected counts. */
    private static void awaitValidatorCounters(JobID job, long deadLetters, long accepted)
            throws Exception {
        String vertex = null;
        for (JsonNode v : rest(flink, "/jobs/" + job).get("vertices")) {
            if (v.get("name").asText().contains("validate")) {
                vertex = v.get("id").asText();
            }
        }
        assertThat(vertex).as("the vertex holding the validator").isNotNull();
        String path =
                "/jobs/"
                        + job
                        + "/vertices/"
                        + vertex
                        + "/subtasks/metrics?get=validate.deadLetters,validate.interactionsAccepted"
                        + "&agg=sum";
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Map<String, Long> sums = new TreeMap<>();
        while (true) {
            sums.clear();
            for (JsonNode m : rest(flink, path)) {
                sums.put(m.get("id").asText(), m.get("sum").asLong());
            }
            if (Long.valueOf(deadLetters).equals(sums.get("validate.deadLetters"))
                    && Long.valueOf(accepted).equals(sums.get("validate.interactionsAccepted"))) {
                return;
            }
            assertThat(System.nanoTime())
                    .as(
                            "validator counters %s; metrics of the vertex: %s",
                            sums,
                            rest(
                                    flink,
                                    "/jobs/" + job + "/vertices/" + vertex + "/subtasks/metrics"))
                    .isLessThan(deadline);
            Thread.sleep(METRIC_POLL_MILLIS); // the poll interval of a deadline-bounded wait
        }
    }

    /**
     * A job-level metric's value from the REST API, once the metric fetcher has it (the answer is
     * empty until the first fetch after the job started).
     */
    private static long jobMetric(JobID job, String name) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            JsonNode metrics = rest(flink, "/jobs/" + job + "/metrics?get=" + name);
            if (metrics.size() == 1) {
                return metrics.get(0).get("value").asLong();
            }
            assertThat(System.nanoTime())
                    .as(
                            "job metric %s; the job's metrics: %s",
                            name, rest(flink, "/jobs/" + job + "/metrics"))
                    .isLessThan(deadline);
            Thread.sleep(METRIC_POLL_MILLIS); // the poll interval of a deadline-bounded wait
        }
    }
}
