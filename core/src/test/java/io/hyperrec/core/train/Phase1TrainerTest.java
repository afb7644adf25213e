package io.hyperrec.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hyperrec.core.data.Dataset;
import io.hyperrec.core.data.SyntheticConfig;
import io.hyperrec.core.data.SyntheticDataset;
import io.hyperrec.core.data.TagGraph;
import io.hyperrec.core.kernel.CpuKernels;
import io.hyperrec.core.kernel.Kernels;
import io.hyperrec.core.kernel.ReferenceKernels;
import io.hyperrec.core.kernel.Triples;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Phase1TrainerTest {
    private static final Dataset DATA =
            SyntheticDataset.generate(
                    SyntheticConfig.builder().users(300).items(200).seed(3).build());

    /**
     * Synthetic semantic vectors: an item's vector is its tags' one-hot sum plus noise, a user's
     * the mean of its training items' vectors; so semantics carry the taxonomy, as LLM summaries
     * do.
     */
    static float[][] semantics(Dataset ds, int dim, long seed) {
        TagGraph tg = ds.tags().orElseThrow();
        int ni = ds.items().size();
        int nu = ds.users().size();
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] items = new float[ni * dim];
        for (int e = 0; e < tg.itemTagItems().length; e++) {
            items[tg.itemTagItems()[e] * dim + 1 + tg.itemTagTags()[e] % (dim - 1)] += 0.3f;
        }
        for (int i = 0; i < items.length; i++) {
            items[i] += (float) (rnd.nextGaussian() * 0.02);
        }
        float[] users = new float[nu * dim];
        for (int u = 0; u < nu; u++) {
            int[] its = ds.train().itemsOf(u);
            for (int i : its) {
                for (int j = 0; j < dim; j++) {
                    users[u * dim + j] += items[i * dim + j] / its.length;
                }
            }
        }
        return new float[][] {users, items};
    }

    private static TrainConfig cfg(int epochs) {
        return TrainConfig.builder()
                .variant(Variant.SEMANTIC)
                .margin(0.1f)
                .epochs(epochs)
                .batchSize(1024)
                .dim(8)
                .build();
    }

    @Test
    void moeGradientsMatchFiniteDifferences() {
        int sem = 12;
        float[][] z = semantics(DATA, sem, 1);
        Kernels k = new ReferenceKernels();
        Phase1Trainer t =
                new Phase1Trainer(
                        DATA, z[0], z[1], sem, 3, cfg(1).toBuilder().margin(1.0f).build(), k);
        int nu = DATA.users().size();
        Triples tr =
                new Triples(
                        new int[] {0, 5, 9, 17},
                        new int[] {nu + 1, nu + 3, nu + 7, nu + 2},
                        new int[] {nu + 4, nu + 8, nu, nu + 11},
                        4);
        t.lossAndGradients(tr);
        float[] gWe = t.expertWeightGradient();
        float[] gWg = t.gateWeightGradient();
        float[][] gb = t.biasGradients();
        float[][] grads = {gWe, gWg, gb[0], gb[1]};
        SplittableRandom rnd = new SplittableRandom(9);
        for (int which = 0; which < 4; which++) {
            for (int q = 0; q < 6; q++) {
                int idx = rnd.nextInt(grads[which].length);
                float h = 2e-3f;
                t.perturb(which, idx, h);
                double up = t.lossAndGradients(tr);
                t.perturb(which, idx, -2 * h);
                double down = t.lossAndGradients(tr);
                t.perturb(which, idx, h);
                double fd = (up - down) / (2 * h);
                assertThat((double) grads[which][idx])
                        .as("group %d index %d", which, idx)
                        .isCloseTo(fd, within(3e-2 * Math.max(0.05, Math.abs(fd))));
            }
        }
    }

    @Test
    void phase1OutputsBeatRandomRankingAndFeedPhase2() {
        int sem = 16;
        float[][] z = semantics(DATA, sem, 2);
        try (Kernels k = new CpuKernels()) {
            Phase1Trainer.Result r =
                    new Phase1Trainer(
                                    DATA,
                                    z[0],
                                    z[1],
                                    sem,
                                    4,
                                    cfg(6).toBuilder().lr(0.05f).dim(50).build(),
                                    k)
                            .train(TrainListener.NONE);
            assertThat(r.userVectors()).hasSize(300 * 50);
            assertThat(r.itemVectors()).hasSize(200 * 50);
            assertThat(r.validation().recall20()).isGreaterThan(2 * 20.0 / 200);
            // The outputs are usable phase-1 vectors for phase 2.
            TrainResult p2 =
                    new HyperLlmTrainer(
                                    DATA,
                                    TrainConfig.builder()
                                            .variant(Variant.SEMANTIC)
                                            .epochs(2)
                                            .batchSize(1024)
                                            .build(),
                                    k,
                                    r.userVectors(),
                                    r.itemVectors())
                            .train(CheckpointStore.NONE, TrainListener.NONE);
            assertThat(p2.test().recall20()).isGreaterThan(2 * 20.0 / 200);
        }
    }

    @Test
    void rejectsVectorsOfTheWrongShape() {
        assertThatThrownBy(
                        () ->
                                new Phase1Trainer(
                                        DATA,
                                        new float[10],
                                        new float[10],
                                        4,
                                        2,
                                        cfg(1),
                                        new ReferenceKernels()))
                .hasMessageContaining("300x4");
    }
}
