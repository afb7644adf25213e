package io.hyperrec.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperrec.core.model.EmbeddingUpsert;
import io.hyperrec.core.model.EmbeddingUpsert.Kind;
import io.hyperrec.core.model.TrainedModel;
import io.hyperrec.store.ModelStore;
import io.hyperrec.store.Recommendations;
import io.hyperrec.store.ScoredItem;
import io.hyperrec.store.TestModels;
import io.hyperrec.store.ingest.IngestStats;
import io.hyperrec.store.ingest.ModelStoreIngest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK =
            Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
    private static final List<ScoredItem> POPULAR =
            List.of(new ScoredItem("i2", 50), new ScoredItem("i4", 40), new ScoredItem("i6", 30));

    @TempDir Path dir;

    private ModelStore store;
    private InMemoryEventSink sink;
    private ServingServer server;
    private HttpClient http;
    private TrainedModel model;

    @BeforeEach
    void setUp() {
        store = ModelStore.open(dir);
        model = TestModels.random(1, 3, "i", 30, 5);
        store.publish(1, model, Map.of(), POPULAR);
        sink = new InMemoryEventSink();
        ServingMetrics metrics = new ServingMetrics(store, CLOCK);
        metrics.bindIngest(
                () ->
                        new IngestStats(
                                ModelStoreIngest.State.RUNNING,
                                Map.of("model.updates", 12L),
                                Map.of("model.updates", 2L),
                                0,
                                3,
                                4.5));
        server =
                ServingServer.start(
                        store,
                        sink,
                        metrics,
                        ServerOptions.builder().host("127.0.0.1").port(0).clock(CLOCK).build());
        http = HttpClient.newHttpClient();
    }

    @AfterEach
    void tearDown() {
        server.close();
        store.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static void assertError(HttpResponse<String> r, int status, String message)
            throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(json(r).get("error").asText()).isEqualTo(message);
    }

    @Test
    void servesTheStoresRecommendationsWithTheirVersion() throws Exception {
        HttpResponse<String> r = get("/v1/recommendations/u1?k=5");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("user").asText()).isEqualTo("u1");
        assertThat(body.get("modelVersion").asLong()).isEqualTo(1);
        assertThat(body.get("fallback").asBoolean()).isFalse();
        Recommendations expected = store.recommend("u1", 5);
        assertThat(body.get("items")).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(body.get("items").get(i).get("item").asText())
                    .isEqualTo(expected.items().get(i).item());
            assertThat((float) body.get("items").get(i).get("score").asDouble())
                    .isEqualTo(expected.items().get(i).score());
        }
        assertThat(json(get("/v1/recommendations/u1")).get("items")).hasSize(20); // default k
    }

    @Test
    void unknownUsersGetTheFallback() throws Exception {
        JsonNode body = json(get("/v1/recommendations/nobody?k=2"));
        assertThat(body.get("fallback").asBoolean()).isTrue();
        assertThat(body.get("items").get(0).get("item").asText()).isEqualTo("i2");
        assertThat(body.get("items")).hasSize(2);
    }

    @Test
    void rejectsABadKNamingTheValue() throws Exception {
        assertError(
                get("/v1/recommendations/u1?k=abc"),
                400,
                "k must be an integer in [1, 1000], got 'abc'");
        assertError(
                get("/v1/recommendations/u1?k=0"),
                400,
                "k must be an integer in [1, 1000], got '0'");
        assertError(
                get("/v1/recommendations/u1?k=1001"),
                400,
                "k must be an integer in [1, 1000], got '1001'");
        assertError(
                get("/v1/recommendations/u1?k="), 400, "k must be an integer in [1, 1000], got ''");
    }

    @Test
    void answers503BeforeTheFirstPublish() throws Exception {
        try (ModelStore empty = ModelStore.open(dir.resolve("empty"));
                ServingServer s =
                        ServingServer.start(
                                empty,
                                sink,
                                new ServingMetrics(empty, CLOCK),
                                ServerOptions.builder().host("127.0.0.1").port(0).build())) {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://127.0.0.1:"
                                                            + s.port()
                                                            + "/v1/recommendations/u1"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertError(r, 503, "no model version is published yet; retry after the first publish");
            HttpResponse<String> health =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + s.port() + "/health"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(json(health).get("modelVersion").isNull()).isTrue();
        }
    }

    @Test
    void describesKnownItemsAnd404sUnknownOnes() throws Exception {
        store.recordItemCreated("i3", "Green tea");
        store.recordItemEnriched(
                "i3",
                "Loose-leaf green tea.",
                List.of(List.of("food"), List.of("tea"), List.of("green-tea")));

        HttpResponse<String> r = get("/v1/items/i3");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("item").asText()).isEqualTo("i3");
        assertThat(body.get("title").asText()).isEqualTo("Green tea");
        assertThat(body.get("summary").asText()).isEqualTo("Loose-leaf green tea.");
        assertThat(body.get("tags").toString()).isEqualTo("[[\"food\"],[\"tea\"],[\"green-tea\"]]");
        assertThat(body.get("introducedIn").asLong()).isEqualTo(1);
        assertThat(body.get("inCurrentVersion").asBoolean()).isTrue();
        assertThat(body.get("hidden").asBoolean()).isFalse();
        assertError(
                get("/v1/items/nope"),
                404,
                "unknown item 'nope': it has no metadata and no point in the served model version 1");
    }

    @Test
    void acceptsAValidInteractionAndHandsItToTheSink() throws Exception {
        HttpResponse<String> r =
                post("/v1/interactions", "{\"user\":\"u1\",\"item\":\"i3\",\"type\":\"click\"}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        InteractionEvent expected = new InteractionEvent("u1", "i3", "CLICK", 1.0f, CLOCK.millis());
        assertThat(sink.interactions).containsExactly(expected);
        JsonNode body = json(r);
        assertThat(body.get("type").asText()).isEqualTo("CLICK");
        assertThat(body.get("weight").asDouble()).isEqualTo(1.0);
        assertThat(body.get("eventTime").asLong()).isEqualTo(CLOCK.millis());

        assertThat(
                        post(
                                        "/v1/interactions",
                                        "{\"user\":\"u2\",\"item\":\"i4\",\"type\":\"RATING\",\"weight\":4.5,\"eventTime\":1000}")
                                .statusCode())
                .isEqualTo(202);
        assertThat(sink.interactions.get(1))
                .isEqualTo(new InteractionEvent("u2", "i4", "RATING", 4.5f, 1000));
    }

    @Test
    void rejectsInvalidInteractionsNamingTheFieldAndValue() throws Exception {
        assertError(
                post("/v1/interactions", "{\"item\":\"i3\"}"),
                400,
                "user is required: a non-empty string of at most 256 characters without tabs or line breaks");
        assertError(
                post("/v1/interactions", "{\"user\":42,\"item\":\"i3\"}"),
                400,
                "user must be a non-empty string of at most 256 characters without tabs or line breaks, got 42");
        assertError(
                post("/v1/interactions", "{\"user\":\"u1\",\"item\":\"i3\",\"weight\":-1}"),
                400,
                "weight must be a finite number > 0, got -1");
        assertError(
                post("/v1/interactions", "{\"user\":\"u1\",\"item\":\"i3\",\"type\":\"LIKE\"}"),
                400,
                "type must be one of [VIEW, CLICK, CART, PURCHASE, RATING, OTHER], got \"LIKE\"");
        assertError(
                post(
                        "/v1/interactions",
                        "{\"user\":\"u1\",\"item\":\"i3\",\"eventTime\":\"yesterday\"}"),
                400,
                "eventTime must be epoch milliseconds (an integer >= 0), got \"yesterday\"");
        assertError(
                post("/v1/interactions", "{\"user\":\"u1\",\"item\":\"i3\",\"usr\":1}"),
                400,
                "unknown field 'usr'; expected only [user, item, type, weight, eventTime]");
        assertError(
                post("/v1/interactions", "[1]"),
                400,
                "request body must be a JSON object with fields [user, item, type, weight, eventTime], got ARRAY");
        assertThat(json(post("/v1/interactions", "{not json")).get("error").asText())
                .startsWith("request body must be a JSON object, got invalid JSON: ");
        assertThat(sink.interactions).isEmpty();
    }

    @Test
    void answers503WhenTheSinkCannotTakeTheEvent() throws Exception {
        sink.failing = true;
        assertError(
                post("/v1/interactions", "{\"user\":\"u1\",\"item\":\"i3\"}"),
                503,
                "cannot send to topic 'interactions' with key 'u1': broker unavailable");
    }

    @Test
    void acceptsAValidNewItemAndRejectsABadOne() throws Exception {
        HttpResponse<String> r =
                post(
                        "/v1/items",
                        "{\"item\":\"i99\",\"title\":\"Teapot\",\"text\":\"Cast iron.\",\"attributes\":{\"brand\":\"Acme\"}}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(sink.items)
                .containsExactly(
                        new NewItemEvent(
                                "i99",
                                "Teapot",
                                "Cast iron.",
                                Map.of("brand", "Acme"),
                                CLOCK.millis()));
        assertThat(json(r).get("attributes").get("brand").asText()).isEqualTo("Acme");

        assertError(
                post(
                        "/v1/items",
                        "{\"item\":\"i98\",\"title\":\"Mug\",\"attributes\":{\"color\":3}}"),
                400,
                "attributes.color must be a string, got 3");
        assertError(
                post("/v1/items", "{\"item\":\"i98\",\"title\":\"  \"}"),
                400,
                "title must be a non-blank string, got \"  \"");
        assertError(
                post("/v1/items", "{\"item\":\"a\\tb\",\"title\":\"Mug\"}"),
                400,
                "item must be a non-empty string of at most 256 characters without tabs or line breaks, got 'a\\tb'");
        assertThat(sink.items).hasSize(1);
    }

    @Test
    void reportsHealth() throws Exception {
        HttpResponse<String> r = get("/health");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("status").asText()).isEqualTo("up");
        assertThat(body.get("modelVersion").asLong()).isEqualTo(1);
        assertThat(body.get("items").asInt()).isEqualTo(30);
    }

    @Test
    void exposesPrometheusMetrics() throws Exception {
        get("/v1/recommendations/u1?k=3");
        get("/v1/recommendations/u1?k=3");
        get("/v1/recommendations/stranger?k=3");
        get("/v1/recommendations/u1?k=x");
        store.apply(
                new EmbeddingUpsert(
                        Kind.USER,
                        "u0",
                        TestModels.point(new Random(1), 5),
                        1,
                        0,
                        OptionalLong.of(CLOCK.millis() - 2500)));
        store.apply(
                new EmbeddingUpsert(
                        Kind.USER,
                        "u0",
                        TestModels.point(new Random(2), 5),
                        1,
                        0,
                        OptionalLong.empty()));

        HttpResponse<String> r = get("/metrics");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        List<String> lines = r.body().lines().toList();
        assertThat(lines)
                .contains(
                        "hyperrec_http_requests_total{method=\"GET\",route=\"/v1/recommendations/{user}\",status=\"200\"} 3.0",
                        "hyperrec_http_requests_total{method=\"GET\",route=\"/v1/recommendations/{user}\",status=\"400\"} 1.0",
                        "hyperrec_http_request_duration_seconds_count{method=\"GET\",route=\"/v1/recommendations/{user}\"} 4",
                        "hyperrec_recommendations_total 3.0",
                        "hyperrec_recommendation_fallbacks_total 1.0",
                        "hyperrec_updates_applied_total{kind=\"USER\"} 1.0",
                        "hyperrec_updates_dropped_total{kind=\"USER\"} 1.0",
                        "hyperrec_model_version 1.0",
                        "hyperrec_freshness_lag_seconds 2.5",
                        "hyperrec_ingest_records_total{topic=\"model.updates\"} 12.0",
                        "hyperrec_ingest_rejected_total{topic=\"model.updates\"} 2.0",
                        "hyperrec_ingest_records_per_second 4.5");
        assertThat(lines)
                .anyMatch(
                        l ->
                                l.startsWith("hyperrec_http_request_duration_seconds_bucket{")
                                        && l.contains("le=\"0.005\""));
    }

    @Test
    void unknownRoutesGetAJsonError() throws Exception {
        HttpResponse<String> r = get("/v2/nothing");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).get("error").asText()).startsWith("no route for GET /v2/nothing");
    }
}
