package io.hyperrec.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperrec.store.ModelStore;
import io.hyperrec.store.ScoredItem;
import io.hyperrec.store.TestModels;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrainRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private ModelStore store;
    private FakeRetrains retrains;
    private ServingServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    /** One retrain at a time, versions from 2, finished by the test. */
    static final class FakeRetrains implements RetrainControl {
        final List<RetrainStatus> all = new ArrayList<>();

        @Override
        public synchronized RetrainStatus start(String trigger) {
            for (RetrainStatus s : all) {
                if (!s.state().finished()) {
                    throw new Busy(s);
                }
            }
            RetrainStatus s = RetrainStatus.running(all.size() + 2, trigger, 1_000L);
            all.add(s);
            return s;
        }

        synchronized void finishLast(RetrainStatus.State state, String reason) {
            RetrainStatus s = all.remove(all.size() - 1);
            all.add(s.finish(state, 2_000L, reason, Map.of("valid_recall@20", 0.25), 1234));
        }

        @Override
        public synchronized List<RetrainStatus> history() {
            return List.copyOf(all);
        }

        @Override
        public synchronized Optional<RetrainStatus> status(long version) {
            return all.stream().filter(s -> s.version() == version).findFirst();
        }
    }

    @BeforeEach
    void setUp() {
        store = ModelStore.open(dir);
        store.publish(1, TestModels.random(1, 3, "i", 30, 5), Map.of(), List.<ScoredItem>of());
        retrains = new FakeRetrains();
        server =
                ServingServer.start(
                        store,
                        new InMemoryEventSink(),
                        new ServingMetrics(store, Clock.systemUTC()),
                        ServerOptions.builder().host("127.0.0.1").port(0).build(),
                        retrains);
    }

    @AfterEach
    void tearDown() {
        server.close();
        store.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void postStartsARetrainAndItsStatusIsFollowedUntilItFinishes() throws Exception {
        HttpResponse<String> started = send("POST", "/v1/retrains");

        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        assertThat(json(started).get("version").asLong()).isEqualTo(2);
        assertThat(json(started).get("state").asText()).isEqualTo("RUNNING");
        assertThat(json(started).get("trigger").asText()).isEqualTo("manual");
        assertThat(json(send("GET", "/v1/retrains/2")).get("state").asText()).isEqualTo("RUNNING");

        retrains.finishLast(RetrainStatus.State.PUBLISHED, "accepted: 0.25 >= 0.24");

        JsonNode done = json(send("GET", "/v1/retrains/2"));
        assertThat(done.get("state").asText()).isEqualTo("PUBLISHED");
        assertThat(done.get("reason").asText()).isEqualTo("accepted: 0.25 >= 0.24");
        assertThat(done.get("metrics").get("valid_recall@20").asDouble()).isEqualTo(0.25);
        assertThat(done.get("interactions").asLong()).isEqualTo(1234);
        JsonNode list = json(send("GET", "/v1/retrains")).get("retrains");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("version").asLong()).isEqualTo(2);
    }

    @Test
    void aSecondRequestWhileOneRunsIsAConflictNamingTheRunningVersion() throws Exception {
        assertThat(send("POST", "/v1/retrains").statusCode()).isEqualTo(202);

        HttpResponse<String> again = send("POST", "/v1/retrains");

        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).get("error").asText())
                .startsWith("the retrain of version 2 (triggered by manual) is still running");
        assertThat(json(again).get("running").get("version").asLong()).isEqualTo(2);
        retrains.finishLast(RetrainStatus.State.REJECTED, "rejected");
        assertThat(json(send("POST", "/v1/retrains")).get("version").asLong()).isEqualTo(3);
    }

    @Test
    void unknownAndMalformedVersionsAreNamed() throws Exception {
        HttpResponse<String> unknown = send("GET", "/v1/retrains/7");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").asText())
                .isEqualTo(
                        "no retrain of version 7 was started by this server; GET /v1/retrains"
                                + " lists them");
        HttpResponse<String> bad = send("GET", "/v1/retrains/seven");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("error").asText())
                .isEqualTo("version must be a positive integer, got 'seven'");
    }

    @Test
    void aServerWithoutASchedulerSaysSo() throws Exception {
        try (ServingServer plain =
                ServingServer.start(
                        store,
                        new InMemoryEventSink(),
                        new ServingMetrics(store, Clock.systemUTC()),
                        ServerOptions.builder().host("127.0.0.1").port(0).build())) {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://127.0.0.1:"
                                                            + plain.port()
                                                            + "/v1/retrains"))
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(json(r).get("error").asText())
                    .isEqualTo("this server has no retrain scheduler; retrains are run elsewhere");
        }
    }
}
