package io.hyperrec.core.kernel;

import java.util.Arrays;

/**
 * Keeps the k best (highest score) items seen so far; ties keep the lower item index. A sorted
 * insertion array: O(k) per accepted candidate, O(1) for the (usual) rejected one. Not thread-safe;
 * reuse one per thread with {@link #reset()}.
 */
public final class TopKHeap {
    private final int k;
    private final int[] items;
    private final float[] scores;
    private int size;

    /** A selector of the best {@code k} items. */
    public TopKHeap(int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
        this.k = k;
        this.items = new int[k];
        this.scores = new float[k];
    }

    /** Forgets every item offered so far. */
    public void reset() {
        size = 0;
    }

    /** The score an item must beat to enter (−∞ while fewer than k are held). */
    public float threshold() {
        return size < k ? Float.NEGATIVE_INFINITY : scores[k - 1];
    }

    /** Offers an item; kept if it is among the k best so far. NaN scores are ignored. */
    public void offer(int item, float score) {
        if (!(score > threshold()) && size == k) {
            return;
        }
        if (Float.isNaN(score)) {
            return;
        }
        int pos = size < k ? size++ : k - 1;
        while (pos > 0
                && (scores[pos - 1] < score
                        || (scores[pos - 1] == score && items[pos - 1] > item))) {
            scores[pos] = scores[pos - 1];
            items[pos] = items[pos - 1];
            pos--;
        }
        scores[pos] = score;
        items[pos] = item;
    }

    /** Writes the held items best first at {@code offset}, padding with −1/−∞ to k entries. */
    public void drainBestFirst(int[] outItems, float[] outScores, int offset) {
        System.arraycopy(items, 0, outItems, offset, size);
        System.arraycopy(scores, 0, outScores, offset, size);
        Arrays.fill(outItems, offset + size, offset + k, -1);
        Arrays.fill(outScores, offset + size, offset + k, Float.NEGATIVE_INFINITY);
        size = 0;
    }
}
