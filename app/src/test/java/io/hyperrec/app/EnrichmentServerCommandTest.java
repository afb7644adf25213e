package io.hyperrec.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.hyperrec.enrichment.service.EnrichmentClientFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EnrichmentServerCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private EnrichmentServerCommand command(String... args) {
        EnrichmentServerCommand c = new EnrichmentServerCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }

    private Path taxonomy() throws Exception {
        Path f = dir.resolve("taxonomy.txt");
        Files.writeString(
                f,
                String.join(
                        "\n",
                        "Beauty > Skin Care > Face > Creams & Moisturizers",
                        "Beauty > Skin Care > Body > Cleansers",
                        "Beauty > Makeup > Eyes > Mascara",
                        "Beauty > Makeup > Lips > Lipstick",
                        "Beauty > Hair Care > Shampoos",
                        ""));
        return f;
    }

    private static JsonNode enrich(int port, String body) throws Exception {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:" + port + "/v1/enrich"))
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static final String MASCARA =
            "{\"item\": \"m1\", \"title\": \"Volumizing waterproof mascara for lashes\"}";

    @Test
    void servesTheOfflineTaggerOverATaxonomyFile() throws Exception {
        try (EnrichmentServerCommand.Running r =
                command("--taxonomy", taxonomy().toString(), "--port", "0").start()) {
            JsonNode e = enrich(r.server().port(), MASCARA);

            assertThat(e.get("levels")).hasSize(3);
            assertThat(e.get("levels").get(0).get(0).asText()).isEqualToIgnoringCase("makeup");
            assertThat(e.get("offline").asBoolean()).isTrue();
            assertThat(e.get("embedding")).hasSize(384);
            assertThat(e.get("textEncoder").asText()).isEqualTo("all-minilm-l6-v2-q");
        }
    }

    @Test
    void anLlmThatFailsIsAskedAndTheOfflineTaggerAnswersWithTheReason() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        HttpServer llm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        llm.createContext(
                "/v1/chat/completions",
                x -> {
                    asked.incrementAndGet();
                    byte[] b = "{\"error\": \"down\"}".getBytes(StandardCharsets.UTF_8);
                    x.sendResponseHeaders(503, b.length);
                    x.getResponseBody().write(b);
                    x.close();
                });
        llm.start();
        try (EnrichmentServerCommand.Running r =
                command(
                                "--taxonomy",
                                taxonomy().toString(),
                                "--port",
                                "0",
                                "--llm-url",
                                "http://127.0.0.1:" + llm.getAddress().getPort() + "/v1",
                                "--llm-model",
                                "test-model",
                                "--llm-attempts",
                                "1",
                                "--cache-dir",
                                dir.resolve("cache").toString())
                        .start()) {
            JsonNode e = enrich(r.server().port(), MASCARA);

            assertThat(asked.get()).isEqualTo(1);
            assertThat(e.get("offline").asBoolean()).isTrue();
            assertThat(e.get("fallbackReason").asText()).contains("503");
            assertThat(e.get("levels").get(0).get(0).asText()).isEqualToIgnoringCase("makeup");
        } finally {
            llm.stop(0);
        }
    }

    @Test
    void badOptionsAreNamed() throws Exception {
        assertThatThrownBy(() -> command("--port", "0").start())
                .hasMessageContaining("--taxonomy-dataset DIR and --taxonomy FILE");
        assertThatThrownBy(
                        () ->
                                command(
                                                "--taxonomy",
                                                taxonomy().toString(),
                                                "--llm-url",
                                                "http://localhost:1/v1")
                                        .start())
                .hasMessage(
                        "--llm-url http://localhost:1/v1 needs --llm-model NAME (the model to ask)");
        assertThatThrownBy(
                        () -> command("--taxonomy-dataset", dir.resolve("none").toString()).start())
                .hasMessageContaining("--taxonomy-dataset")
                .hasMessageContaining("not a directory");
    }

    @Test
    void theDemoEnrichmentOptionsPickThePrimary() throws Exception {
        class Holder {
            @CommandLine.Mixin EnrichmentCliOptions o;
        }
        Holder none = new Holder();
        new CommandLine(none).parseArgs();
        assertThat(none.o.primary(dir, List.of(List.of("A", "B")))).isNull();

        Holder http = new Holder();
        new CommandLine(http).parseArgs("--enrichment-url", "http://localhost:8081");
        EnrichmentClientFactory f = http.o.primary(dir, List.of(List.of("A", "B")));
        assertThat(f).isNotNull();
        assertThat(f.getClass().getSimpleName()).isEqualTo("HttpClientFactory");

        Holder both = new Holder();
        new CommandLine(both)
                .parseArgs(
                        "--enrichment-url",
                        "http://localhost:8081",
                        "--llm-url",
                        "http://localhost:11434/v1",
                        "--llm-model",
                        "m");
        assertThatThrownBy(both.o::check).hasMessageContaining("exclude each other");

        Holder badUrl = new Holder();
        new CommandLine(badUrl).parseArgs("--llm-url", "not a url", "--llm-model", "m");
        assertThatThrownBy(badUrl.o::check).hasMessageContaining("not a url");
    }
}
