package io.hyperrec.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyperrec.core.data.Dataset;
import io.hyperrec.core.data.SyntheticConfig;
import io.hyperrec.core.data.SyntheticDataset;
import io.hyperrec.core.kernel.CpuKernels;
import io.hyperrec.core.kernel.Kernels;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HyperLlmTrainerTest {
    private static final Dataset DATA =
            SyntheticDataset.generate(
                    SyntheticConfig.builder().users(400).items(300).seed(7).build());

    /** Keeps the latest checkpoint in memory. */
    static final class MemoryStore implements CheckpointStore {
        byte[] state;
        int saves;

        @Override
        public void save(byte[] s) {
            state = s.clone();
            saves++;
        }

        @Override
        public Optional<byte[]> load() {
            return Optional.ofNullable(state);
        }
    }

    private static TrainConfig.Builder small(Variant v) {
        return TrainConfig.builder().variant(v).epochs(4).batchSize(1024).margin(0.5f).lr(0.01f);
    }

    private static TrainResult run(TrainConfig cfg, CheckpointStore store) {
        try (Kernels k = new CpuKernels()) {
            return new HyperLlmTrainer(DATA, cfg, k, null, null).train(store, TrainListener.NONE);
        }
    }

    @Test
    void structuralTrainingLowersTheLossAndBeatsRandomRanking() {
        TrainResult r = run(small(Variant.STRUCTURAL).epochs(8).build(), CheckpointStore.NONE);
        assertThat(r.epochs()).hasSize(8);
        assertThat(r.epochs().get(7).loss()).isLessThan(r.epochs().get(0).loss());
        // Random ranking of 300 items puts ~20/300 of a user's held-out items in the top 20.
        assertThat(r.test().recall20()).isGreaterThan(3 * 20.0 / 300);
        assertThat(r.userEmbeddings()).hasSize(400 * 50);
        assertThat(r.bestEpoch()).isBetween(1, 8);
        // The tag view's tag points come along for cold start, on the hyperboloid.
        int tags = DATA.tags().orElseThrow().numTags();
        assertThat(r.tagEmbeddings()).hasSize(tags * 50);
        for (int t = 0; t < tags; t++) {
            assertThat(
                            io.hyperrec.core.geometry.Lorentz.inner(
                                    r.tagEmbeddings(), t * 50, r.tagEmbeddings(), t * 50, 50))
                    .isCloseTo(-1.0, org.assertj.core.api.Assertions.within(1e-3));
        }
        assertThat(run(small(Variant.BASE).epochs(1).build(), CheckpointStore.NONE).tagEmbeddings())
                .isNull();
    }

    @Test
    void maxNormBoundsEveryParameterRowAfterEachStep() {
        try (Kernels k = new CpuKernels(true)) {
            // A rate that sends points far from the origin within a few steps.
            HyperLlmTrainer free =
                    new HyperLlmTrainer(
                            DATA, small(Variant.STRUCTURAL).lr(2f).build(), k, null, null);
            HyperLlmTrainer bounded =
                    new HyperLlmTrainer(
                            DATA,
                            small(Variant.STRUCTURAL).lr(2f).maxNorm(0.3f).build(),
                            k,
                            null,
                            null);
            for (int s = 0; s < 5; s++) {
                free.step(s);
                bounded.step(s);
                assertThat(bounded.maxParameterNorm()).isLessThanOrEqualTo(0.3 + 1e-5);
            }
            assertThat(free.maxParameterNorm())
                    .as("unbounded, the same steps go further")
                    .isGreaterThan(0.3);
        }
    }

    @Test
    void sameSeedGivesIdenticalRuns() {
        TrainConfig cfg = small(Variant.STRUCTURAL).epochs(2).build();
        TrainResult a = run(cfg, CheckpointStore.NONE);
        TrainResult b = run(cfg, CheckpointStore.NONE);
        assertThat(b.userEmbeddings()).containsExactly(a.userEmbeddings());
        assertThat(b.epochs().get(1).loss()).isEqualTo(a.epochs().get(1).loss());
    }

    @Test
    void resumingFromACheckpointReproducesTheUninterruptedRun() {
        for (SamplerMode mode : SamplerMode.values()) {
            TrainConfig full =
                    small(Variant.STRUCTURAL).sampler(mode).epochs(4).checkpointEvery(2).build();
            TrainResult uninterrupted = run(full, CheckpointStore.NONE);

            MemoryStore store = new MemoryStore();
            try (Kernels k = new CpuKernels()) {
                new HyperLlmTrainer(DATA, full, k, null, null)
                        .train(new CrashAfterFirstSave(store), TrainListener.NONE);
            } catch (CrashAfterFirstSave.Crashed expected) {
                // a simulated crash right after the epoch-2 checkpoint
            }
            assertThat(store.saves).isEqualTo(1);
            TrainResult resumed = run(full, store);
            assertThat(resumed.epochs()).hasSize(4);
            assertThat(resumed.userEmbeddings())
                    .as(mode.name())
                    .containsExactly(uninterrupted.userEmbeddings());
            assertThat(resumed.itemEmbeddings()).containsExactly(uninterrupted.itemEmbeddings());
            assertThat(resumed.tagEmbeddings()).containsExactly(uninterrupted.tagEmbeddings());
            assertThat(resumed.test()).isEqualTo(uninterrupted.test());
        }
    }

    /** A store that throws (a simulated crash) right after its first save. */
    static final class CrashAfterFirstSave implements CheckpointStore {
        static final class Crashed extends RuntimeException {
            private static final long serialVersionUID = 1L;
        }

        private final MemoryStore inner;

        CrashAfterFirstSave(MemoryStore inner) {
            this.inner = inner;
        }

        @Override
        public void save(byte[] state) {
            inner.save(state);
            throw new Crashed();
        }

        @Override
        public Optional<byte[]> load() {
            return inner.load();
        }
    }

    @Test
    void refusesACheckpointOfAnotherConfiguration() {
        MemoryStore store = new MemoryStore();
        run(small(Variant.BASE).epochs(1).build(), store);
        assertThatThrownBy(() -> run(small(Variant.BASE).epochs(1).margin(0.7f).build(), store))
                .hasMessageContaining("another configuration");
    }

    @Test
    void variantsThatNeedPhase1VectorsSaySo() {
        try (Kernels k = new CpuKernels()) {
            assertThatThrownBy(
                            () ->
                                    new HyperLlmTrainer(
                                            DATA, small(Variant.SEMANTIC).build(), k, null, null))
                    .hasMessageContaining("phase-1");
            assertThatThrownBy(
                            () ->
                                    new HyperLlmTrainer(
                                            DATA,
                                            small(Variant.HYPERLLM).build(),
                                            k,
                                            new float[3],
                                            new float[3]))
                    .hasMessageContaining("expected 400x50");
        }
    }
}
