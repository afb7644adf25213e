package io.hyperrec.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyperrec.core.data.Dataset;
import io.hyperrec.core.data.InteractionLog;
import io.hyperrec.core.data.Split;
import io.hyperrec.core.data.SyntheticConfig;
import io.hyperrec.core.data.SyntheticDataset;
import io.hyperrec.core.eval.Metrics;
import io.hyperrec.core.kernel.CpuKernels;
import io.hyperrec.core.kernel.Kernels;
import io.hyperrec.core.model.TrainedModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetrainerTest {
    private static final SyntheticConfig SYN =
            SyntheticConfig.builder().users(300).items(200).seed(3).build();

    private static Dataset fromStream(long limit) {
        InteractionLog log = new InteractionLog();
        SyntheticDataset.eventStream(SYN)
                .limit(limit)
                .forEach(e -> log.add(e.user(), e.item(), e.timestampMillis()));
        return log.toDataset("stream", Split.RANDOM_811, 1);
    }

    private static TrainConfig cfg(int epochs) {
        return TrainConfig.builder()
                .variant(Variant.BASE)
                .epochs(epochs)
                .batchSize(1024)
                .margin(0.5f)
                .lr(0.01f)
                .build();
    }

    @Test
    void aLogBecomesASplitDatasetWithIdsInOrderOfAppearance() {
        InteractionLog log = new InteractionLog();
        for (int k = 0; k < 3000; k++) {
            log.add("u" + (k % 100), "item-" + ((k / 100) * 3 + k) % 50, k);
        }
        log.add("u0", "item-0", 3001); // a repeated pair
        Dataset ds = log.toDataset("log", Split.RANDOM_811, 1);
        assertThat(ds.users().size()).isEqualTo(100);
        assertThat(ds.items().size()).isEqualTo(50);
        assertThat(ds.users().token(0)).isEqualTo("u0");
        int pairs = ds.train().nnz() + ds.valid().nnz() + ds.test().nnz();
        assertThat(pairs).isEqualTo(3000);
        assertThat(ds.valid().nnz()).isGreaterThan(0);
        assertThatThrownBy(() -> new InteractionLog().toDataset("empty", Split.RANDOM_811, 1))
                .hasMessageContaining("no interactions to build dataset empty");
    }

    @Test
    void theGateComparesBothModelsOnTheNewSplitAndRejectsAWorseModel() {
        Dataset early = fromStream(6000);
        Dataset later = fromStream(12000);
        try (Kernels k = new CpuKernels()) {
            Retrainer r = new Retrainer(k);
            Retrainer.Outcome first =
                    r.run(
                            early,
                            cfg(6),
                            null,
                            null,
                            CheckpointStore.NONE,
                            TrainListener.NONE,
                            null,
                            null,
                            0);
            assertThat(first.accepted()).isTrue();
            assertThat(first.reason()).isEqualTo("first version");
            assertThat(first.model().metadata()).containsKeys("valid_recall@20", "test_recall@20");

            Retrainer.Outcome better =
                    r.run(
                            later,
                            cfg(6),
                            null,
                            null,
                            CheckpointStore.NONE,
                            TrainListener.NONE,
                            first.model(),
                            null,
                            0.01);
            Metrics live = better.liveGate();
            assertThat(live).isNotNull();
            assertThat(live.users()).isEqualTo(better.newGate().users());
            assertThat(better.reason()).contains("(new)").contains("(live)");

            // A model that barely trained is worse than the live one: the gate says no.
            Retrainer.Outcome worse =
                    r.run(
                            later,
                            TrainConfig.builder()
                                    .variant(Variant.BASE)
                                    .epochs(1)
                                    .batchSize(1024)
                                    .margin(0.5f)
                                    .lr(1e-6f)
                                    .build(),
                            null,
                            null,
                            CheckpointStore.NONE,
                            TrainListener.NONE,
                            better.model(),
                            null,
                            0.0);
            assertThat(worse.newGate().recall20()).isLessThan(worse.liveGate().recall20());
            assertThat(worse.accepted()).isFalse();
            assertThat(worse.reason()).endsWith("rejected");
        }
    }

    @Test
    void aModelEvaluatedOnItsOwnSplitMatchesItsTrainingValidation() {
        Dataset ds = fromStream(8000);
        try (Kernels k = new CpuKernels()) {
            Retrainer r = new Retrainer(k);
            Retrainer.Outcome o =
                    r.run(
                            ds,
                            cfg(4),
                            null,
                            null,
                            CheckpointStore.NONE,
                            TrainListener.NONE,
                            null,
                            null,
                            0);
            TrainedModel m = o.model();
            Metrics again = r.evaluateOn(m, ds);
            assertThat(again.recall20()).isEqualTo(o.newValidation().recall20());
            assertThat(List.of(again.users())).containsExactly(o.newValidation().users());
        }
    }

    @Test
    void theGateSetHoldsOnlyValidationPairsNewerThanTheLiveModel() {
        InteractionLog log = new InteractionLog();
        List<SyntheticDataset.Event> ev = SyntheticDataset.eventStream(SYN).limit(8000).toList();
        for (int k = 0; k < ev.size(); k++) {
            SyntheticDataset.Event e = ev.get(k);
            log.add(e.user(), e.item(), e.timestampMillis(), k >= ev.size() / 2);
        }
        Dataset ds = log.toDataset("fresh", Split.RANDOM_811, 1);
        io.hyperrec.core.data.Interactions gate = log.freshPairs(ds, ds.valid());
        assertThat(gate.nnz()).isGreaterThan(0).isLessThan(ds.valid().nnz());
        // Every gate pair is a validation pair whose first occurrence is in the fresh half.
        java.util.Set<String> firstHalf = new java.util.HashSet<>();
        for (int k = 0; k < ev.size() / 2; k++) {
            firstHalf.add(ev.get(k).user() + " " + ev.get(k).item());
        }
        int[] gu = gate.pairUsers();
        int[] gi = gate.pairItems();
        for (int k = 0; k < gu.length; k++) {
            assertThat(ds.valid().contains(gu[k], gi[k])).isTrue();
            assertThat(firstHalf)
                    .doesNotContain(ds.users().token(gu[k]) + " " + ds.items().token(gi[k]));
        }
        try (Kernels k = new CpuKernels()) {
            Retrainer r = new Retrainer(k);
            Retrainer.Outcome first =
                    r.run(
                            ds,
                            cfg(3),
                            null,
                            null,
                            CheckpointStore.NONE,
                            TrainListener.NONE,
                            null,
                            null,
                            0);
            Retrainer.Outcome empty =
                    r.run(
                            ds,
                            cfg(1),
                            null,
                            null,
                            CheckpointStore.NONE,
                            TrainListener.NONE,
                            first.model(),
                            io.hyperrec.core.data.Interactions.empty(
                                    ds.users().size(), ds.items().size()),
                            0);
            assertThat(empty.accepted()).isTrue();
            assertThat(empty.reason()).startsWith("no held-out interactions newer");
            Retrainer.Outcome gated =
                    r.run(
                            ds,
                            cfg(3),
                            null,
                            null,
                            CheckpointStore.NONE,
                            TrainListener.NONE,
                            first.model(),
                            gate,
                            1.0);
            assertThat(gated.reason()).contains("R@20 on " + gate.nnz() + " new held-out");
            assertThat(gated.accepted()).isTrue();
        }
    }
}
