package io.hyperrec.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperrec.schemas.avro.Interaction;
import io.hyperrec.schemas.avro.ItemEnriched;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link RestSchemaRegistry} against an in-JVM server speaking the Confluent REST format. */
class RestSchemaRegistryTest {
    private FakeSchemaRegistryServer server;
    private RestSchemaRegistry registry;

    @BeforeEach
    void start() throws Exception {
        server = new FakeSchemaRegistryServer();
        registry =
                new RestSchemaRegistry(server.url(), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void registersUnderTheSubjectWithTheRegistryContentType() throws Exception {
        Schema schema = Interaction.getClassSchema();

        int id = registry.register("interactions-value", schema);

        assertThat(id).isEqualTo(1);
        assertThat(server.subjectVersions("interactions-value")).containsExactly(1);
        FakeSchemaRegistryServer.Request request = server.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/subjects/interactions-value/versions");
        assertThat(request.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(new ObjectMapper().readTree(request.body()).get("schema").asText())
                .isEqualTo(schema.toString());
    }

    @Test
    void cachesIdsAndSchemas() {
        int id = registry.register("interactions-value", Interaction.getClassSchema());
        registry.register("interactions-value", Interaction.getClassSchema());
        registry.schemaById(id); // known from the registration

        RestSchemaRegistry reader =
                new RestSchemaRegistry(server.url(), Duration.ofSeconds(5), Duration.ofSeconds(5));
        Schema first = reader.schemaById(id);
        Schema second = reader.schemaById(id);

        assertThat(first).isEqualTo(Interaction.getClassSchema()).isSameAs(second);
        assertThat(server.requests())
                .extracting(
                        FakeSchemaRegistryServer.Request::method,
                        FakeSchemaRegistryServer.Request::path)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "POST", "/subjects/interactions-value/versions"),
                        org.assertj.core.groups.Tuple.tuple("GET", "/schemas/ids/" + id));
    }

    @Test
    void anUnknownIdNamesTheIdTheUrlAndTheRegistrysError() {
        assertThatThrownBy(() -> registry.schemaById(17))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> {
                            assertThat(e.isSchemaNotFound()).isTrue();
                            assertThat(e.httpStatus()).isEqualTo(404);
                        })
                .hasMessage(
                        "schema registry GET "
                                + server.url()
                                + "/schemas/ids/17 answered HTTP 404 (error_code 40403: Schema not"
                                + " found) while looking up schema id 17");
    }

    @Test
    void anUnknownIdInAConfluentValueIsAMalformedRecord() {
        byte[] value = {0, 0, 0, 0, 17, 2, 'x'};

        assertThatThrownBy(
                        () ->
                                AvroCodec.confluent(
                                                Interaction.class, registry, Topics.INTERACTIONS)
                                        .decode(value))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageStartingWith(
                        "unknown schema id 17 in the Confluent header: schema registry GET "
                                + server.url()
                                + "/schemas/ids/17 answered HTTP 404");
    }

    @Test
    void aRefusedRegistrationCarriesTheRegistrysCodeAndMessage() {
        server.failNext(
                409,
                "{\"error_code\":409,\"message\":\"Schema being registered is incompatible with an earlier schema for subject \\\"interactions-value\\\"\"}");

        assertThatThrownBy(
                        () -> registry.register("interactions-value", Interaction.getClassSchema()))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> {
                            assertThat(e.httpStatus()).isEqualTo(409);
                            assertThat(e.errorCode()).isEqualTo(409);
                            assertThat(e.isSchemaNotFound()).isFalse();
                        })
                .hasMessage(
                        "schema registry POST "
                                + server.url()
                                + "/subjects/interactions-value/versions answered HTTP 409 (error_code 409:"
                                + " Schema being registered is incompatible with an earlier schema for"
                                + " subject \"interactions-value\") while registering"
                                + " io.hyperrec.schemas.avro.Interaction under subject interactions-value");
    }

    @Test
    void anErrorWithoutAConfluentBodyShowsTheBody() {
        server.failNext(502, "<html>Bad Gateway</html>");

        assertThatThrownBy(() -> registry.schemaById(1))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.isSchemaNotFound()).isFalse())
                .hasMessageContaining(
                        "answered HTTP 502 (body: <html>Bad Gateway</html>) while looking up schema id 1");
    }

    @Test
    void aSlowRegistryTimesOut() {
        RestSchemaRegistry impatient =
                new RestSchemaRegistry(server.url(), Duration.ofSeconds(5), Duration.ofMillis(200));
        server.holdAnswers();
        try {
            assertThatThrownBy(() -> impatient.schemaById(1))
                    .isInstanceOf(SchemaRegistryException.class)
                    .hasMessageStartingWith(
                            "schema registry GET " + server.url() + "/schemas/ids/1 timed out")
                    .hasMessageEndingWith("while looking up schema id 1");
        } finally {
            server.release();
        }
    }

    @Test
    void anUnreachableRegistryIsARegistryFailure() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RestSchemaRegistry nowhere =
                new RestSchemaRegistry(
                        URI.create("http://127.0.0.1:" + port),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(2));

        assertThatThrownBy(
                        () -> nowhere.register("interactions-value", Interaction.getClassSchema()))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.httpStatus()).isEqualTo(-1))
                .hasMessageStartingWith(
                        "schema registry POST http://127.0.0.1:"
                                + port
                                + "/subjects/interactions-value/versions failed while registering");
    }

    @Test
    void keepsAPathPrefixAndEncodesTheSubject() {
        RestSchemaRegistry prefixed =
                new RestSchemaRegistry(
                        URI.create(server.url() + "/"),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(5));

        prefixed.register("odd subject/value", Interaction.getClassSchema());

        assertThat(prefixed.baseUrl()).isEqualTo(server.url().toString());
        assertThat(server.requests().get(0).path())
                .isEqualTo("/subjects/odd%20subject%2Fvalue/versions");
    }

    @Test
    void confluentCodecsOnTwoClientsShareDataThroughTheRegistry() {
        AvroCodec<ItemEnriched> writer =
                AvroCodec.confluent(ItemEnriched.class, registry, Topics.ITEMS_ENRICHED);
        AvroCodec<ItemEnriched> reader =
                AvroCodec.confluent(
                        ItemEnriched.class,
                        new RestSchemaRegistry(
                                server.url(), Duration.ofSeconds(5), Duration.ofSeconds(5)),
                        Topics.ITEMS_ENRICHED);

        byte[] value = writer.encode(SampleRecords.itemEnriched());

        assertThat(reader.decode(value)).isEqualTo(SampleRecords.itemEnriched());
        assertThat(server.subjectVersions("items.enriched-value")).containsExactly(1);
    }

    @Test
    void rejectsAUrlThatIsNotHttp() {
        assertThatThrownBy(
                        () ->
                                new RestSchemaRegistry(
                                        URI.create("ftp://registry"),
                                        Duration.ofSeconds(1),
                                        Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "schema registry URL must be an http(s) URL with a host, got ftp://registry");
    }
}
