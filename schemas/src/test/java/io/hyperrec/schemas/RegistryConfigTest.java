package io.hyperrec.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegistryConfigTest {
    @Test
    void parsesLocalAndUrls() {
        assertThat(RegistryConfig.parse(" LOCAL ")).isEqualTo(RegistryConfig.local());
        RegistryConfig rest = RegistryConfig.parse("http://registry:8081");
        assertThat(rest.kind()).isEqualTo(RegistryConfig.Kind.REST);
        assertThat(rest.url()).isEqualTo(URI.create("http://registry:8081"));
        assertThat(rest)
                .isEqualTo(
                        RegistryConfig.rest(
                                URI.create("http://registry:8081"),
                                RegistryConfig.DEFAULT_CONNECT_TIMEOUT,
                                RegistryConfig.DEFAULT_REQUEST_TIMEOUT));
    }

    @Test
    void rejectsValuesThatAreNeitherWithTheValueInTheMessage() {
        assertThatThrownBy(() -> RegistryConfig.parse("registry:8081"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "schema registry URL must be an http(s) URL with a host, got registry:8081");
        assertThatThrownBy(() -> RegistryConfig.parse(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("schema registry must be 'local' or an http(s) URL, got ''");
        assertThatThrownBy(
                        () ->
                                RegistryConfig.rest(
                                        URI.create("http://r:1"),
                                        Duration.ZERO,
                                        Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connect timeout must be positive, got PT0S");
    }

    @Test
    void survivesJavaSerializationAsFlinkShipsIt() throws Exception {
        for (RegistryConfig config :
                new RegistryConfig[] {
                    RegistryConfig.local(), RegistryConfig.rest("https://registry.example:8081/sr")
                }) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(config);
            }
            try (ObjectInputStream in =
                    new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                assertThat(in.readObject()).isEqualTo(config).hasToString(config.toString());
            }
        }
    }

    @Test
    void opensOneRegistryPerConfig() {
        assertThat(RegistryConfig.local().open()).isSameAs(LocalSchemaRegistry.shared());
        SchemaRegistry rest = RegistryConfig.rest("http://127.0.0.1:9/").open();
        assertThat(rest)
                .isInstanceOf(RestSchemaRegistry.class)
                .isSameAs(RegistryConfig.rest("http://127.0.0.1:9/").open());
        assertThat(((RestSchemaRegistry) rest).baseUrl()).isEqualTo("http://127.0.0.1:9");
    }
}
