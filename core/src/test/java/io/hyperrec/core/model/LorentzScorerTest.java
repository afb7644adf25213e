package io.hyperrec.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hyperrec.core.geometry.Lorentz;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LorentzScorerTest {

    /** A random point of the hyperboloid: expmap0 of a Gaussian tangent vector. */
    private static float[] randomPoints(Random rnd, int n, int dim, double spread) {
        float[] out = new float[n * dim];
        float[] u = new float[dim];
        for (int r = 0; r < n; r++) {
            u[0] = 0;
            for (int j = 1; j < dim; j++) {
                u[j] = (float) (rnd.nextGaussian() * spread);
            }
            Lorentz.expmap0(u, 0, out, r * dim, dim);
        }
        return out;
    }

    private static int[] bruteForce(
            float[] q, float[] items, int n, int dim, int k, int[] excluded, BitSet hidden) {
        double[] score = new double[n];
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int item = i;
            if (Arrays.stream(excluded).anyMatch(e -> e == item) || hidden.get(i)) {
                continue;
            }
            score[i] = -Lorentz.sqdist(q, 0, items, i * dim, dim);
            candidates.add(i);
        }
        candidates.sort(Comparator.comparingDouble((Integer i) -> -score[i]).thenComparing(i -> i));
        return candidates.stream().limit(k).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void matchesABruteForceSortWithExclusionsAndHiddenItems() {
        Random rnd = new Random(42);
        int dim = 9;
        int n = 700;
        float[] items = randomPoints(rnd, n, dim, 0.6);
        LorentzScorer scorer = new LorentzScorer();
        for (int trial = 0; trial < 50; trial++) {
            float[] q = randomPoints(rnd, 1, dim, 0.6);
            int k = 1 + rnd.nextInt(40);
            int[] excluded = rnd.ints(30, 0, n).sorted().toArray(); // with duplicates
            BitSet hidden = new BitSet();
            rnd.ints(20, 0, n).forEach(hidden::set);
            int[] outItems = new int[k];
            float[] outScores = new float[k];

            int count =
                    scorer.topK(
                            q,
                            0,
                            items,
                            n,
                            dim,
                            k,
                            excluded,
                            excluded.length,
                            hidden,
                            outItems,
                            outScores);

            int[] expected = bruteForce(q, items, n, dim, k, excluded, hidden);
            assertThat(count).isEqualTo(k);
            assertThat(outItems).containsExactly(expected);
            for (int r = 0; r < k; r++) {
                assertThat(outScores[r])
                        .isCloseTo(
                                (float) -Lorentz.sqdist(q, 0, items, expected[r] * dim, dim),
                                within(1e-6f));
            }
        }
    }

    @Test
    void scoresAreMinusTheSquaredDistanceOnAHandMadeCase() {
        // Query at the origin; item r at hyperbolic distance a_r along the first axis.
        double[] a = {0.5, 0.1, 1.0, 0.3};
        int dim = 3;
        float[] items = new float[a.length * dim];
        for (int r = 0; r < a.length; r++) {
            items[r * dim] = (float) Math.cosh(a[r]);
            items[r * dim + 1] = (float) Math.sinh(a[r]);
        }
        float[] origin = {1, 0, 0};
        int[] outItems = new int[3];
        float[] outScores = new float[3];

        int count =
                new LorentzScorer()
                        .topK(origin, 0, items, 4, dim, 3, null, 0, null, outItems, outScores);

        assertThat(count).isEqualTo(3);
        assertThat(outItems).containsExactly(1, 3, 0);
        assertThat(outScores[0]).isCloseTo(-0.01f, within(1e-5f));
        assertThat(outScores[1]).isCloseTo(-0.09f, within(1e-5f));
        assertThat(outScores[2]).isCloseTo(-0.25f, within(1e-5f));
        assertThat(LorentzScorer.score(origin, 0, items, 2 * dim, dim))
                .isCloseTo(-1.0f, within(1e-5f));
    }

    @Test
    void padsWhenFewerCandidatesThanKAndReadsOnlyItemCountRows() {
        int dim = 3;
        float[] items = randomPoints(new Random(1), 6, dim, 0.5);
        float[] q = {1, 0, 0};
        int[] outItems = new int[5];
        float[] outScores = new float[5];
        BitSet hidden = new BitSet();
        hidden.set(1);

        // Rows 4 and 5 are spare capacity: itemCount = 4.
        int count =
                new LorentzScorer()
                        .topK(
                                q,
                                0,
                                items,
                                4,
                                dim,
                                5,
                                new int[] {0},
                                1,
                                hidden,
                                outItems,
                                outScores);

        assertThat(count).isEqualTo(2);
        assertThat(outItems).containsExactlyInAnyOrder(2, 3, -1, -1, -1);
        assertThat(Arrays.copyOfRange(outItems, 0, 2)).containsExactlyInAnyOrder(2, 3);
        assertThat(Arrays.copyOfRange(outScores, 2, 5)).containsOnly(Float.NEGATIVE_INFINITY);
    }

    @Test
    void breaksTiesByTheLowerIndex() {
        int dim = 3;
        float[] row = {(float) Math.cosh(0.4), (float) Math.sinh(0.4), 0};
        float[] items = new float[4 * dim];
        for (int r = 0; r < 4; r++) {
            System.arraycopy(row, 0, items, r * dim, dim);
        }
        int[] outItems = new int[2];
        float[] outScores = new float[2];
        new LorentzScorer()
                .topK(
                        new float[] {1, 0, 0},
                        0,
                        items,
                        4,
                        dim,
                        2,
                        null,
                        0,
                        null,
                        outItems,
                        outScores);
        assertThat(outItems).containsExactly(0, 1);
    }

    @Test
    void reusesItselfAcrossCallsWithDifferentK() {
        Random rnd = new Random(7);
        int dim = 5;
        int n = 100;
        float[] items = randomPoints(rnd, n, dim, 0.8);
        float[] q = randomPoints(rnd, 1, dim, 0.8);
        LorentzScorer scorer = new LorentzScorer();
        for (int k : new int[] {10, 3, 10, 10, 1}) {
            int[] outItems = new int[k];
            float[] outScores = new float[k];
            scorer.topK(q, 0, items, n, dim, k, null, 0, null, outItems, outScores);
            assertThat(outItems)
                    .containsExactly(bruteForce(q, items, n, dim, k, new int[0], new BitSet()));
        }
    }

    @Test
    void queryMayLiveAtAnOffset() {
        Random rnd = new Random(3);
        int dim = 4;
        float[] items = randomPoints(rnd, 20, dim, 0.7);
        float[] users = randomPoints(rnd, 3, dim, 0.7);
        int[] a = new int[5];
        int[] b = new int[5];
        LorentzScorer scorer = new LorentzScorer();
        scorer.topK(users, 2 * dim, items, 20, dim, 5, null, 0, null, a, new float[5]);
        float[] q = Arrays.copyOfRange(users, 2 * dim, 3 * dim);
        scorer.topK(q, 0, items, 20, dim, 5, null, 0, null, b, new float[5]);
        assertThat(a).containsExactly(b);
    }

    @Test
    void rejectsInvalidArgumentsNamingTheValue() {
        LorentzScorer s = new LorentzScorer();
        float[] items = new float[6];
        float[] q = {1, 0, 0};
        assertThatThrownBy(
                        () -> s.topK(q, 0, items, 2, 3, 0, null, 0, null, new int[1], new float[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("k must be positive, got 0");
        assertThatThrownBy(
                        () -> s.topK(q, 0, items, 3, 3, 1, null, 0, null, new int[1], new float[1]))
                .hasMessageContaining("itemCount must be in [0, 2]")
                .hasMessageContaining("got 3");
        assertThatThrownBy(
                        () -> s.topK(q, 1, items, 2, 3, 1, null, 0, null, new int[1], new float[1]))
                .hasMessageContaining("query row [1, 4)");
        assertThatThrownBy(
                        () -> s.topK(q, 0, items, 2, 3, 2, null, 0, null, new int[1], new float[2]))
                .hasMessageContaining("k = 2");
        assertThatThrownBy(
                        () ->
                                s.topK(
                                        q,
                                        0,
                                        items,
                                        2,
                                        3,
                                        1,
                                        new int[] {1, 0},
                                        2,
                                        null,
                                        new int[1],
                                        new float[1]))
                .hasMessageContaining("ascending, got 1 before 0 at position 1");
        assertThatThrownBy(
                        () -> s.topK(q, 0, items, 2, 1, 1, null, 0, null, new int[1], new float[1]))
                .hasMessageContaining("dim must be at least 2");
    }

    @Test
    void emptyCatalogueGivesNothing() {
        int[] out = new int[2];
        float[] scores = new float[2];
        int count =
                new LorentzScorer()
                        .topK(
                                new float[] {1, 0},
                                0,
                                new float[0],
                                0,
                                2,
                                2,
                                null,
                                0,
                                null,
                                out,
                                scores);
        assertThat(count).isZero();
        assertThat(out).containsExactly(-1, -1);
        assertThat(IntStream.of(out).sum()).isEqualTo(-2);
    }
}
