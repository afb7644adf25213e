package io.hyperrec.enrichment.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperrec.enrichment.ItemText;
import io.hyperrec.enrichment.Tagging;
import io.hyperrec.enrichment.TaggingValidator;
import io.hyperrec.enrichment.TextEmbedder;
import io.hyperrec.enrichment.llm.FallbackTagger;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EnrichmentServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ENRICHMENT_FIELDS =
            List.of(
                    "item",
                    "summary",
                    "levels",
                    "edges",
                    "tagger",
                    "offline",
                    "fallbackReason",
                    "embedding",
                    "textEncoder",
                    "contentHash",
                    "taggingMillis",
                    "embeddingMillis");
    private static final String ID_RULE =
            "a non-blank string of at most 256 characters without control characters";
    private static final String ITEM_FIELDS = "[item, title, text, attributes]";

    private HashingEmbedder embedder;
    private Enricher enricher;
    private EnrichmentServer server;
    private HttpClient http;

    @BeforeEach
    void setUp() {
        embedder = new HashingEmbedder();
        enricher = enricher(embedder);
        server = start(enricher);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void tearDown() {
        server.close();
        enricher.close();
    }

    /** LLM stand-in in front of the offline stub, as deployed. */
    private static Enricher enricher(TextEmbedder embedder) {
        return new Enricher(
                new FallbackTagger(
                        new FlakyLlmTagger(), new StubOfflineTagger(), TaggingValidator.defaults()),
                embedder,
                EnricherOptions.builder().parallelism(2).build());
    }

    private static EnrichmentServer start(Enricher enricher) {
        return EnrichmentServer.start(
                enricher,
                EnrichmentServerOptions.builder()
                        .host("127.0.0.1")
                        .port(0)
                        .maxBatchSize(3)
                        .maxBodyBytes(2048)
                        .build());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String body) throws Exception {
        return send(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpResponse<String> send(HttpRequest.BodyPublisher body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri("/v1/enrich"))
                        .header("Content-Type", "application/json")
                        .POST(body)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static void assertError(HttpResponse<String> r, int status, String message)
            throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(fieldNames(json(r))).containsExactly("error");
        assertThat(json(r).get("error").asText()).isEqualTo(message);
    }

    /** Asserts an enrichment object: every field, in order, with the values of {@code item}. */
    private static void assertEnrichment(JsonNode node, ItemText item, Tagging tagging)
            throws Exception {
        assertThat(fieldNames(node)).containsExactlyElementsOf(ENRICHMENT_FIELDS);
        assertThat(node.get("item").asText()).isEqualTo(item.item());
        assertThat(node.get("summary").asText()).isEqualTo(tagging.summary());
        assertThat(JSON.convertValue(node.get("levels"), List.class)).isEqualTo(tagging.levels());
        assertThat(node.get("edges")).hasSize(tagging.edges().size());
        for (int i = 0; i < tagging.edges().size(); i++) {
            JsonNode edge = node.get("edges").get(i);
            assertThat(fieldNames(edge)).containsExactly("parent", "child");
            assertThat(edge.get("parent").asText()).isEqualTo(tagging.edges().get(i).parent());
            assertThat(edge.get("child").asText()).isEqualTo(tagging.edges().get(i).child());
        }
        assertThat(node.get("tagger").asText()).isEqualTo(tagging.tagger());
        assertThat(node.get("offline").asBoolean()).isEqualTo(tagging.offline());
        if (tagging.fallbackReason() == null) {
            assertThat(node.get("fallbackReason").isNull()).isTrue();
        } else {
            assertThat(node.get("fallbackReason").asText()).isEqualTo(tagging.fallbackReason());
        }
        float[] expected = HashingEmbedder.vector(item.document());
        assertThat(node.get("embedding")).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Float.parseFloat(node.get("embedding").get(i).asText()))
                    .isEqualTo(expected[i]);
        }
        assertThat(node.get("textEncoder").asText()).isEqualTo(HashingEmbedder.NAME);
        assertThat(node.get("contentHash").asText())
                .isEqualTo(Enricher.contentHash(item.document()));
        assertThat(node.get("taggingMillis").asLong()).isNotNegative();
        assertThat(node.get("embeddingMillis").asLong()).isNotNegative();
    }

    private static final ItemText HEADPHONES =
            new ItemText(
                    "sku-1",
                    "Sony WH-1000XM5",
                    "Wireless over-ear headphones.",
                    Map.of("brand", "Sony", "category", "Audio"));

    private static final String HEADPHONES_JSON =
            "{\"item\": \"sku-1\", \"title\": \"Sony WH-1000XM5\","
                    + " \"text\": \"Wireless over-ear headphones.\","
                    + " \"attributes\": {\"brand\": \"Sony\", \"category\": \"Audio\"}}";

    @Test
    void enrichesOneItem() throws Exception {
        HttpResponse<String> r = post(HEADPHONES_JSON);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertEnrichment(json(r), HEADPHONES, FlakyLlmTagger.tagging());
        assertThat(embedder.calls()).containsExactly(List.of(HEADPHONES.document()));
    }

    @Test
    void anOmittedTitleTextAndAttributesAreEmpty() throws Exception {
        HttpResponse<String> r = post("{\"item\": \"bare\", \"title\": null}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        ItemText bare = new ItemText("bare", "", "", Map.of());
        assertEnrichment(json(r), bare, FlakyLlmTagger.tagging());
    }

    @Test
    void anLlmFailureIsAnsweredWithTheOfflineTaggingAndItsReason() throws Exception {
        HttpResponse<String> r = post("{\"item\": \"flaky-1\", \"title\": \"Mug\"}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        ItemText mug = new ItemText("flaky-1", "Mug", "", Map.of());
        assertEnrichment(
                json(r),
                mug,
                StubOfflineTagger.tagging(mug).asFallback("llm:test failed: the LLM is down"));
    }

    @Test
    void enrichesABatchInOrderWithOneEmbedderCall() throws Exception {
        HttpResponse<String> r =
                post(
                        "{\"items\": ["
                                + HEADPHONES_JSON
                                + ", {\"item\": \"flaky-2\", \"title\": \"Cup\"},"
                                + " {\"item\": \"c\"}]}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(fieldNames(body)).containsExactly("results");
        assertThat(body.get("results")).hasSize(3);
        ItemText cup = new ItemText("flaky-2", "Cup", "", Map.of());
        ItemText c = new ItemText("c", "", "", Map.of());
        assertEnrichment(body.get("results").get(0), HEADPHONES, FlakyLlmTagger.tagging());
        assertEnrichment(
                body.get("results").get(1),
                cup,
                StubOfflineTagger.tagging(cup).asFallback("llm:test failed: the LLM is down"));
        assertEnrichment(body.get("results").get(2), c, FlakyLlmTagger.tagging());
        assertThat(embedder.calls())
                .containsExactly(List.of(HEADPHONES.document(), cup.document(), c.document()));
    }

    @Test
    void aFailingItemOfABatchIsAnsweredWithItsErrorBesideTheOthers() throws Exception {
        HttpResponse<String> r =
                post("{\"items\": [{\"item\": \"a\"}, {\"item\": \"bad-b\"}, {\"item\": \"c\"}]}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode results = json(r).get("results");
        assertEnrichment(
                results.get(0), new ItemText("a", "", "", Map.of()), FlakyLlmTagger.tagging());
        assertThat(fieldNames(results.get(1))).containsExactly("item", "error");
        assertThat(results.get(1).get("item").asText()).isEqualTo("bad-b");
        assertThat(results.get(1).get("error").asText())
                .isEqualTo(
                        "item 'bad-b': tagging by llm:test|fallback:offline:test failed: cannot"
                                + " tag item 'bad-b'");
        assertEnrichment(
                results.get(2), new ItemText("c", "", "", Map.of()), FlakyLlmTagger.tagging());
    }

    @Test
    void aSingleItemThatCannotBeEnrichedIs500WithItsError() throws Exception {
        HttpResponse<String> r = post("{\"item\": \"bad-1\"}");

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(fieldNames(json(r))).containsExactly("item", "error");
        assertThat(json(r).get("error").asText())
                .isEqualTo(
                        "item 'bad-1': tagging by llm:test|fallback:offline:test failed: cannot"
                                + " tag item 'bad-1'");
    }

    static Stream<Arguments> badRequests() {
        String longId = "x".repeat(257);
        return Stream.of(
                Arguments.of("{\"title\": \"t\"}", 400, "item is required: " + ID_RULE),
                Arguments.of("{\"item\": null}", 400, "item is required: " + ID_RULE),
                Arguments.of("{\"item\": \"  \"}", 400, "item must be " + ID_RULE + ", got \"  \""),
                Arguments.of("{\"item\": 42}", 400, "item must be " + ID_RULE + ", got 42"),
                Arguments.of(
                        "{\"item\": \"a\\u0007b\"}",
                        400,
                        "item must be " + ID_RULE + ", got \"a\\u0007b\""),
                Arguments.of(
                        "{\"item\": \"" + longId + "\"}",
                        400,
                        "item must be " + ID_RULE + ", got \"" + "x".repeat(79) + "…"),
                Arguments.of(
                        "{\"item\": \"a\", \"colour\": \"red\"}",
                        400,
                        "unknown field 'colour'; expected only " + ITEM_FIELDS),
                Arguments.of(
                        "{\"item\": \"a\", \"title\": 5}", 400, "title must be a string, got 5"),
                Arguments.of(
                        "{\"item\": \"a\", \"text\": [\"x\"]}",
                        400,
                        "text must be a string, got [\"x\"]"),
                Arguments.of(
                        "{\"item\": \"a\", \"attributes\": [\"x\"]}",
                        400,
                        "attributes must be an object of string values, got [\"x\"]"),
                Arguments.of(
                        "{\"item\": \"a\", \"attributes\": {\"brand\": \"Sony\", \"year\": 2022}}",
                        400,
                        "attributes.year must be a string, got 2022"),
                Arguments.of(
                        "{\"items\": [{\"item\": \"a\"}, {\"item\": \"b\", \"colour\": \"red\"}]}",
                        400,
                        "unknown field 'items[1].colour'; expected only " + ITEM_FIELDS),
                Arguments.of(
                        "{\"items\": [{\"item\": \"a\"}, {\"title\": \"no id\"}]}",
                        400,
                        "items[1].item is required: " + ID_RULE),
                Arguments.of(
                        "{\"items\": [{\"item\": \"a\", \"attributes\": {\"k\": null}}]}",
                        400,
                        "items[0].attributes.k must be a string, got null"),
                Arguments.of(
                        "{\"items\": [{\"item\": \"a\"}, 5]}",
                        400,
                        "items[1] must be an item object with the fields "
                                + ITEM_FIELDS
                                + ", got 5"),
                Arguments.of(
                        "{\"items\": [{\"item\": \"a\"}], \"item\": \"b\"}",
                        400,
                        "unknown field 'item'; a batch body has only the field 'items'"),
                Arguments.of(
                        "{\"items\": {\"item\": \"a\"}}",
                        400,
                        "items must be an array of item objects, got {\"item\":\"a\"}"),
                Arguments.of(
                        "{\"items\": []}", 400, "items must hold at least one item object, got []"),
                Arguments.of(
                        "{\"items\": [{\"item\": \"a\"}, {\"item\": \"b\"}, {\"item\": \"c\"},"
                                + " {\"item\": \"d\"}]}",
                        413,
                        "items holds 4 items, more than maxBatchSize 3; split the batch"),
                Arguments.of(
                        "",
                        400,
                        "request body must be a JSON object with the fields "
                                + ITEM_FIELDS
                                + " or [items], got nothing"),
                Arguments.of(
                        "[{\"item\": \"a\"}]",
                        400,
                        "request body must be a JSON object with the fields "
                                + ITEM_FIELDS
                                + " or [items], got array"),
                Arguments.of(
                        "not json",
                        400,
                        "request body must be a JSON object, got invalid JSON: Unrecognized"
                                + " token 'not': was expecting (JSON String, Number, Array, Object"
                                + " or token 'null', 'true' or 'false')"),
                Arguments.of(
                        "{\"item\": \"a\"} {}",
                        400,
                        "request body must be one JSON object, got more JSON after it at"
                                + " byte 14"),
                Arguments.of(
                        "{\"item\": \"a\"} x",
                        400,
                        "request body must be a JSON object, got invalid JSON: Unrecognized"
                                + " token 'x': was expecting (JSON String, Number, Array, Object"
                                + " or token 'null', 'true' or 'false')"),
                Arguments.of(
                        "{\"item\": \"a\", \"item\": \"b\"}",
                        400,
                        "request body must be a JSON object, got invalid JSON: Duplicate field"
                                + " 'item'"),
                Arguments.of(
                        "{\"item\": \"a\", \"text\": \"" + "x".repeat(2048) + "\"}",
                        413,
                        "request body is larger than maxBodyBytes = 2048 bytes"));
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void rejectsABadRequestNamingTheField(String body, int status, String message)
            throws Exception {
        assertError(post(body), status, message);
        assertThat(embedder.calls()).isEmpty();
    }

    @Test
    void rejectsABodyOverTheLimitWithoutAContentLength() throws Exception {
        byte[] body =
                ("{\"item\": \"a\", \"text\": \"" + "x".repeat(4096) + "\"}")
                        .getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> r =
                send(
                        HttpRequest.BodyPublishers.ofInputStream(
                                () -> new ByteArrayInputStream(body)));

        assertError(r, 413, "request body is larger than maxBodyBytes = 2048 bytes");
    }

    @Test
    void healthNamesTheTaggerTheEncoderAndTheDimension() throws Exception {
        HttpResponse<String> r = get("/health");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(fieldNames(json(r))).containsExactly("status", "tagger", "textEncoder", "dim");
        assertThat(json(r).get("status").asText()).isEqualTo("up");
        assertThat(json(r).get("tagger").asText()).isEqualTo("llm:test|fallback:offline:test");
        assertThat(json(r).get("textEncoder").asText()).isEqualTo(HashingEmbedder.NAME);
        assertThat(json(r).get("dim").asInt()).isEqualTo(HashingEmbedder.DIM);
    }

    @Test
    void healthIsDownAndEnrichIs503OnceTheEnricherIsClosed() throws Exception {
        enricher.close();

        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(json(health).get("status").asText()).isEqualTo("down");
        assertError(post("{\"item\": \"a\"}"), 503, "enricher is closed");
    }

    @Test
    void anUnknownRouteIsAJsonError() throws Exception {
        assertError(
                get("/v1/nothing"),
                404,
                "no route for GET /v1/nothing; see POST /v1/enrich, GET /health, GET /metrics");
    }

    @Test
    void anInternalFailureIs500NamingTheException() throws Exception {
        TextEmbedder broken =
                new TextEmbedder() {
                    @Override
                    public List<float[]> embed(List<String> texts) {
                        throw new IllegalStateException("not used");
                    }

                    @Override
                    public int dim() {
                        throw new IllegalStateException("the model is not loaded");
                    }

                    @Override
                    public String name() {
                        return "test:broken";
                    }
                };
        try (Enricher e = enricher(broken);
                EnrichmentServer s = start(e)) {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + s.port() + "/health"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertError(r, 500, "internal error: IllegalStateException: the model is not loaded");
        }
    }

    @Test
    void metricsCountRequestsItemsFailuresAndFallbacks() throws Exception {
        post(HEADPHONES_JSON);
        post("{\"item\": \"flaky-1\"}");
        post("{\"items\": [{\"item\": \"a\"}, {\"item\": \"bad-b\"}, {\"item\": \"c\"}]}");
        post("{\"item\": \"a\", \"colour\": \"red\"}");
        get("/health");

        HttpResponse<String> r = get("/metrics");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(r.body().lines())
                .contains(
                        "hyperrec_http_requests_total{method=\"POST\",route=\"/v1/enrich\",status=\"200\"} 3.0",
                        "hyperrec_http_requests_total{method=\"POST\",route=\"/v1/enrich\",status=\"400\"} 1.0",
                        "hyperrec_http_requests_total{method=\"GET\",route=\"/health\",status=\"200\"} 1.0",
                        "hyperrec_enrichment_items_total 4.0",
                        "hyperrec_enrichment_failures_total 1.0",
                        "hyperrec_enrichment_fallbacks_total 1.0",
                        "hyperrec_enrichment_embedder_calls_total 3.0",
                        "hyperrec_enrichment_duration_seconds_bucket{le=\"+Inf\"} 5",
                        "hyperrec_enrichment_duration_seconds_count 5");
        assertThat(r.body())
                .contains(
                        "hyperrec_http_request_duration_seconds_bucket{method=\"POST\",route=\"/v1/enrich\",le=\"0.001\"}");
    }
}
