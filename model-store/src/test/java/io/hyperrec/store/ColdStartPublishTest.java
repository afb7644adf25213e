package io.hyperrec.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyperrec.core.coldstart.ColdStartFitter;
import io.hyperrec.core.coldstart.ColdStartModel;
import io.hyperrec.core.model.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ColdStartPublishTest {
    @TempDir Path dir;

    @Test
    void aVersionsColdStartModelTravelsInItsSnapshot() {
        TrainedModel model = TestModels.random(3, 5, "i", 40, 6);
        List<float[]> text = new ArrayList<>();
        List<List<String>> tags = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            text.add(new float[] {i % 3, (i * 7) % 5, 1});
            tags.add(List.of());
        }
        ColdStartModel cold =
                ColdStartFitter.fit(
                        new ColdStartFitter.Inputs(
                                6, model.itemPoints(), tags, List.of(), new float[0], text, "t3"),
                        ColdStartFitter.Options.defaults());
        try (ModelStore store = ModelStore.open(dir)) {
            PublishedVersion v = store.publish(1, model, Map.of(), List.of(), cold);

            Path saved = v.location().resolve(ModelStore.COLD_START_DIR);
            assertThat(ColdStartModel.existsIn(saved)).isTrue();
            ColdStartModel back = ColdStartModel.load(saved);
            assertThat(back.textEncoder()).isEqualTo("t3");
            float[] x = {1, 2, 1};
            assertThat(back.place(List.of(), x, ColdStartModel.Method.TEXT).point())
                    .containsExactly(cold.place(List.of(), x, ColdStartModel.Method.TEXT).point());
            // A version published without one has none.
            PublishedVersion v2 = store.publish(2, model, Map.of(), List.of());
            assertThat(ColdStartModel.existsIn(v2.location().resolve(ModelStore.COLD_START_DIR)))
                    .isFalse();
        }
    }
}
