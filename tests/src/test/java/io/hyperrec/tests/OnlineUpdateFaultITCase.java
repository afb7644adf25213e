package io.hyperrec.tests;

import static io.hyperrec.tests.OnlineJobFixtures.countPerUser;
import static io.hyperrec.tests.OnlineJobFixtures.interactions;
import static io.hyperrec.tests.OnlineJobFixtures.jobUp;
import static io.hyperrec.tests.OnlineJobFixtures.producer;
import static io.hyperrec.tests.OnlineJobFixtures.saveModel;
import static io.hyperrec.tests.OnlineJobFixtures.settings;
import static io.hyperrec.tests.OnlineJobFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.hyperrec.app.runtime.EmbeddedFlink;
import io.hyperrec.app.runtime.EmbeddedFlinkOptions;
import io.hyperrec.app.runtime.EmbeddedKafka;
import io.hyperrec.app.runtime.EmbeddedKafkaOptions;
import io.hyperrec.jobs.online.OnlineUpdateJob;
import io.hyperrec.schemas.Topics;
import io.hyperrec.schemas.avro.Interaction;
import io.hyperrec.tests.OnlineJobFixtures.OutputReader;
import io.hyperrec.tests.OnlineJobFixtures.Update;
import io.hyperrec.tests.OnlineJobFixtures.UpdateKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OnlineUpdateJob killed mid-stream and restored from its retained checkpoint ends with exactly
 * the embeddings of an uninterrupted run, loses no interaction, and replays idempotently.
 *
 * <p>Two runs over the same interactions (3,000 clicks of 200 users, 50 of them unknown to the
 * model, on 300 items; 2 partitions keyed by user), each on a fresh broker, on one MiniCluster with
 * parallelism 2 and RocksDB state:
 *
 * <ul>
 *   <li><b>reference</b>: all interactions, then one job reads them all;
 *   <li><b>fault</b>: a job reads the first half; a checkpoint is taken once every update of the
 *       first half is out; the second half is then produced one record at a time by another thread
 *       while the job runs, and the job is cancelled once it has emitted updates past the
 *       checkpoint (that work is lost and must be replayed); a new job restores the checkpoint and
 *       reads on to the end.
 * </ul>
 *
 * <p>A step's negatives are seeded by (user, version, partition, offset), so both runs must put
 * every interaction at the same partition and offset; the test checks that before comparing.
 * Periodic checkpoints are effectively off (interval one day): the one checkpoint the test triggers
 * is the one the job restores, so the replay is known to be non-empty. Every wait is on a condition
 * with a deadline.
 */
class OnlineUpdateFaultITCase {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int PARTITIONS = 2;
    private static final int INTERACTIONS = 3000;
    private static final int USERS = 200;
    private static final int MODEL_USERS = 150;
    private static final int ITEMS = 300;

    /** Updates past the checkpoint the killed job must have emitted before it is cancelled. */
    private static final int LOST_BEFORE_KILL = 200;

    @TempDir static Path tmp;

    private static EmbeddedFlink flink;
    private static String modelDir;

    @BeforeAll
    static void startFlink() {
        flink =
                EmbeddedFlink.start(
                        EmbeddedFlinkOptions.builder()
                                .taskSlots(PARTITIONS)
                                .checkpointInterval(Duration.ofDays(1))
                                .build());
        modelDir = saveModel(tmp, 41, MODEL_USERS, ITEMS);
    }

    @AfterAll
    static void stopFlink() {
        if (flink != null) {
            flink.close();
        }
    }

    /** What a run produced: input coordinates, updates in read order, and facts about the kill. */
    private record Run(
            List<String> inputCoordinates,
            List<Update> updates,
            Map<String, Update> latest,
            FaultFacts fault) {}

    /**
     * @param checkpointId the checkpoint taken after the first half
     * @param producedAtKill second-half records produced when the cancel was issued
     * @param lostAtKill updates past the checkpoint read before the cancel (replayed later)
     * @param restoredFrom the checkpoint the restored job says it restored, -1 if none
     */
    private record FaultFacts(
            long checkpointId, int producedAtKill, int lostAtKill, long restoredFrom) {}

    @Test
    void restoredJobEndsWithTheEmbeddingsOfAnUninterruptedRunAndReplaysIdempotently()
            throws Exception {
        List<Interaction> input = interactions(42, INTERACTIONS, USERS, ITEMS);
        Map<String, Integer> expected = countPerUser(input);
        Map<String, Integer> firstHalf = countPerUser(input.subList(0, INTERACTIONS / 2));

        long t0 = System.nanoTime();
        Run reference = referenceRun(input, expected);
        long t1 = System.nanoTime();
        Run fault = faultRun(input, expected, firstHalf);
        long t2 = System.nanoTime();

        // Same input at the same coordinates (the step seeds depend on them).
        assertThat(fault.inputCoordinates()).isEqualTo(reference.inputCoordinates());

        // Reference: one update per interaction, seq 1..n per user.
        Set<UpdateKey> expectedKeys = new HashSet<>();
        expected.forEach(
                (user, n) -> {
                    for (long s = 1; s <= n; s++) {
                        expectedKeys.add(new UpdateKey(user, 1, s));
                    }
                });
        Map<UpdateKey, List<Update>> refByKey = byKey(reference.updates());
        assertThat(refByKey.keySet()).isEqualTo(expectedKeys);
        assertThat(refByKey.values())
                .as("an uninterrupted run emits each (user, version, seq) once")
                .allSatisfy(l -> assertThat(l).hasSize(1));

        // Fault: nothing lost — every (user, seq) of the reference, and each user's greatest seq
        // is its number of interactions.
        Map<UpdateKey, List<Update>> faultByKey = byKey(fault.updates());
        assertThat(faultByKey.keySet()).isEqualTo(expectedKeys);
        assertThat(fault.latest().keySet()).isEqualTo(expected.keySet());
        fault.latest()
                .forEach(
                        (user, u) ->
                                assertThat(u.seq())
                                        .as("greatest seq of %s", user)
                                        .isEqualTo((long) expected.get(user)));

        // Final embeddings equal the reference's exactly.
        Map<String, List<Float>> refFinal = finalVectors(reference.latest());
        Map<String, List<Float>> faultFinal = finalVectors(fault.latest());
        assertThat(faultFinal).isEqualTo(refFinal);

        // Replays are idempotent: duplicates carry identical vectors, and every update of the
        // fault run, replays included, is the reference's update with the same key.
        Map<UpdateKey, List<Update>> duplicated =
                faultByKey.entrySet().stream()
                        .filter(e -> e.getValue().size() > 1)
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(duplicated.values())
                .allSatisfy(
                        l ->
                                assertThat(l)
                                        .extracting(Update::vector)
                                        .containsOnly(l.get(0).vector()));
        assertThat(fault.updates())
                .allSatisfy(
                        u ->
                                assertThat(u.vector())
                                        .as("vector of %s", u.key())
                                        .isEqualTo(refByKey.get(u.key()).get(0).vector()));

        // The replay is exactly the work after the checkpoint: it covers the updates read
        // before the kill, and nothing of the first half, which the checkpoint held.
        assertThat(fault.fault().producedAtKill())
                .as("second-half records produced when the job was killed (mid-stream)")
                .isLessThan(INTERACTIONS - INTERACTIONS / 2);
        int duplicates = fault.updates().size() - faultByKey.size();
        assertThat(duplicates).isGreaterThanOrEqualTo(fault.fault().lostAtKill());
        assertThat(duplicated.keySet())
                .allSatisfy(
                        k ->
                                assertThat(k.seq())
                                        .as("replayed %s", k)
                                        .isGreaterThan(firstHalf.getOrDefault(k.user(), 0)));
        assertThat(fault.fault().restoredFrom()).isEqualTo(fault.fault().checkpointId());

        System.out.printf(
                "OnlineUpdateFaultITCase: reference run %d ms (%d updates); fault run %d ms"
                        + " (%d updates, %d distinct): checkpoint %d after the first %d"
                        + " interactions, killed with %d of %d second-half records produced and %d"
                        + " updates past the checkpoint read; %d replayed duplicates over %d keys,"
                        + " all identical%n",
                TimeUnit.NANOSECONDS.toMillis(t1 - t0),
                reference.updates().size(),
                TimeUnit.NANOSECONDS.toMillis(t2 - t1),
                fault.updates().size(),
                faultByKey.size(),
                fault.fault().checkpointId(),
                INTERACTIONS / 2,
                fault.fault().producedAtKill(),
                INTERACTIONS - INTERACTIONS / 2,
                fault.fault().lostAtKill(),
                duplicates,
                duplicated.size());
    }

    /** All interactions, then one job over them, read until every user's last update. */
    private static Run referenceRun(List<Interaction> input, Map<String, Integer> expected)
            throws Exception {
        try (EmbeddedKafka kafka = startKafka();
                KafkaProducer<byte[], byte[]> producer = producer(kafka);
                OutputReader reader = new OutputReader(kafka)) {
            List<String> coordinates = produceAll(producer, input);
            JobID job = null;
            try {
                job = flink.submit(job(flink.createEnvironment(), kafka), "online-update (ref)");
                reader.awaitUntil(
                        () -> reader.reached(expected),
                        TIMEOUT,
                        "every user's last update (reference)",
                        () -> reader.missing(expected),
                        jobUp(flink, job));
            } finally {
                cancelIfRunning(job);
            }
            return new Run(coordinates, reader.updates(), reader.latest(), null);
        }
    }

    /**
     * A job over the first half; a checkpoint; the second half produced by another thread while the
     * job runs; the job cancelled once updates past the checkpoint are out; a job restored from the
     * checkpoint reads on to the end.
     */
    private static Run faultRun(
            List<Interaction> input, Map<String, Integer> expected, Map<String, Integer> firstHalf)
            throws Exception {
        int half = INTERACTIONS / 2;
        ExecutorService producing = Executors.newSingleThreadExecutor();
        try (EmbeddedKafka kafka = startKafka();
                KafkaProducer<byte[], byte[]> producer = producer(kafka);
                OutputReader reader = new OutputReader(kafka)) {
            JobID first = null;
            JobID second = null;
            try {
                first = flink.submit(job(flink.createEnvironment(), kafka), "online-update");
                flink.awaitAllTasksRunning(first, TIMEOUT);
                List<String> coordinates =
                        new ArrayList<>(produceAll(producer, input.subList(0, half)));
                reader.awaitUntil(
                        () -> reader.reached(firstHalf),
                        TIMEOUT,
                        "every update of the first half",
                        () -> reader.missing(firstHalf),
                        jobUp(flink, first));

                // Every update of the first half is out, so this checkpoint holds all of it.
                String checkpoint = flink.triggerCheckpoint(first);
                long checkpointId = checkpointId(checkpoint);

                AtomicInteger produced = new AtomicInteger();
                Future<List<String>> rest =
                        producing.submit(
                                () ->
                                        produceOneByOne(
                                                producer,
                                                input.subList(half, INTERACTIONS),
                                                produced));
                reader.awaitUntil(
                        () -> pastCheckpoint(reader.updates(), firstHalf) >= LOST_BEFORE_KILL,
                        TIMEOUT,
                        LOST_BEFORE_KILL + " updates past the checkpoint",
                        () -> pastCheckpoint(reader.updates(), firstHalf) + " past the checkpoint",
                        jobUp(flink, first));
                int producedAtKill = produced.get();
                int lostAtKill = pastCheckpoint(reader.updates(), firstHalf);
                flink.cancel(first, TIMEOUT);

                String retained = flink.latestRetainedCheckpoint(first).orElseThrow();
                second =
                        flink.submit(
                                job(flink.restoreEnvironment(retained), kafka),
                                "online-update (restored)");
                coordinates.addAll(rest.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
                reader.awaitUntil(
                        () -> reader.reached(expected),
                        TIMEOUT,
                        "every user's last update (restored job)",
                        () -> reader.missing(expected),
                        jobUp(flink, second));
                long restoredFrom = flink.restoredCheckpointId(second).orElse(-1);
                return new Run(
                        coordinates,
                        reader.updates(),
                        reader.latest(),
                        new FaultFacts(checkpointId, producedAtKill, lostAtKill, restoredFrom));
            } finally {
                producing.shutdownNow();
                cancelIfRunning(first);
                cancelIfRunning(second);
            }
        }
    }

    private static EmbeddedKafka startKafka() {
        EmbeddedKafka kafka =
                EmbeddedKafka.start(EmbeddedKafkaOptions.builder().partitions(PARTITIONS).build());
        kafka.createHyperrecTopics();
        return kafka;
    }

    private static StreamExecutionEnvironment job(
            StreamExecutionEnvironment env, EmbeddedKafka kafka) {
        OnlineUpdateJob.addTo(env, settings(kafka, "it-online-update", modelDir));
        return env;
    }

    /** Sends all records, then waits for every acknowledgement; returns partition@offset each. */
    private static List<String> produceAll(
            KafkaProducer<byte[], byte[]> producer, List<Interaction> records) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        for (Interaction i : records) {
            sent.add(producer.send(record(i)));
        }
        List<String> coordinates = new ArrayList<>(sent.size());
        for (Future<RecordMetadata> f : sent) {
            coordinates.add(coordinate(f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)));
        }
        return coordinates;
    }

    /** Sends one record at a time, each acknowledged before the next (a live stream's pace). */
    private static List<String> produceOneByOne(
            KafkaProducer<byte[], byte[]> producer, List<Interaction> records, AtomicInteger done)
            throws Exception {
        List<String> coordinates = new ArrayList<>(records.size());
        for (Interaction i : records) {
            coordinates.add(
                    coordinate(
                            producer.send(record(i)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)));
            done.incrementAndGet();
        }
        return coordinates;
    }

    private static ProducerRecord<byte[], byte[]> record(Interaction i) {
        return new ProducerRecord<>(
                Topics.INTERACTIONS,
                utf8(i.getUser().toString()),
                OnlineJobFixtures.INTERACTIONS.encode(i));
    }

    private static String coordinate(RecordMetadata m) {
        return m.partition() + "@" + m.offset();
    }

    /** Updates whose seq lies beyond the user's first-half count: work after the checkpoint. */
    private static int pastCheckpoint(List<Update> updates, Map<String, Integer> firstHalf) {
        int n = 0;
        for (Update u : updates) {
            if (u.seq() > firstHalf.getOrDefault(u.user(), 0)) {
                n++;
            }
        }
        return n;
    }

    private static Map<UpdateKey, List<Update>> byKey(List<Update> updates) {
        Map<UpdateKey, List<Update>> m = new HashMap<>();
        updates.forEach(u -> m.computeIfAbsent(u.key(), k -> new ArrayList<>()).add(u));
        return m;
    }

    private static Map<String, List<Float>> finalVectors(Map<String, Update> latest) {
        Map<String, List<Float>> m = new HashMap<>();
        latest.forEach((user, u) -> m.put(user, u.vector()));
        return m;
    }

    /** The {@code n} of a {@code .../chk-<n>} location (a URI or a path). */
    private static long checkpointId(String checkpointPath) {
        String trimmed = checkpointPath.replaceAll("/+$", "");
        String name = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        assertThat(name).startsWith("chk-");
        return Long.parseLong(name.substring("chk-".length()));
    }

    private static void cancelIfRunning(JobID job) {
        if (job != null && !flink.jobStatus(job).isGloballyTerminalState()) {
            flink.cancel(job, TIMEOUT);
        }
    }
}
