package io.hyperrec.core.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hyperrec.core.data.IdMap;
import io.hyperrec.core.geometry.Lorentz;
import io.hyperrec.core.kernel.CpuKernels;
import io.hyperrec.core.kernel.Kernels;
import io.hyperrec.core.kernel.ReferenceKernels;
import io.hyperrec.core.train.Rng;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OnlineUpdaterTest {
    private static final int D = 9;
    private static final int ITEMS = 200;

    private static ItemTable randomItems(long seed) {
        Rng rng = new Rng(seed);
        float[] pts = new float[ITEMS * D];
        float[] u = new float[D];
        for (int i = 0; i < ITEMS; i++) {
            for (int j = 1; j < D; j++) {
                u[j] = (float) (rng.nextDouble() - 0.5);
            }
            Lorentz.expmap0(u, 0, pts, i * D, D);
        }
        return ItemTable.of(3, IdMap.sequential("i", 1, ITEMS), pts, D);
    }

    private static List<OnlineUpdater.Step> randomSteps(ItemTable items, int users, long seed) {
        Rng rng = new Rng(seed);
        List<OnlineUpdater.Step> steps = new ArrayList<>();
        for (int k = 0; k < users; k++) {
            float[] p = new float[D];
            int start = rng.nextInt(ITEMS);
            OnlineUpdater.tangentMean(items, new int[] {start}, 1, p);
            float[] mom = new float[D];
            for (int j = 1; j < D; j++) {
                mom[j] = (float) (0.01 * (rng.nextDouble() - 0.5));
            }
            int[] neg = new int[OnlineConfig.defaults().negatives()];
            OnlineUpdater.sampleNegatives(seed + k, ITEMS, i -> i == start, neg);
            steps.add(new OnlineUpdater.Step(p, mom, rng.nextInt(ITEMS), neg));
        }
        return steps;
    }

    private static List<OnlineUpdater.Step> deepCopy(List<OnlineUpdater.Step> steps) {
        List<OnlineUpdater.Step> out = new ArrayList<>();
        for (OnlineUpdater.Step s : steps) {
            out.add(
                    new OnlineUpdater.Step(
                            s.point.clone(), s.momentum.clone(), s.positive, s.negatives.clone()));
        }
        return out;
    }

    private static int rankOf(ItemTable items, float[] user, int item) {
        float[] q = new float[D];
        items.copyPoint(item, q, 0);
        double target = Lorentz.sqdist(user, 0, q, 0, D);
        int rank = 0;
        for (int i = 0; i < items.size(); i++) {
            items.copyPoint(i, q, 0);
            if (i != item && Lorentz.sqdist(user, 0, q, 0, D) < target) {
                rank++;
            }
        }
        return rank;
    }

    @Test
    void theInteractedItemRisesInTheUsersRanking() {
        ItemTable items = randomItems(1);
        try (Kernels k = new CpuKernels(true);
                OnlineUpdater up = new OnlineUpdater(k, OnlineConfig.defaults())) {
            float[] p = new float[D];
            OnlineUpdater.tangentMean(items, new int[] {0}, 1, p);
            float[] mom = new float[D];
            int positive = 17;
            int before = rankOf(items, p, positive);
            double firstLoss = 0;
            double lastLoss = 0;
            for (int step = 0; step < 10; step++) {
                int[] neg = new int[8];
                OnlineUpdater.sampleNegatives(
                        OnlineUpdater.stepSeed("u1", 3, step), ITEMS, i -> i == positive, neg);
                double loss =
                        up.apply(List.of(new OnlineUpdater.Step(p, mom, positive, neg)), items);
                firstLoss = step == 0 ? loss : firstLoss;
                lastLoss = loss;
            }
            int after = rankOf(items, p, positive);
            assertThat(before).isGreaterThan(20);
            assertThat(after).isLessThan(5);
            assertThat(lastLoss).isLessThan(firstLoss);
            // Still a point of the hyperboloid: <p,p>_L = -1.
            assertThat(Lorentz.inner(p, 0, p, 0, D)).isCloseTo(-1.0, within(1e-3));
        }
    }

    @Test
    void resultsDoNotDependOnHowStepsAreBatched() {
        ItemTable items = randomItems(2);
        List<OnlineUpdater.Step> one = randomSteps(items, 300, 7);
        List<OnlineUpdater.Step> big = deepCopy(one);
        List<OnlineUpdater.Step> odd = deepCopy(one);
        try (Kernels k = new CpuKernels(false)) {
            new OnlineUpdater(k, OnlineConfig.defaults().withMaxBatch(1)).apply(one, items);
            new OnlineUpdater(k, OnlineConfig.defaults().withMaxBatch(256)).apply(big, items);
            OnlineUpdater seven = new OnlineUpdater(k, OnlineConfig.defaults().withMaxBatch(7));
            seven.apply(odd.subList(0, 100), items);
            seven.apply(odd.subList(100, 300), items);
        }
        for (int i = 0; i < one.size(); i++) {
            assertThat(big.get(i).point).isEqualTo(one.get(i).point);
            assertThat(odd.get(i).point).isEqualTo(one.get(i).point);
            assertThat(big.get(i).momentum).isEqualTo(one.get(i).momentum);
        }
    }

    @Test
    void cpuKernelsAgreeWithTheReferenceKernels() {
        ItemTable items = randomItems(3);
        List<OnlineUpdater.Step> ref = randomSteps(items, 50, 11);
        List<OnlineUpdater.Step> cpu = deepCopy(ref);
        try (Kernels r = new ReferenceKernels();
                Kernels c = new CpuKernels()) {
            double lr = new OnlineUpdater(r, OnlineConfig.defaults()).apply(ref, items);
            double lc = new OnlineUpdater(c, OnlineConfig.defaults()).apply(cpu, items);
            assertThat(lc).isCloseTo(lr, within(1e-6 * Math.max(1, Math.abs(lr))));
        }
        boolean moved = false;
        for (int i = 0; i < ref.size(); i++) {
            for (int j = 0; j < D; j++) {
                assertThat(cpu.get(i).point[j]).isCloseTo(ref.get(i).point[j], within(1e-5f));
            }
        }
        List<OnlineUpdater.Step> fresh = randomSteps(items, 50, 11);
        for (int i = 0; i < ref.size() && !moved; i++) {
            moved = !java.util.Arrays.equals(fresh.get(i).point, ref.get(i).point);
        }
        assertThat(moved).as("the steps changed the points").isTrue();
    }

    @Test
    void tangentMeanOfOneItemIsTheItem() {
        ItemTable items = randomItems(4);
        float[] p = new float[D];
        float[] q = new float[D];
        OnlineUpdater.tangentMean(items, new int[] {5}, 1, p);
        items.copyPoint(5, q, 0);
        for (int j = 0; j < D; j++) {
            assertThat(p[j]).isCloseTo(q[j], within(1e-4f));
        }
        float[] mean = new float[D];
        OnlineUpdater.tangentMean(items, new int[] {5, 6, 7}, 3, mean);
        assertThat(Lorentz.inner(mean, 0, mean, 0, D)).isCloseTo(-1.0, within(1e-4));
        assertThatThrownBy(() -> OnlineUpdater.tangentMean(items, new int[0], 0, mean))
                .hasMessageContaining("at least one item");
    }

    @Test
    void negativeSamplingIsDeterministicAndSkipsExcludedItems() {
        int[] a = new int[64];
        int[] b = new int[64];
        Set<Integer> seen = new HashSet<>(List.of(1, 2, 3, 4, 5));
        OnlineUpdater.sampleNegatives(42, 20, seen::contains, a);
        OnlineUpdater.sampleNegatives(42, 20, seen::contains, b);
        assertThat(a).isEqualTo(b);
        for (int x : a) {
            assertThat(x).isBetween(0, 19);
            assertThat(seen).doesNotContain(x);
        }
        OnlineUpdater.sampleNegatives(43, 20, seen::contains, b);
        assertThat(a).isNotEqualTo(b);
        assertThat(OnlineUpdater.stepSeed("u1", 1, 0))
                .isNotEqualTo(OnlineUpdater.stepSeed("u1", 1, 1))
                .isNotEqualTo(OnlineUpdater.stepSeed("u1", 2, 0))
                .isNotEqualTo(OnlineUpdater.stepSeed("u2", 1, 0));
    }

    @Test
    void stepsWithTheWrongShapeAreRejectedWithTheShapes() {
        ItemTable items = randomItems(5);
        try (Kernels k = new CpuKernels()) {
            OnlineUpdater up = new OnlineUpdater(k, OnlineConfig.defaults());
            OnlineUpdater.Step bad =
                    new OnlineUpdater.Step(new float[D], new float[D], 0, new int[3]);
            assertThatThrownBy(() -> up.apply(List.of(bad), items))
                    .hasMessageContaining("expected a point of 9 coordinates and 8 negatives")
                    .hasMessageContaining("got 9 and 3");
        }
    }

    @Test
    void itemTableAddsColdStartItemsWithoutTouchingThePublishedOnes() {
        ItemTable items = randomItems(6);
        float[] p = new float[D];
        p[0] = 1;
        ItemTable more = items.withItem("new-1", p);
        assertThat(more.size()).isEqualTo(ITEMS + 1);
        assertThat(more.indexOf("new-1")).isEqualTo(ITEMS);
        assertThat(more.id(ITEMS)).isEqualTo("new-1");
        assertThat(items.indexOf("new-1")).isEqualTo(-1);
        assertThat(more.withItem("i1", p)).isSameAs(more);
        float[] q = p.clone();
        q[1] = 0.5f;
        Lorentz.project(q, 0, D);
        ItemTable replaced = more.withItem("new-1", q);
        float[] got = new float[D];
        replaced.copyPoint(ITEMS, got, 0);
        assertThat(got).isEqualTo(q);
        assertThat(replaced.size()).isEqualTo(ITEMS + 1);
        assertThatThrownBy(() -> items.withItem("x", new float[3]))
                .hasMessageContaining("expected 9 coordinates, got 3");
    }
}
