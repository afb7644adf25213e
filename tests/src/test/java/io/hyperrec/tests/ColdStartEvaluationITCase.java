package io.hyperrec.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyperrec.app.coldstart.ColdStartEvaluation;
import io.hyperrec.app.demo.Platform;
import io.hyperrec.app.demo.RetrainScheduler;
import io.hyperrec.core.data.Dataset;
import io.hyperrec.core.data.RecboleReader;
import io.hyperrec.core.data.SyntheticConfig;
import io.hyperrec.core.data.SyntheticDataset;
import io.hyperrec.core.online.OnlineConfig;
import io.hyperrec.core.train.SamplerMode;
import io.hyperrec.core.train.TrainConfig;
import io.hyperrec.core.train.Variant;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cold-start evaluation end to end on a small synthetic catalogue: held-out items go through
 * items.new, the ItemOnboardingJob (offline tagger, MiniLM) and the model store; the report holds
 * every method, and placing the new items by their tags and text beats ranking at random.
 */
class ColdStartEvaluationITCase {
    @TempDir Path tmp;

    @Test
    void heldOutItemsAreOnboardedThroughThePipelineAndRankedByEveryMethod() throws Exception {
        SyntheticConfig cfg = SyntheticConfig.builder().users(300).items(200).seed(3).build();
        Dataset data = SyntheticDataset.generate(cfg);
        List<RecboleReader.Event> events =
                SyntheticDataset.eventStream(cfg)
                        .map(e -> new RecboleReader.Event(e.user(), e.item(), e.timestampMillis()))
                        .toList();
        TrainConfig train =
                TrainConfig.builder()
                        .variant(Variant.STRUCTURAL)
                        .sampler(SamplerMode.CLEAN)
                        .epochs(8)
                        .batchSize(1024)
                        .lr(0.01f)
                        .margin(0.5f)
                        .build();
        try (Platform platform =
                Platform.start(
                        new Platform.Options(
                                tmp.resolve("platform"),
                                "127.0.0.1",
                                0,
                                2,
                                train,
                                1.0,
                                OnlineConfig.defaults().withMargin(0.5f),
                                true,
                                RetrainScheduler.Policy.manualOnly(),
                                ColdStartEvaluation.taxonomy(data)))) {
            Map<String, Object> r =
                    new ColdStartEvaluation(
                                    platform,
                                    new ColdStartEvaluation.Options("synthetic", 0.2, 5),
                                    System.out)
                            .run(data, events);

            @SuppressWarnings("unchecked")
            Map<String, Map<String, Double>> methods =
                    (Map<String, Map<String, Double>>) r.get("methods");
            assertThat(methods).containsOnlyKeys("ours", "tags", "text", "content-knn", "random");
            methods.values().forEach(m -> assertThat(m).containsOnlyKeys("recall@20", "ndcg@20"));
            assertThat((int) r.get("holdout_items")).isBetween(20, 60);
            assertThat((int) r.get("users_evaluated")).isGreaterThan(50);
            assertThat(methods.get("ours").get("recall@20"))
                    .isGreaterThan(2 * methods.get("random").get("recall@20"));
            @SuppressWarnings("unchecked")
            Map<String, Object> onboarding = (Map<String, Object>) r.get("onboarding_ms");
            assertThat(((Number) onboarding.get("items")).longValue())
                    .isEqualTo(((Number) r.get("holdout_items")).longValue());
        }
    }
}
