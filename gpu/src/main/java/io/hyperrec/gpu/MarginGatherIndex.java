package io.hyperrec.gpu;

import io.hyperrec.core.kernel.Triples;
import java.util.Arrays;

/**
 * The index of the deterministic margin gradient ({@code hr_margin_gather}): for every row of h
 * that the triples touch, the entries {@code 3e + role} (role 0 anchor, 1 positive, 2 negative)
 * that add to it, in ascending order, which is the order in which the reference adds them. Built by
 * a counting sort over the touched rows only; one int array, laid out as {@code rowIds[touched]},
 * {@code entryPtr[touched + 1]}, {@code entries[3·count]}. The arrays are reused between calls (a
 * hot path); not thread-safe.
 */
final class MarginGatherIndex {
    /** Per row of h, its slot among the touched rows; -1 between calls. */
    private int[] rowSlot = new int[0];

    private int[] slotCount = new int[0];
    private int[] data = new int[0];
    private int touched;
    private int length;

    /**
     * Builds the index of {@code t} over a matrix of {@code rows} rows (indices already checked).
     *
     * @return the number of ints of {@link #data()} in use
     */
    int build(Triples t, int rows) {
        int entries = 3 * t.count();
        if (rowSlot.length < rows) {
            rowSlot = new int[rows];
            Arrays.fill(rowSlot, -1);
        }
        if (slotCount.length < entries + 1) {
            slotCount = new int[entries + 1];
        }
        if (data.length < 3 * entries + 1) {
            data = new int[3 * entries + 1];
        }
        int[][] byRole = {t.anchors(), t.positives(), t.negatives()};
        touched = 0;
        for (int q = 0; q < entries; q++) {
            int row = byRole[q % 3][q / 3];
            int slot = rowSlot[row];
            if (slot < 0) {
                slot = touched++;
                rowSlot[row] = slot;
                data[slot] = row;
                slotCount[slot] = 0;
            }
            slotCount[slot]++;
        }
        int ptr = ptrAt();
        data[ptr] = 0;
        for (int s = 0; s < touched; s++) {
            data[ptr + s + 1] = data[ptr + s] + slotCount[s];
            slotCount[s] = data[ptr + s]; // from here on: the next free position of slot s
        }
        int at = entriesAt();
        for (int q = 0; q < entries; q++) {
            int slot = rowSlot[byRole[q % 3][q / 3]];
            data[at + slotCount[slot]++] = q;
        }
        for (int s = 0; s < touched; s++) {
            rowSlot[data[s]] = -1;
        }
        length = at + entries;
        return length;
    }

    /** The index (valid up to the length {@link #build} returned). */
    int[] data() {
        return data;
    }

    /** Number of touched rows. */
    int touched() {
        return touched;
    }

    /** Where {@code entryPtr} starts in {@link #data()}. */
    int ptrAt() {
        return touched;
    }

    /** Where {@code entries} start in {@link #data()}. */
    int entriesAt() {
        return 2 * touched + 1;
    }
}
