package io.hyperrec.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SplitTest {

    /** User u (0..3) has 2, 3, 10 and 25 distinct items. */
    private static int[][] pairs() {
        int[] sizes = {2, 3, 10, 25};
        int total = 0;
        for (int s : sizes) {
            total += s;
        }
        int[] users = new int[total];
        int[] items = new int[total];
        int k = 0;
        for (int u = 0; u < sizes.length; u++) {
            for (int i = 0; i < sizes[u]; i++) {
                users[k] = u;
                items[k] = (i * 7 + u) % 30;
                k++;
            }
        }
        return new int[][] {users, items};
    }

    @Test
    void randomSplitGivesTenPercentToValidationAndTestPerUser() {
        int[][] p = pairs();

        Split.Result r = Split.RANDOM_811.apply(4, 30, p[0], p[1], null, 7L);

        assertThat(new int[] {r.train().degree(0), r.valid().degree(0), r.test().degree(0)})
                .containsExactly(2, 0, 0);
        assertThat(new int[] {r.train().degree(1), r.valid().degree(1), r.test().degree(1)})
                .containsExactly(1, 1, 1);
        assertThat(new int[] {r.train().degree(2), r.valid().degree(2), r.test().degree(2)})
                .containsExactly(8, 1, 1);
        assertThat(new int[] {r.train().degree(3), r.valid().degree(3), r.test().degree(3)})
                .containsExactly(21, 2, 2);
        for (int u = 0; u < 4; u++) {
            for (int i : r.test().itemsOf(u)) {
                assertThat(r.train().contains(u, i)).isFalse();
                assertThat(r.valid().contains(u, i)).isFalse();
            }
        }
    }

    @Test
    void randomSplitIsDeterministicBySeed() {
        int[][] p = pairs();

        Split.Result a = Split.RANDOM_811.apply(4, 30, p[0], p[1], null, 7L);
        Split.Result b = Split.RANDOM_811.apply(4, 30, p[0], p[1], null, 7L);
        Split.Result c = Split.RANDOM_811.apply(4, 30, p[0], p[1], null, 8L);

        assertThat(b).isEqualTo(a);
        assertThat(c.test()).isNotEqualTo(a.test());
    }

    @Test
    void leaveOneOutPicksLatestKeysWithTiesByItemTokenThenInput() {
        IdMap items = IdMap.of(List.of("b", "10", "9", "a", "c"));
        // user 0: b@5, 10@9, 9@9, a@1, c@2 -> 9 and 10 tie at 9; "10" sorts after "9"
        int[] users = {0, 0, 0, 0, 0};
        int[] itemIdx = {0, 1, 2, 3, 4};
        double[] keys = {5, 9, 9, 1, 2};

        Split.Result r = Split.LEAVE_ONE_OUT.apply(1, items, users, itemIdx, keys, 0L);

        assertThat(r.test().itemsOf(0)).containsExactly(items.indexOf("10"));
        assertThat(r.valid().itemsOf(0)).containsExactly(items.indexOf("9"));
        assertThat(r.train().itemsOf(0)).containsExactlyInAnyOrder(0, 3, 4);
    }

    @Test
    void leaveOneOutWithoutKeysUsesInputOrder() {
        Split.Result r =
                Split.LEAVE_ONE_OUT.apply(
                        1, 5, new int[] {0, 0, 0, 0}, new int[] {4, 0, 3, 1}, null, 0L);

        assertThat(r.test().itemsOf(0)).containsExactly(1);
        assertThat(r.valid().itemsOf(0)).containsExactly(3);
        assertThat(r.train().itemsOf(0)).containsExactly(0, 4);
    }

    @Test
    void repeatedPairsKeepTheFirstOccurrence() {
        // item 2 appears at key 1 and again at key 10; the first occurrence (key 1) counts
        Split.Result r =
                Split.LEAVE_ONE_OUT.apply(
                        1,
                        4,
                        new int[] {0, 0, 0, 0},
                        new int[] {2, 0, 1, 2},
                        new double[] {1, 2, 3, 10},
                        0L);

        assertThat(r.test().itemsOf(0)).containsExactly(1);
        assertThat(r.valid().itemsOf(0)).containsExactly(0);
        assertThat(r.train().itemsOf(0)).containsExactly(2);
    }

    @Test
    void usersWithFewerThanThreeItemsStayInTrain() {
        Split.Result r =
                Split.LEAVE_ONE_OUT.apply(2, 3, new int[] {0, 0, 1}, new int[] {0, 1, 2}, null, 0L);

        assertThat(r.train().nnz()).isEqualTo(3);
        assertThat(r.valid().nnz()).isZero();
        assertThat(r.test().nnz()).isZero();
    }

    @Test
    void rejectsInconsistentInput() {
        assertThatThrownBy(
                        () -> Split.RANDOM_811.apply(1, 2, new int[] {0}, new int[] {2}, null, 0L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("items[0] must be in [0, 2), got 2");
        assertThatThrownBy(
                        () ->
                                Split.LEAVE_ONE_OUT.apply(
                                        1,
                                        2,
                                        new int[] {0},
                                        new int[] {1},
                                        new double[] {Double.NaN},
                                        0L))
                .hasMessageContaining("orderKeys[0] must not be NaN");
        assertThatThrownBy(
                        () ->
                                Split.LEAVE_ONE_OUT.apply(
                                        1, 2, new int[] {0}, new int[] {1}, new double[2], 0L))
                .hasMessageContaining("same length, got 1, 1 and 2");
    }
}
