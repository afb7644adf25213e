package io.hyperrec.jobs.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyperrec.schemas.FakeSchemaRegistryServer;
import io.hyperrec.schemas.LocalSchemaRegistry;
import io.hyperrec.schemas.MalformedRecordException;
import io.hyperrec.schemas.RegistryConfig;
import io.hyperrec.schemas.avro.Interaction;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import org.apache.flink.formats.avro.SchemaCoder;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class RegistrySchemaCoderTest {
    @Test
    void writesTheConfluentHeaderAndRegistersEachSchemaOnce() throws Exception {
        try (FakeSchemaRegistryServer server = new FakeSchemaRegistryServer()) {
            RegistryConfig rest =
                    RegistryConfig.rest(server.url(), Duration.ofSeconds(5), Duration.ofSeconds(5));
            SchemaCoder coder = new RegistrySchemaCoderProvider("interactions-value", rest).get();

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < 3; i++) {
                coder.writeSchema(Interaction.getClassSchema(), out);
            }

            assertThat(out.toByteArray())
                    .containsExactly(0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1);
            assertThat(server.requests()).hasSize(1);
            assertThat(coder.readSchema(new ByteArrayInputStream(out.toByteArray())))
                    .isEqualTo(Interaction.getClassSchema());
        }
    }

    @Test
    void readingLeavesTheStreamAtTheBody() throws Exception {
        int id = LocalSchemaRegistry.idFor(Interaction.getClassSchema());
        byte[] value = {
            0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id, 42
        };
        ByteArrayInputStream in = new ByteArrayInputStream(value);

        assertThat(
                        new RegistrySchemaCoder("interactions-value", RegistryConfig.local())
                                .readSchema(in))
                .isEqualTo(Interaction.getClassSchema());
        assertThat(in.read()).isEqualTo(42);
    }

    @Test
    void rejectsBadHeadersWithMalformedRecordException() {
        SchemaCoder coder = new RegistrySchemaCoder("interactions-value", RegistryConfig.local());

        assertThatThrownBy(() -> coder.readSchema(new ByteArrayInputStream(new byte[0])))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageStartingWith("empty value (0 bytes)");
        assertThatThrownBy(
                        () ->
                                coder.readSchema(
                                        new ByteArrayInputStream(new byte[] {(byte) 0xC3, 1, 2})))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageStartingWith(
                        "expected the Confluent magic byte 00, got C3 01 02 (looks like Avro single-object encoding");
        assertThatThrownBy(() -> coder.readSchema(new ByteArrayInputStream(new byte[] {0, 0, 1})))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage(
                        "truncated Confluent header: the value ends before the 4-byte schema id");
        assertThatThrownBy(
                        () ->
                                coder.readSchema(
                                        new ByteArrayInputStream(new byte[] {0, 0, 0, 0, 5})))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageStartingWith("unknown schema id 5 in the Confluent header");
    }

    @Test
    void providerTravelsAsAValue() throws Exception {
        RegistrySchemaCoderProvider provider =
                new RegistrySchemaCoderProvider(
                        "interactions-value", RegistryConfig.rest("http://registry:8081"));

        RegistrySchemaCoderProvider shipped = InstantiationUtil.clone(provider);

        assertThat(shipped).isEqualTo(provider).hasSameHashCodeAs(provider);
        assertThat(shipped.get()).isInstanceOf(RegistrySchemaCoder.class);
        assertThat(((RegistrySchemaCoder) shipped.get()).subject()).isEqualTo("interactions-value");
        assertThatThrownBy(() -> new RegistrySchemaCoderProvider("", RegistryConfig.local()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("subject must not be blank, got ''");
    }
}
