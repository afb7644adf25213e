package io.hyperrec.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperrec.app.runtime.EmbeddedFlink;
import io.hyperrec.app.runtime.EmbeddedKafka;
import io.hyperrec.core.data.IdMap;
import io.hyperrec.core.geometry.Lorentz;
import io.hyperrec.core.model.TrainedModel;
import io.hyperrec.core.train.Rng;
import io.hyperrec.jobs.online.ControlEvent;
import io.hyperrec.jobs.online.KernelsFactory;
import io.hyperrec.jobs.online.OnlineUpdateJob;
import io.hyperrec.schemas.AvroCodec;
import io.hyperrec.schemas.Topics;
import io.hyperrec.schemas.avro.DeadLetter;
import io.hyperrec.schemas.avro.EmbeddingUpdate;
import io.hyperrec.schemas.avro.EntityKind;
import io.hyperrec.schemas.avro.Interaction;
import io.hyperrec.schemas.avro.InteractionType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.util.InstantiationUtil;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the end-to-end tests of the OnlineUpdateJob share: a random model snapshot, interaction
 * streams, byte-level Kafka clients, and a reader of the job's output topics that waits on
 * conditions with a deadline (never on sleeps).
 */
final class OnlineJobFixtures {
    /** Ambient dimension of the test models (8 spatial coordinates and time). */
    static final int DIM = 9;

    /** Codec of {@code interactions} values. */
    static final AvroCodec<Interaction> INTERACTIONS = AvroCodec.singleObject(Interaction.class);

    /** Codec of {@code model.updates} values. */
    static final AvroCodec<EmbeddingUpdate> UPDATES = AvroCodec.singleObject(EmbeddingUpdate.class);

    /** Codec of {@code interactions.dlq} values. */
    static final AvroCodec<DeadLetter> DEAD_LETTERS = AvroCodec.singleObject(DeadLetter.class);

    /** The dead-letter topic of {@code interactions}. */
    static final String INTERACTIONS_DLQ = Topics.deadLetter(Topics.INTERACTIONS);

    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private OnlineJobFixtures() {}

    /**
     * Saves a random model with users u1..u{users} and items i1..i{items} (points on the
     * hyperboloid: expmap₀ of uniform tangent vectors in [-0.5, 0.5)⁸) under {@code dir}.
     *
     * @return the snapshot directory, usable as a version's location
     */
    static String saveModel(Path dir, long seed, int users, int items) {
        Rng rng = new Rng(seed);
        TrainedModel m =
                new TrainedModel(
                        IdMap.sequential("u", 1, users),
                        IdMap.sequential("i", 1, items),
                        points(rng, users),
                        points(rng, items),
                        DIM,
                        Map.of("seed", seed));
        Path out = dir.resolve("model-" + seed);
        m.save(out);
        return out.toString();
    }

    private static float[] points(Rng rng, int n) {
        float[] pts = new float[n * DIM];
        float[] u = new float[DIM];
        for (int i = 0; i < n; i++) {
            for (int j = 1; j < DIM; j++) {
                u[j] = (float) (rng.nextDouble() - 0.5);
            }
            Lorentz.expmap0(u, 0, pts, i * DIM, DIM);
        }
        return pts;
    }

    /**
     * {@code n} clicks of users u1..u{users} (some unknown to a model with fewer users) on items
     * i1..i{items}, event times one millisecond apart.
     */
    static List<Interaction> interactions(long seed, int n, int users, int items) {
        Rng rng = new Rng(seed);
        List<Interaction> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            out.add(
                    interaction(
                            "u" + (1 + rng.nextInt(users)), "i" + (1 + rng.nextInt(items)), 1f, k));
        }
        return out;
    }

    /** One click, {@code k} milliseconds after the fixtures' epoch. */
    static Interaction interaction(String user, String item, float weight, long k) {
        return Interaction.newBuilder()
                .setUser(user)
                .setItem(item)
                .setType(InteractionType.CLICK)
                .setWeight(weight)
                .setEventTime(EPOCH.plusMillis(k))
                .build();
    }

    /** Interactions per user, in order of first appearance. */
    static Map<String, Integer> countPerUser(List<Interaction> interactions) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        interactions.forEach(i -> counts.merge(i.getUser(), 1, Integer::sum));
        return counts;
    }

    /** The job's settings: deterministic CPU kernels, version 1 at {@code modelDir}. */
    static OnlineUpdateJob.Settings settings(EmbeddedKafka kafka, String groupId, String modelDir) {
        return OnlineUpdateJob.Settings.defaults(
                        kafka.bootstrapServers(),
                        groupId,
                        ControlEvent.version(1, modelDir, Map.of()))
                .withKernels(KernelsFactory.cpu(true));
    }

    /** The UTF-8 bytes of a string (record keys). */
    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A producer of raw bytes that waits for every replica ({@code acks=all}), is idempotent (no
     * duplicates, order kept per partition) and sends without lingering, so that a synchronous send
     * takes one broker round trip.
     */
    static KafkaProducer<byte[], byte[]> producer(EmbeddedKafka kafka) {
        Properties p = kafka.clientProperties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /**
     * A check that the job has not failed, is not restarting and was not stopped: waiting for its
     * output makes sense. Throws with the job's exceptions (REST API) otherwise.
     */
    static Runnable jobUp(EmbeddedFlink flink, JobID job) {
        return () -> {
            JobStatus s = flink.jobStatus(job);
            if (s != JobStatus.CREATED && s != JobStatus.INITIALIZING && s != JobStatus.RUNNING) {
                String exceptions;
                try {
                    exceptions = rest(flink, "/jobs/" + job + "/exceptions").toString();
                } catch (Exception e) {
                    exceptions = "(exceptions not available: " + e + ")";
                }
                throw new AssertionError(
                        "job "
                                + job
                                + " is "
                                + s
                                + " while its output is awaited; exceptions: "
                                + exceptions.substring(0, Math.min(4000, exceptions.length())));
            }
        };
    }

    /**
     * GETs a path of the MiniCluster's REST API.
     *
     * @return the JSON answer
     * @throws AssertionError when the answer is not 200 OK
     */
    static JsonNode rest(EmbeddedFlink flink, String path) throws Exception {
        URI uri = flink.restAddress().resolve(path);
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", uri, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /**
     * Fails fast when the {@code OnlineUpdateJob} on the class path cannot encode a dead letter
     * after the Java serialisation round trip its settings make in the job graph (the collapsed
     * method references fixed in flink-jobs by commit 1a20fcb): the job would then fail on its
     * first bad record and restart forever. Names the jar the class came from, since the tests see
     * hyperrec-app's shaded jar, with its own copy of flink-jobs, first.
     */
    static void requireDeadLettersSurviveTheJobGraph() throws Exception {
        OnlineUpdateJob.Settings travelled =
                InstantiationUtil.clone(
                        OnlineUpdateJob.Settings.defaults(
                                "unused:9092", "g", ControlEvent.version(1, "/unused", Map.of())),
                        OnlineJobFixtures.class.getClassLoader());
        DeadLetter letter =
                DeadLetter.newBuilder()
                        .setReason("check")
                        .setOriginal(ByteBuffer.wrap(new byte[] {1}))
                        .setTopic(Topics.INTERACTIONS)
                        .setPartition(0)
                        .setOffset(0)
                        .setFailedAt(EPOCH)
                        .build();
        try {
            assertThat(DEAD_LETTERS.decode(travelled.deadLetterEncoder().encode(letter)))
                    .isEqualTo(letter);
        } catch (ClassCastException e) {
            throw new AssertionError(
                    "the OnlineUpdateJob loaded from "
                            + OnlineUpdateJob.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                            + " cannot encode dead letters once its settings are deserialised (fixed in"
                            + " flink-jobs 1a20fcb; a stale hyperrec-app shaded jar still carries the old"
                            + " class: re-install app)",
                    e);
        }
    }

    /**
     * A decoded {@code model.updates} record.
     *
     * @param partition the {@code model.updates} partition it was read from
     * @param offset its offset there
     */
    record Update(
            String user, long version, long seq, List<Float> vector, int partition, long offset) {
        /** The identity of an update: replays repeat it. */
        UpdateKey key() {
            return new UpdateKey(user, version, seq);
        }
    }

    /** (user, modelVersion, seq): what makes an update unique, and what a replay repeats. */
    record UpdateKey(String user, long version, long seq) {}

    /** A decoded {@code interactions.dlq} record and the key it was written under. */
    record Dead(DeadLetter letter, byte[] key) {}

    /**
     * Reads {@code model.updates} and {@code interactions.dlq} from the beginning and keeps every
     * record it has seen, in the order read. Not thread-safe: one test thread polls it.
     */
    static final class OutputReader implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<Update> updates = new ArrayList<>();
        private final List<Dead> deadLetters = new ArrayList<>();

        /** Per user, the update with the greatest (modelVersion, seq) so far. */
        private final Map<String, Update> latest = new TreeMap<>();

        OutputReader(EmbeddedKafka kafka) {
            Properties p = kafka.clientProperties();
            p.put(
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                    ByteArrayDeserializer.class.getName());
            p.put(
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                    ByteArrayDeserializer.class.getName());
            p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
            consumer = new KafkaConsumer<>(p);
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.MODEL_UPDATES, INTERACTIONS_DLQ)) {
                consumer.partitionsFor(topic)
                        .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /**
         * Polls until {@code condition} holds, checking {@code healthy} between polls.
         *
         * @param what the condition in words, for the failure message
         * @param progress what has been seen so far, for the failure message
         * @param healthy throws when waiting on makes no sense any more (the job failed)
         * @throws AssertionError when the condition does not hold within {@code timeout}
         */
        void awaitUntil(
                BooleanSupplier condition,
                Duration timeout,
                String what,
                Supplier<?> progress,
                Runnable healthy) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!condition.getAsBoolean()) {
                assertThat(System.nanoTime())
                        .as("waited %s for %s; so far: %s", timeout, what, progress.get())
                        .isLessThan(deadline);
                healthy.run();
                poll();
            }
        }

        /** One poll of at most 100 ms. */
        void poll() {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                if (r.topic().equals(Topics.MODEL_UPDATES)) {
                    EmbeddingUpdate u = UPDATES.decode(r.value());
                    assertThat(u.getKind()).isEqualTo(EntityKind.USER);
                    assertThat(r.key())
                            .as("key of update %s", u)
                            .isEqualTo(utf8(u.getId().toString()));
                    Update update =
                            new Update(
                                    u.getId().toString(),
                                    u.getModelVersion(),
                                    u.getSeq(),
                                    List.copyOf(u.getVector()),
                                    r.partition(),
                                    r.offset());
                    updates.add(update);
                    latest.merge(
                            update.user(),
                            update,
                            (a, b) ->
                                    b.version() > a.version()
                                                    || b.version() == a.version()
                                                            && b.seq() > a.seq()
                                            ? b
                                            : a);
                } else {
                    deadLetters.add(new Dead(DEAD_LETTERS.decode(r.value()), r.key()));
                }
            }
        }

        /** Every update read, in the order read. */
        List<Update> updates() {
            return updates;
        }

        /** Every dead letter read, in the order read. */
        List<Dead> deadLetters() {
            return deadLetters;
        }

        /** Per user, the update with the greatest (modelVersion, seq). */
        Map<String, Update> latest() {
            return latest;
        }

        /** The seq of {@code user}'s latest update so far, 0 when none (one version here). */
        long maxSeq(String user) {
            Update u = latest.get(user);
            return u == null ? 0 : u.seq();
        }

        /** Whether every user's greatest seq has reached its expected count. */
        boolean reached(Map<String, Integer> expectedPerUser) {
            return expectedPerUser.entrySet().stream()
                    .allMatch(e -> maxSeq(e.getKey()) >= e.getValue());
        }

        /** How far users are from their expected counts (for failure messages). */
        String missing(Map<String, Integer> expectedPerUser) {
            long users =
                    expectedPerUser.entrySet().stream()
                            .filter(e -> maxSeq(e.getKey()) < e.getValue())
                            .count();
            return updates.size()
                    + " updates and "
                    + deadLetters.size()
                    + " dead letters read; "
                    + users
                    + " of "
                    + expectedPerUser.size()
                    + " users short of their expected seq";
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
