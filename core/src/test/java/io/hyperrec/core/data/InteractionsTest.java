package io.hyperrec.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InteractionsTest {

    private static Interactions sample() {
        // user 0: items 3, 1, 3 (duplicate); user 1: none; user 2: items 0, 4, 1
        return Interactions.fromPairs(
                3, 5, new int[] {0, 2, 0, 2, 0, 2}, new int[] {3, 0, 1, 4, 3, 1});
    }

    @Test
    void fromPairsSortsRowsAndDropsDuplicates() {
        Interactions m = sample();

        assertThat(m.numUsers()).isEqualTo(3);
        assertThat(m.numItems()).isEqualTo(5);
        assertThat(m.nnz()).isEqualTo(5);
        assertThat(m.rowPtr()).containsExactly(0, 2, 2, 5);
        assertThat(m.cols()).containsExactly(1, 3, 0, 1, 4);
        assertThat(m.degree(0)).isEqualTo(2);
        assertThat(m.degree(1)).isZero();
        assertThat(m.itemsOf(2)).containsExactly(0, 1, 4);
    }

    @Test
    void containsFindsStoredPairsOnly() {
        Interactions m = sample();

        assertThat(m.contains(0, 3)).isTrue();
        assertThat(m.contains(0, 0)).isFalse();
        assertThat(m.contains(1, 3)).isFalse();
        assertThat(m.contains(2, 4)).isTrue();
        assertThat(m.contains(2, 99)).isFalse();
    }

    @Test
    void itemsOfReturnsACopy() {
        Interactions m = sample();

        m.itemsOf(0)[0] = 4;

        assertThat(m.itemsOf(0)).containsExactly(1, 3);
    }

    @Test
    void usersWithItemsSkipsEmptyRows() {
        assertThat(sample().usersWithItems()).containsExactly(0, 2);
    }

    @Test
    void pairsComeInRowMajorOrder() {
        Interactions m = sample();

        assertThat(m.pairUsers()).containsExactly(0, 0, 2, 2, 2);
        assertThat(m.pairItems()).containsExactly(1, 3, 0, 1, 4);
    }

    @Test
    void transposeSwapsUsersAndItemsWithSortedRows() {
        Interactions t = sample().transpose();

        assertThat(t.numUsers()).isEqualTo(5);
        assertThat(t.numItems()).isEqualTo(3);
        assertThat(t.itemsOf(1)).containsExactly(0, 2);
        assertThat(t.itemsOf(3)).containsExactly(0);
        assertThat(t.itemsOf(2)).isEmpty();
        assertThat(t.transpose()).isEqualTo(sample());
    }

    @Test
    void constructorCopiesItsArrays() {
        int[] rowPtr = {0, 1, 2};
        int[] cols = {0, 1};
        Interactions m = new Interactions(2, 2, rowPtr, cols);

        cols[0] = 1;
        rowPtr[1] = 0;

        assertThat(m.itemsOf(0)).containsExactly(0);
    }

    @Test
    void constructorRejectsUnsortedOrRepeatedColumns() {
        assertThatThrownBy(() -> new Interactions(1, 3, new int[] {0, 2}, new int[] {2, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("strictly increasing, got 2 then 1");
        assertThatThrownBy(() -> new Interactions(1, 3, new int[] {0, 2}, new int[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 1 then 1");
    }

    @Test
    void constructorRejectsBadShapes() {
        assertThatThrownBy(() -> new Interactions(2, 3, new int[] {0, 1}, new int[] {0}))
                .hasMessageContaining("rowPtr must have numUsers + 1 = 3 entries, got 2");
        assertThatThrownBy(() -> new Interactions(1, 3, new int[] {0, 1}, new int[] {3}))
                .hasMessageContaining("must be in [0, 3), got 3");
        assertThatThrownBy(() -> new Interactions(2, 3, new int[] {0, 2, 1}, new int[] {0}))
                .hasMessageContaining("rowPtr must be non-decreasing");
        assertThatThrownBy(() -> new Interactions(1, 3, new int[] {0, 2}, new int[] {0}))
                .hasMessageContaining("must equal cols.length = 1, got 2");
    }

    @Test
    void fromPairsRejectsOutOfRangeIndices() {
        assertThatThrownBy(() -> Interactions.fromPairs(2, 2, new int[] {0, 2}, new int[] {0, 0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("users[1] must be in [0, 2), got 2");
        assertThatThrownBy(() -> Interactions.fromPairs(2, 2, new int[] {0}, new int[] {-1}))
                .hasMessageContaining("items[0] must be in [0, 2), got -1");
        assertThatThrownBy(() -> Interactions.fromPairs(2, 2, new int[] {0}, new int[] {}))
                .hasMessageContaining("same length, got 1 and 0");
    }

    @Test
    void degreeOfUnknownUserNamesTheUser() {
        assertThatThrownBy(() -> sample().degree(3))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("user must be in [0, 3), got 3");
    }

    @Test
    void emptyHasNoPairs() {
        Interactions m = Interactions.empty(4, 2);

        assertThat(m.nnz()).isZero();
        assertThat(m.usersWithItems()).isEmpty();
        assertThat(m.rowPtr()).hasSize(5);
    }
}
