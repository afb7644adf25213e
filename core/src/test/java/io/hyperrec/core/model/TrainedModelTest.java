package io.hyperrec.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyperrec.core.data.IdMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainedModelTest {
    @TempDir Path dir;

    @Test
    void saveAndLoadRoundTripExactly() {
        float[] users = {1, 0, 0, 1.25f, 0.75f, 0};
        float[] items = {1.5f, 1, 0.5f, 1, 0, 0, 2, 1, 1.4142135f};
        TrainedModel m =
                new TrainedModel(
                        IdMap.of(List.of("u1", "u2")),
                        IdMap.of(List.of("i1", "i2", "i3")),
                        users,
                        items,
                        3,
                        Map.of("variant", "hyperllm", "best_epoch", 7));
        m.save(dir);
        TrainedModel back = TrainedModel.load(dir);
        assertThat(back.users().tokens()).containsExactly("u1", "u2");
        assertThat(back.items().tokens()).containsExactly("i1", "i2", "i3");
        assertThat(back.userPoints()).containsExactly(users);
        assertThat(back.itemPoints()).containsExactly(items);
        assertThat(back.dim()).isEqualTo(3);
        assertThat(back.metadata())
                .containsEntry("variant", "hyperllm")
                .containsEntry("best_epoch", 7);
    }

    @Test
    void aDirectoryWithoutModelJsonIsNoModel() throws Exception {
        Files.writeString(dir.resolve("users.txt"), "u1\n");
        assertThatThrownBy(() -> TrainedModel.load(dir)).hasMessageContaining("model.json");
    }

    @Test
    void rejectsEmbeddingsOfTheWrongSize() {
        assertThatThrownBy(
                        () ->
                                new TrainedModel(
                                        IdMap.of(List.of("u1")),
                                        IdMap.of(List.of("i1")),
                                        new float[2],
                                        new float[3],
                                        3,
                                        Map.of()))
                .hasMessageContaining("do not match");
    }
}
