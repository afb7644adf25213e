package io.hyperrec.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hyperrec.core.data.Dataset;
import io.hyperrec.core.data.SyntheticConfig;
import io.hyperrec.core.data.SyntheticDataset;
import io.hyperrec.core.kernel.CpuKernels;
import io.hyperrec.core.kernel.Kernels;
import io.hyperrec.core.train.CheckpointStore;
import io.hyperrec.core.train.HyperLlmTrainer;
import io.hyperrec.core.train.Phase1Trainer;
import io.hyperrec.core.train.TrainConfig;
import io.hyperrec.core.train.TrainListener;
import io.hyperrec.core.train.TrainResult;
import io.hyperrec.core.train.Variant;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Both training phases on the emulated GPU follow the CPU kernels: the trainers drive every
 * operation, with slices, reused buffers and evaluation's masked top-k, as a real run does.
 */
class EmulatedTrainingTest {
    private static final Dataset DATA =
            SyntheticDataset.generate(
                    SyntheticConfig.builder().users(300).items(200).seed(7).build());

    private static Kernels emulated() {
        return CudaEmulation.openOrSkip(true);
    }

    private static <T> T on(Kernels k, Function<Kernels, T> run) {
        try (k) {
            return run.apply(k);
        }
    }

    @Test
    void phaseTwoFollowsTheCpuKernelsEpochByEpoch() {
        TrainConfig cfg =
                TrainConfig.builder()
                        .variant(Variant.STRUCTURAL)
                        .epochs(3)
                        .batchSize(1024)
                        .margin(0.5f)
                        .lr(0.01f)
                        .build();
        Function<Kernels, TrainResult> train =
                k ->
                        new HyperLlmTrainer(DATA, cfg, k, null, null)
                                .train(CheckpointStore.NONE, TrainListener.NONE);
        Kernels gpu = emulated();
        TrainResult cpu = on(new CpuKernels(true), train);
        TrainResult emu = on(gpu, train);
        for (int e = 0; e < 3; e++) {
            double expected = cpu.epochs().get(e).loss();
            assertThat(emu.epochs().get(e).loss())
                    .as("epoch %d loss", e + 1)
                    .isCloseTo(expected, within(1e-4 * Math.abs(expected)));
        }
        assertThat(emu.test().recall20()).isCloseTo(cpu.test().recall20(), within(0.01));
        assertThat(maxDifference(emu.userEmbeddings(), cpu.userEmbeddings())).isLessThan(1e-3);
    }

    @Test
    void phaseOneFollowsTheCpuKernels() {
        int sem = 16;
        SplittableRandom rnd = new SplittableRandom(3);
        float[] zu = new float[DATA.users().size() * sem];
        float[] zi = new float[DATA.items().size() * sem];
        for (float[] z : new float[][] {zu, zi}) {
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) rnd.nextGaussian();
            }
        }
        TrainConfig cfg =
                TrainConfig.builder()
                        .variant(Variant.SEMANTIC)
                        .margin(0.1f)
                        .epochs(2)
                        .batchSize(1024)
                        .lr(0.05f)
                        .build();
        Function<Kernels, Phase1Trainer.Result> train =
                k -> new Phase1Trainer(DATA, zu, zi, sem, 4, cfg, k).train(TrainListener.NONE);
        Kernels gpu = emulated();
        Phase1Trainer.Result cpu = on(new CpuKernels(true), train);
        Phase1Trainer.Result emu = on(gpu, train);
        assertThat(maxDifference(emu.userVectors(), cpu.userVectors())).isLessThan(1e-3);
        assertThat(maxDifference(emu.itemVectors(), cpu.itemVectors())).isLessThan(1e-3);
    }

    private static double maxDifference(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
