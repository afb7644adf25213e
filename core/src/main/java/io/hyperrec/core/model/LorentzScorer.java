package io.hyperrec.core.model;

import io.hyperrec.core.geometry.Lorentz;
import io.hyperrec.core.kernel.TopKHeap;
import java.util.BitSet;

/**
 * Top-k items for one query point over a dense item matrix, by squared Lorentz distance: the one
 * scoring implementation that the model store, the streaming job and offline evaluation share, so
 * that a recommendation served online is the one evaluation measured.
 *
 * <p>The score of item i for query u is −d²(u,i) = −arcosh(−⟨u,i⟩_L)², exactly {@link
 * Lorentz#sqdist} (HYPERLLM.md, "Geometry"). For points of the hyperboloid −⟨u,i⟩_L ≥ 1 and the
 * distance grows with −⟨u,i⟩_L, so the nearest item is the one with the largest Minkowski inner
 * product: candidates are selected on ⟨u,i⟩_L (one multiply-add per coordinate, no logarithm or
 * square root per item, the same trick as the kernels' batch top-k) and only the k winners are
 * scored with arcosh, in double, from the original rows. The winners are then ordered by that exact
 * score, ties by the lower item index.
 *
 * <p>Deviation from a plain sort by score: selection compares inner products rounded to float, and
 * below the arcosh clamp (−⟨u,i⟩_L &lt; 1+1e-8, i.e. an item on top of the query) the inner product
 * still separates items that {@code sqdist} makes equal. Either can only change which of two items
 * whose scores agree to float precision is kept at the k-th place.
 *
 * <p>Not thread-safe: an instance reuses its selection heap across calls, so a call allocates
 * nothing while k stays the same. Keep one per thread (e.g. in a {@link ThreadLocal}).
 */
public final class LorentzScorer {
    private TopKHeap heap;
    private int heapK;

    /** A scorer with no heap yet; the first call allocates one for its k. */
    public LorentzScorer() {}

    /**
     * The score of one item for one query: −d²(u,i) = −{@link Lorentz#sqdist}, as a float.
     *
     * @param query the query point's array
     * @param queryOffset where the query row starts
     * @param items the item matrix, row-major
     * @param itemOffset where the item row starts
     * @param dim the ambient dimension (d+1, time coordinate first)
     * @return the score; larger is nearer, at most 0
     */
    public static float score(
            float[] query, int queryOffset, float[] items, int itemOffset, int dim) {
        return (float) -Lorentz.sqdist(query, queryOffset, items, itemOffset, dim);
    }

    /**
     * Writes the {@code k} best items for {@code query}, best first, into {@code outItems} / {@code
     * outScores}, skipping excluded (e.g. seen) and hidden items. Slots after the returned count
     * are padded with item −1 and score −∞.
     *
     * @param query the query point: {@code dim} floats from {@code queryOffset}
     * @param queryOffset where the query row starts in {@code query}
     * @param items the item matrix, row-major, {@code dim} floats per row; only the first {@code
     *     itemCount} rows are read (the array may be larger, e.g. a table with spare capacity)
     * @param itemCount number of item rows to consider, ≥ 0
     * @param dim ambient dimension of a row (d+1, time coordinate first), ≥ 2
     * @param k how many items to return, ≥ 1
     * @param excludedSorted item indices to skip, ascending (duplicates and indices outside {@code
     *     [0, itemCount)} are allowed and ignored); may be null when {@code excludedCount} is 0
     * @param excludedCount how many leading entries of {@code excludedSorted} to use
     * @param hidden items to skip, by index; null for none
     * @param outItems receives item indices; length ≥ k
     * @param outScores receives scores (−d², larger is nearer); length ≥ k
     * @return the number of items written, {@code min(k, candidates)}
     * @throws IllegalArgumentException naming the offending argument and value
     */
    public int topK(
            float[] query,
            int queryOffset,
            float[] items,
            int itemCount,
            int dim,
            int k,
            int[] excludedSorted,
            int excludedCount,
            BitSet hidden,
            int[] outItems,
            float[] outScores) {
        check(
                query,
                queryOffset,
                items,
                itemCount,
                dim,
                k,
                excludedSorted,
                excludedCount,
                outItems,
                outScores);
        TopKHeap h = heapFor(k);
        h.reset();
        float q0 = query[queryOffset];
        int e = 0;
        int nextExcluded = excludedCount > 0 ? excludedSorted[0] : Integer.MAX_VALUE;
        for (int i = 0, row = 0; i < itemCount; i++, row += dim) {
            while (nextExcluded < i) {
                e++;
                nextExcluded = e < excludedCount ? excludedSorted[e] : Integer.MAX_VALUE;
            }
            if (nextExcluded == i || (hidden != null && hidden.get(i))) {
                continue;
            }
            // Minkowski inner product, accumulated in double as Lorentz.inner does.
            double s = -(double) q0 * items[row];
            for (int j = 1; j < dim; j++) {
                s += (double) query[queryOffset + j] * items[row + j];
            }
            h.offer(i, (float) s);
        }
        h.drainBestFirst(outItems, outScores, 0);
        int n = 0;
        while (n < k && outItems[n] >= 0) {
            outScores[n] = score(query, queryOffset, items, outItems[n] * dim, dim);
            n++;
        }
        sortByExactScore(outItems, outScores, n);
        return n;
    }

    private TopKHeap heapFor(int k) {
        if (heap == null || heapK != k) {
            heap = new TopKHeap(k);
            heapK = k;
        }
        return heap;
    }

    /** Insertion sort of the (few) winners by exact score, ties by lower index; allocation-free. */
    private static void sortByExactScore(int[] items, float[] scores, int n) {
        for (int a = 1; a < n; a++) {
            int item = items[a];
            float score = scores[a];
            int b = a;
            while (b > 0
                    && (scores[b - 1] < score || (scores[b - 1] == score && items[b - 1] > item))) {
                items[b] = items[b - 1];
                scores[b] = scores[b - 1];
                b--;
            }
            items[b] = item;
            scores[b] = score;
        }
    }

    private static void check(
            float[] query,
            int queryOffset,
            float[] items,
            int itemCount,
            int dim,
            int k,
            int[] excludedSorted,
            int excludedCount,
            int[] outItems,
            float[] outScores) {
        if (dim < 2) {
            throw new IllegalArgumentException(
                    "dim must be at least 2 (time coordinate plus one), got " + dim);
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
        if (queryOffset < 0 || (long) queryOffset + dim > query.length) {
            throw new IllegalArgumentException(
                    "query row ["
                            + queryOffset
                            + ", "
                            + ((long) queryOffset + dim)
                            + ") is outside the query array of length "
                            + query.length);
        }
        if (itemCount < 0 || (long) itemCount * dim > items.length) {
            throw new IllegalArgumentException(
                    "itemCount must be in [0, "
                            + items.length / dim
                            + "] for an item array of length "
                            + items.length
                            + " and dim "
                            + dim
                            + ", got "
                            + itemCount);
        }
        if (outItems.length < k || outScores.length < k) {
            throw new IllegalArgumentException(
                    "output arrays must hold k = "
                            + k
                            + " entries, got lengths "
                            + outItems.length
                            + " and "
                            + outScores.length);
        }
        int available = excludedSorted == null ? 0 : excludedSorted.length;
        if (excludedCount < 0 || excludedCount > available) {
            throw new IllegalArgumentException(
                    "excludedCount must be in [0, " + available + "], got " + excludedCount);
        }
        for (int e = 1; e < excludedCount; e++) {
            if (excludedSorted[e] < excludedSorted[e - 1]) {
                throw new IllegalArgumentException(
                        "excluded indices must be ascending, got "
                                + excludedSorted[e - 1]
                                + " before "
                                + excludedSorted[e]
                                + " at position "
                                + e);
            }
        }
    }
}
