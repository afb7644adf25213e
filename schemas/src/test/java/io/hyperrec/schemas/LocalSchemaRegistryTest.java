package io.hyperrec.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyperrec.schemas.avro.Interaction;
import io.hyperrec.schemas.avro.ItemCreated;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class LocalSchemaRegistryTest {
    @Test
    void idsAreTheSameInEveryInstanceAndForEverySubject() {
        LocalSchemaRegistry a = new LocalSchemaRegistry();
        LocalSchemaRegistry b = new LocalSchemaRegistry();
        Schema schema = Interaction.getClassSchema();

        int id = a.register("interactions-value", schema);

        assertThat(b.register("interactions-value", schema)).isEqualTo(id);
        assertThat(a.register("interactions-copy-value", schema)).isEqualTo(id);
        assertThat(a.register("interactions-value", schema)).isEqualTo(id);
        assertThat(id).isEqualTo(LocalSchemaRegistry.idFor(schema)).isPositive();
        assertThat(a.versions("interactions-value")).containsExactly(schema);
    }

    @Test
    void knowsEveryTopicRecordSchemaBeforeAnythingIsRegistered() {
        LocalSchemaRegistry fresh = new LocalSchemaRegistry();
        Set<Integer> ids = new HashSet<>();
        List<Schema> known = new ArrayList<>();
        for (Class<? extends SpecificRecord> type : SchemaHistory.RECORDS) {
            known.add(Records.schema(type));
            SchemaHistory.bundled().versions(type).forEach(v -> known.add(v.schema()));
        }

        for (Schema schema : known) {
            int id = LocalSchemaRegistry.idFor(schema);
            assertThat(fresh.schemaById(id)).isEqualTo(schema);
            ids.add(id);
        }
        // The class schemas carry avro.java.string, the stored ones do not: different texts, ids.
        assertThat(ids).hasSize(known.size());
    }

    @Test
    void refusesASchemaThatCannotReadTheSubjectsLatestVersion() {
        LocalSchemaRegistry registry = new LocalSchemaRegistry();
        registry.register("interactions-value", Interaction.getClassSchema());
        Schema incompatible =
                SchemaBuilder.record("Interaction")
                        .namespace("io.hyperrec.schemas.avro")
                        .fields()
                        .requiredString("user")
                        .requiredString("sessionId")
                        .endRecord();

        assertThatThrownBy(() -> registry.register("interactions-value", incompatible))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageStartingWith(
                        "local schema registry: schema being registered under subject interactions-value is incompatible with its latest version (BACKWARD):")
                .hasMessageContaining("READER_FIELD_MISSING_DEFAULT")
                .satisfies(
                        e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(409));
        assertThat(registry.versions("interactions-value")).hasSize(1);
    }

    @Test
    void anUnknownIdIsSchemaNotFound() {
        assertThatThrownBy(() -> new LocalSchemaRegistry().schemaById(3))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.isSchemaNotFound()).isTrue())
                .hasMessageStartingWith("local schema registry has no schema with id 3");
    }

    @Test
    void sharedInstanceIsOnePerJvm() {
        assertThat(LocalSchemaRegistry.shared()).isSameAs(LocalSchemaRegistry.shared());
        assertThat(
                        LocalSchemaRegistry.shared()
                                .schemaById(
                                        LocalSchemaRegistry.idFor(ItemCreated.getClassSchema())))
                .isEqualTo(ItemCreated.getClassSchema());
    }
}
