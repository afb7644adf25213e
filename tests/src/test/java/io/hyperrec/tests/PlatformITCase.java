package io.hyperrec.tests;

import static io.hyperrec.tests.OnlineJobFixtures.UPDATES;
import static io.hyperrec.tests.OnlineJobFixtures.jobUp;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperrec.app.demo.Platform;
import io.hyperrec.app.demo.RetrainScheduler;
import io.hyperrec.core.data.SyntheticConfig;
import io.hyperrec.core.data.SyntheticDataset;
import io.hyperrec.core.data.SyntheticDataset.Event;
import io.hyperrec.core.model.EmbeddingUpsert.Kind;
import io.hyperrec.core.online.OnlineConfig;
import io.hyperrec.core.train.SamplerMode;
import io.hyperrec.core.train.TrainConfig;
import io.hyperrec.core.train.Variant;
import io.hyperrec.jobs.retrain.RetrainResult;
import io.hyperrec.schemas.Topics;
import io.hyperrec.schemas.avro.EmbeddingUpdate;
import io.hyperrec.store.ingest.ModelStoreIngest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole runtime of {@link Platform} in one JVM — in-process Kafka broker, Flink MiniCluster
 * (parallelism 2, RocksDB state) running the OnlineUpdateJob and the RetrainJob, RocksDB model
 * store and its HTTP API — driven through the real HTTP API: cold-start users get the popularity
 * fallback until their first interaction reaches the store through the update job; known users'
 * points move and what they touched stops being recommended; a retrain publishes version 2 or is
 * rejected by the gate with a reason while version 1 stays served; bad requests are 400s naming the
 * field; {@code /metrics} exports the version and request counters.
 *
 * <p>A synthetic dataset of 200 users and 150 items: its first 60% of events (by time) train
 * version 1, the rest arrive before the retrain of version 2. Every wait polls a condition with a
 * deadline; no fixed sleeps. Tests run in order on one platform.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformITCase {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

    /** How long a wait sleeps between two looks at its condition. */
    private static final long POLL_MILLIS = 50;

    private static final int PARTITIONS = 2;
    private static final int K = 20;
    private static final double INITIAL_FRACTION = 0.6;
    private static final double GATE_TOLERANCE = 0.02;

    /** A user id the synthetic dataset (u1..u200) never uses: unknown to every trained version. */
    private static final String NEW_USER = "http-newcomer-1";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();

    @TempDir static Path tmp;

    private static Platform platform;
    private static JobID onlineJob;
    private static String base;
    private static List<Event> events;
    private static int initial;

    /** The user with the most events in version 1's training data. */
    private static String knownUser;

    private static long startNanos;

    /** Interactions posted through the API so far (they are in {@code interactions} too). */
    private static int posted;

    @BeforeAll
    static void startPlatformWithVersionOne() throws Exception {
        startNanos = System.nanoTime();
        events =
                SyntheticDataset.eventStream(
                                SyntheticConfig.builder().users(200).items(150).build())
                        .toList();
        initial = (int) Math.round(events.size() * INITIAL_FRACTION);
        TrainConfig train =
                TrainConfig.builder()
                        .variant(Variant.BASE)
                        .sampler(SamplerMode.CLEAN)
                        .epochs(5)
                        .batchSize(2048)
                        .lr(0.01f)
                        .margin(0.5f)
                        .build();
        platform =
                Platform.start(
                        new Platform.Options(
                                tmp.resolve("platform"),
                                "127.0.0.1",
                                0,
                                PARTITIONS,
                                train,
                                GATE_TOLERANCE,
                                OnlineConfig.defaults().withMargin(0.5f),
                                true,
                                RetrainScheduler.Policy.manualOnly(),
                                List.of()));
        Map<String, Integer> perUser = new HashMap<>();
        for (Event e : events.subList(0, initial)) {
            platform.sendInteraction(e.user(), e.item(), e.timestampMillis());
            perUser.merge(e.user(), 1, Integer::sum);
        }
        platform.flush();
        knownUser =
                perUser.entrySet().stream()
                        .max(Map.Entry.<String, Integer>comparingByValue())
                        .orElseThrow()
                        .getKey();
        RetrainResult v1 = platform.retrain(1);
        assertThat(v1.accepted).as("version 1: %s", v1).isTrue();
        assertThat(v1.interactions).isEqualTo(initial);
        base = "http://localhost:" + platform.startServing().port();
        onlineJob = platform.startOnlineJob();
        System.out.printf(
                "PlatformITCase: %d events, %d trained version 1 (%s, %.1f s of training);"
                        + " serving at %s, update job %s up after %.1f s%n",
                events.size(),
                initial,
                v1.reason,
                v1.trainSeconds,
                base,
                onlineJob,
                seconds(startNanos));
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
        System.out.printf("PlatformITCase: %.1f s in all%n", seconds(startNanos));
    }

    @Test
    @Order(1)
    void unknownUserGetsFallbackUntilTheirInteractionsGiveThemAPersonalisedList() throws Exception {
        JsonNode before = getJson("/v1/recommendations/" + NEW_USER + "?k=" + K);
        assertThat(before.path("user").asText()).isEqualTo(NEW_USER);
        assertThat(before.path("fallback").asBoolean()).as("%s", before).isTrue();
        assertThat(before.path("modelVersion").asLong()).isEqualTo(1);
        List<String> popular = items(before);
        assertThat(popular).as("the popularity fallback: %s", before).hasSize(K);

        // Three popular items, each one version 1 has a point for.
        List<String> touched = popular.subList(0, 3);
        for (String item : touched) {
            JsonNode meta = getJson("/v1/items/" + item);
            assertThat(meta.path("inCurrentVersion").asBoolean()).as("%s", meta).isTrue();
        }
        for (String item : touched) {
            postInteraction(NEW_USER, item);
        }

        // The seen items are recorded by the store's ingest straight from `interactions`, the
        // user's point arrives later through the update job; the last interaction may be seen
        // after the first point, so the whole answer is the condition.
        JsonNode after =
                awaitJson(
                        "/v1/recommendations/" + NEW_USER + "?k=" + K,
                        r ->
                                !r.path("fallback").asBoolean(true)
                                        && r.path("modelVersion").asLong() == 1
                                        && items(r).size() == K
                                        && descending(scores(r))
                                        && items(r).stream().noneMatch(touched::contains),
                        "a personalised version-1 top-" + K + " without " + touched);
        assertThat(after.path("fallback").asBoolean()).isFalse();
        assertThat(after.path("modelVersion").asLong()).isEqualTo(1);
        assertThat(items(after))
                .hasSize(K)
                .doesNotHaveDuplicates()
                .doesNotContainAnyElementsOf(touched);
        assertThat(scores(after))
                .allSatisfy(s -> assertThat(s).isLessThanOrEqualTo(0.0))
                .isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(platform.store().vector(Kind.USER, NEW_USER)).isPresent();
    }

    @Test
    @Order(2)
    void knownUsersPointMovesAndWhatTheyTouchedIsNoLongerRecommended() throws Exception {
        String path = "/v1/recommendations/" + knownUser + "?k=" + K;
        JsonNode before = getJson(path);
        assertThat(before.path("fallback").asBoolean()).as("%s", before).isFalse();
        assertThat(before.path("modelVersion").asLong()).isEqualTo(1);
        List<String> recommendedBefore = items(before);
        assertThat(recommendedBefore).hasSize(K);
        float[] published = platform.store().vector(Kind.USER, knownUser).orElseThrow();

        try (UpdateReader updates = new UpdateReader(platform.bootstrapServers())) {
            updates.poll();
            assertThat(updates.latest(knownUser))
                    .as("updates of %s before any event after version 1's snapshot", knownUser)
                    .isNull();

            List<String> touched = recommendedBefore.subList(0, 3);
            for (String item : touched) {
                postInteraction(knownUser, item);
            }

            // One update per event, seq 1..n within version 1; the store has applied the last.
            AtomicReference<float[]> stored = new AtomicReference<>();
            await(
                    () -> {
                        updates.poll();
                        EmbeddingUpdate u = updates.latest(knownUser);
                        stored.set(platform.store().vector(Kind.USER, knownUser).orElse(null));
                        return u != null
                                && u.getModelVersion() == 1
                                && u.getSeq() == touched.size()
                                && stored.get() != null
                                && vectorOf(u).equals(floats(stored.get()));
                    },
                    "the store to hold "
                            + knownUser
                            + "'s update (version 1, seq "
                            + touched.size()
                            + ")",
                    () ->
                            "latest update "
                                    + describe(updates.latest(knownUser))
                                    + ", store vector "
                                    + (stored.get() == null ? null : floats(stored.get())));
            assertThat(floats(stored.get())).isNotEqualTo(floats(published));

            JsonNode after = getJson(path);
            assertThat(after.path("fallback").asBoolean()).as("%s", after).isFalse();
            assertThat(after.path("modelVersion").asLong()).isEqualTo(1);
            assertThat(items(after))
                    .as("recommended after touching %s (before: %s)", touched, recommendedBefore)
                    .hasSize(K)
                    .doesNotContainAnyElementsOf(touched)
                    .isNotEqualTo(recommendedBefore);
            assertThat(scores(after)).isSortedAccordingTo(Comparator.reverseOrder());
        }
    }

    @Test
    @Order(3)
    void retrainOfVersionTwoIsServedWhenAcceptedOrReportedWhenRejected() throws Exception {
        for (Event e : events.subList(initial, events.size())) {
            platform.sendInteraction(e.user(), e.item(), e.timestampMillis());
        }
        platform.flush();
        long t0 = System.nanoTime();
        // As `hyperrec retrain` asks for it: through the API, then followed by version.
        HttpResponse<String> started = post("/v1/retrains", "");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        assertThat(JSON.readTree(started.body()).path("version").asLong()).isEqualTo(2);
        HttpResponse<String> busy = post("/v1/retrains", "");
        assertThat(busy.statusCode()).as("one retrain at a time: %s", busy.body()).isEqualTo(409);
        assertThat(platform.retrains().awaitIdle(TIMEOUT))
                .as("retrain within %s", TIMEOUT)
                .isTrue();
        JsonNode v2 = getJson("/v1/retrains/2");
        boolean accepted = v2.path("state").asText().equals("PUBLISHED");
        String reason = v2.path("reason").asText();
        Map<String, Double> metrics =
                JSON.convertValue(
                        v2.path("metrics"),
                        new com.fasterxml.jackson.core.type.TypeReference<
                                Map<String, Double>>() {});
        System.out.printf(
                "PlatformITCase: retrain of version 2 %s in %.1f s: %s; metrics %s%n",
                v2.path("state").asText(), seconds(t0), reason, metrics);
        assertThat(v2.path("state").asText()).as("%s", v2).isIn("PUBLISHED", "REJECTED");
        assertThat(v2.path("trigger").asText()).isEqualTo("manual");
        assertThat(v2.path("interactions").asLong())
                .as("every synthetic event and the %d posted ones", posted)
                .isEqualTo(events.size() + posted);
        // The gate compared both models on the same new held-out interactions.
        assertThat(reason)
                .contains("R@20 on", "(new)", "(live)", accepted ? "accepted" : "rejected");
        assertThat(metrics).containsKeys("gate_new_recall@20", "gate_live_recall@20");
        assertThat(metrics.get("gate_new_recall@20"))
                .as("the gate's verdict agrees with its figures")
                .matches(
                        r ->
                                (r >= metrics.get("gate_live_recall@20") - GATE_TOLERANCE)
                                        == accepted);

        long served = accepted ? 2 : 1;
        for (String user : List.of(knownUser, NEW_USER)) {
            JsonNode r =
                    awaitJson(
                            "/v1/recommendations/" + user + "?k=" + K,
                            j -> j.path("modelVersion").asLong() == served,
                            user + "'s recommendations from version " + served);
            // Both have a point in either version: version 2 was trained with every user,
            // version 1 has the known user's point and the newcomer's update.
            assertThat(r.path("fallback").asBoolean()).as("%s", r).isFalse();
            assertThat(items(r)).hasSize(K);
            assertThat(scores(r)).isSortedAccordingTo(Comparator.reverseOrder());
        }
        JsonNode health = getJson("/health");
        assertThat(health.path("status").asText()).isEqualTo("up");
        assertThat(health.path("modelVersion").asLong()).as("%s", health).isEqualTo(served);
        assertThat(platform.store().currentVersion()).hasValue(served);
        assertThat(platform.live().version()).isEqualTo(served);
        if (accepted) {
            // The update job switched to version 2 too: the next event gives the first
            // version-2 update of the user, which the store serves.
            awaitUpdateJobOnVersionTwo();
        } else {
            assertThat(platform.store().version(2)).isEmpty();
        }
    }

    private static void awaitUpdateJobOnVersionTwo() throws Exception {
        String path = "/v1/recommendations/" + knownUser + "?k=" + K;
        List<String> before = items(getJson(path));
        String item = before.get(0);
        try (UpdateReader updates = new UpdateReader(platform.bootstrapServers())) {
            postInteraction(knownUser, item);
            AtomicReference<float[]> stored = new AtomicReference<>();
            await(
                    () -> {
                        updates.poll();
                        EmbeddingUpdate u = updates.latest(knownUser);
                        stored.set(platform.store().vector(Kind.USER, knownUser).orElse(null));
                        return u != null
                                && u.getModelVersion() == 2
                                && stored.get() != null
                                && vectorOf(u).equals(floats(stored.get()));
                    },
                    "the store to hold a version-2 update of " + knownUser,
                    () -> "latest update " + describe(updates.latest(knownUser)));
            assertThat(updates.latest(knownUser).getSeq()).isEqualTo(1);
        }
        JsonNode after = getJson(path);
        assertThat(after.path("modelVersion").asLong()).isEqualTo(2);
        assertThat(after.path("fallback").asBoolean()).isFalse();
        assertThat(items(after)).doesNotContain(item);
    }

    @Test
    @Order(4)
    void badRequestsAreRejectedWithAnErrorNamingTheField() throws Exception {
        for (String k : List.of("abc", "0")) {
            HttpResponse<String> r = get("/v1/recommendations/" + knownUser + "?k=" + k);
            assertThat(r.statusCode()).as("k=%s: %s", k, r.body()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).path("error").asText())
                    .startsWith("k must be")
                    .contains("'" + k + "'");
        }
        HttpResponse<String> noUser =
                post("/v1/interactions", "{\"item\":\"i1\",\"type\":\"CLICK\",\"weight\":1.0}");
        assertThat(noUser.statusCode()).as("%s", noUser.body()).isEqualTo(400);
        assertThat(JSON.readTree(noUser.body()).path("error").asText())
                .startsWith("user is required");
    }

    @Test
    @Order(5)
    void metricsExportTheServedVersionAndRequestCounters() throws Exception {
        assertThat(get("/v1/recommendations/" + knownUser + "?k=" + K).statusCode()).isEqualTo(200);
        assertThat(get("/v1/recommendations/" + knownUser + "?k=abc").statusCode()).isEqualTo(400);

        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        String text = r.body();
        long version = platform.store().currentVersion().orElseThrow();
        assertThat(sample(text, "hyperrec_model_version", Map.of()))
                .as("hyperrec_model_version in%n%s", text)
                .hasValue((double) version);
        String route = "/v1/recommendations/{user}";
        assertThat(
                        sample(
                                text,
                                "hyperrec_http_requests_total",
                                Map.of("route", route, "method", "GET", "status", "200")))
                .as("200s of %s in%n%s", route, text)
                .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(1));
        assertThat(
                        sample(
                                text,
                                "hyperrec_http_requests_total",
                                Map.of("route", route, "method", "GET", "status", "400")))
                .as("400s of %s in%n%s", route, text)
                .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(1));
        assertThat(sample(text, "hyperrec_recommendations_total", Map.of()))
                .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(1));
        assertThat(sample(text, "hyperrec_recommendation_fallbacks_total", Map.of()))
                .as("the new user's fallback")
                .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(1));
        assertThat(text).contains("hyperrec_http_request_duration_seconds_bucket{");
    }

    // ------------------------------------------------------------------ helpers

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(base + path)).timeout(HTTP_TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String json) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(HTTP_TIMEOUT)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** GETs a path that must answer 200 with JSON. */
    private static JsonNode getJson(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** POSTs one click; 202 means it is in Kafka. */
    private static void postInteraction(String user, String item) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", user);
        body.put("item", item);
        body.put("type", "CLICK");
        body.put("weight", 1.0);
        HttpResponse<String> r = post("/v1/interactions", JSON.writeValueAsString(body));
        assertThat(r.statusCode())
                .as("POST /v1/interactions %s: %s", body, r.body())
                .isEqualTo(202);
        posted++;
    }

    /** GETs {@code path} until its JSON answer satisfies {@code condition}; returns that answer. */
    private static JsonNode awaitJson(String path, Predicate<JsonNode> condition, String what)
            throws Exception {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        await(
                () -> {
                    JsonNode j = getJson(path);
                    last.set(j);
                    return condition.test(j);
                },
                what,
                () -> "last answer of GET " + path + ": " + last.get());
        return last.get();
    }

    /** Something that is true or not yet, and may fail. */
    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }

    /**
     * Looks at {@code condition} every {@link #POLL_MILLIS} until it holds, failing after {@link
     * #TIMEOUT} or as soon as the update job or the store's ingest is down (waiting on would not
     * help).
     */
    private static void await(Condition condition, String what, Supplier<?> progress)
            throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Runnable updateJobUp = jobUp(platform.flink(), onlineJob);
        while (!condition.holds()) {
            assertThat(System.nanoTime())
                    .as("waited %s for %s; %s", TIMEOUT, what, progress.get())
                    .isLessThan(deadline);
            updateJobUp.run();
            ModelStoreIngest ingest = platform.ingest();
            assertThat(ingest.state())
                    .as("the store's ingest (failure: %s)", ingest.failure())
                    .isEqualTo(ModelStoreIngest.State.RUNNING);
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static List<String> items(JsonNode recommendations) {
        List<String> out = new ArrayList<>();
        recommendations.path("items").forEach(i -> out.add(i.path("item").asText()));
        return out;
    }

    private static List<Double> scores(JsonNode recommendations) {
        List<Double> out = new ArrayList<>();
        recommendations.path("items").forEach(i -> out.add(i.path("score").asDouble()));
        return out;
    }

    private static boolean descending(List<Double> scores) {
        for (int i = 1; i < scores.size(); i++) {
            if (scores.get(i) > scores.get(i - 1)) {
                return false;
            }
        }
        return true;
    }

    private static List<Float> floats(float[] v) {
        List<Float> out = new ArrayList<>(v.length);
        for (float f : v) {
            out.add(f);
        }
        return out;
    }

    private static List<Float> vectorOf(EmbeddingUpdate u) {
        return List.copyOf(u.getVector());
    }

    private static String describe(EmbeddingUpdate u) {
        return u == null
                ? "none"
                : "(version " + u.getModelVersion() + ", seq " + u.getSeq() + ") " + u.getVector();
    }

    private static final Pattern SAMPLE =
            Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$", Pattern.MULTILINE);
    private static final Pattern LABEL =
            Pattern.compile("([a-zA-Z_]\\w*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /**
     * The value of the sample of {@code name} whose labels are exactly {@code labels}, in the
     * Prometheus text format; empty when there is none.
     */
    private static Optional<Double> sample(String text, String name, Map<String, String> labels) {
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            if (!m.group(1).equals(name)) {
                continue;
            }
            Map<String, String> found = new HashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    found.put(l.group(1), l.group(2));
                }
            }
            if (found.equals(labels)) {
                return Optional.of(Double.parseDouble(m.group(4)));
            }
        }
        return Optional.empty();
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    /**
     * Reads {@code model.updates} from the beginning and keeps, per user, the update with the
     * greatest (modelVersion, seq). Not thread-safe: the test thread polls it.
     */
    private static final class UpdateReader implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Map<String, EmbeddingUpdate> latest = new HashMap<>();

        UpdateReader(String bootstrapServers) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            p.put(
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                    ByteArrayDeserializer.class.getName());
            p.put(
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                    ByteArrayDeserializer.class.getName());
            consumer = new KafkaConsumer<>(p);
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(Topics.MODEL_UPDATES)
                    .forEach(
                            i ->
                                    partitions.add(
                                            new TopicPartition(
                                                    Topics.MODEL_UPDATES, i.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /** One poll of at most 100 ms. */
        void poll() {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                EmbeddingUpdate u = UPDATES.decode(r.value());
                latest.merge(
                        u.getId().toString(),
                        u,
                        (a, b) ->
                                b.getModelVersion() > a.getModelVersion()
                                                || b.getModelVersion() == a.getModelVersion()
                                                        && b.getSeq() > a.getSeq()
                                        ? b
                                        : a);
            }
        }

        /** The user's update with the greatest (modelVersion, seq) read so far; null if none. */
        EmbeddingUpdate latest(String user) {
            return latest.get(user);
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
