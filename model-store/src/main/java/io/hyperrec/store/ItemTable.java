package io.hyperrec.store;

import io.hyperrec.core.model.LorentzScorer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The in-memory item matrix of one served model version: a dense row-major float array (what {@link
 * LorentzScorer} scans) with spare capacity for items that arrive as upserts, their ids, and the
 * hidden items as a bit set. RocksDB holds the durable copy; this one is rebuilt on publish and on
 * open, and patched in place by item upserts of its version.
 *
 * <p>Thread-safety: a read-write lock. Scoring holds the read lock for the whole scan, so many
 * requests score concurrently and none sees a half-written row; an upsert or a hide holds the write
 * lock for one row (and, when the array must grow, one copy).
 */
final class ItemTable {
    private final int dim;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Integer> index;
    private final BitSet hidden = new BitSet();
    private float[] points;
    private String[] ids;
    private int count;

    ItemTable(int dim, int expectedItems) {
        if (dim < 2) {
            throw new IllegalArgumentException("dim must be at least 2, got " + dim);
        }
        int capacity = Math.max(16, expectedItems);
        this.dim = dim;
        this.points = new float[Math.multiplyExact(capacity, dim)];
        this.ids = new String[capacity];
        this.index = new HashMap<>(capacity * 4 / 3 + 1);
    }

    int dim() {
        return dim;
    }

    /** Inserts an item or replaces its row; returns true when the item is new. */
    boolean put(String id, float[] point, boolean isHidden) {
        if (point.length != dim) {
            throw new IllegalArgumentException(
                    "item '"
                            + id
                            + "' has "
                            + point.length
                            + " coordinates, the item table has dim "
                            + dim);
        }
        lock.writeLock().lock();
        try {
            Integer row = index.get(id);
            boolean added = row == null;
            if (added) {
                if (count == ids.length) {
                    int capacity = Math.multiplyExact(ids.length, 2);
                    ids = Arrays.copyOf(ids, capacity);
                    points = Arrays.copyOf(points, Math.multiplyExact(capacity, dim));
                }
                row = count++;
                ids[row] = id;
                index.put(id, row);
            }
            System.arraycopy(point, 0, points, row * dim, dim);
            hidden.set(row, isHidden);
            return added;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Marks an item hidden or visible; unknown items are ignored. */
    void setHidden(String id, boolean isHidden) {
        lock.writeLock().lock();
        try {
            Integer row = index.get(id);
            if (row != null) {
                hidden.set(row, isHidden);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    boolean contains(String id) {
        lock.readLock().lock();
        try {
            return index.containsKey(id);
        } finally {
            lock.readLock().unlock();
        }
    }

    int size() {
        lock.readLock().lock();
        try {
            return count;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The k nearest visible items to {@code query} that are not in {@code excluded}.
     *
     * @param buffers the calling thread's scorer and output arrays
     */
    List<ScoredItem> topK(float[] query, int k, Collection<String> excluded, Buffers buffers) {
        if (query.length != dim) {
            throw new IllegalArgumentException(
                    "query has " + query.length + " coordinates, the item table has dim " + dim);
        }
        buffers.ensure(k, excluded.size());
        lock.readLock().lock();
        try {
            int n = 0;
            for (String id : excluded) {
                Integer row = index.get(id);
                if (row != null) {
                    buffers.excluded[n++] = row;
                }
            }
            Arrays.sort(buffers.excluded, 0, n);
            int found =
                    buffers.scorer.topK(
                            query,
                            0,
                            points,
                            count,
                            dim,
                            k,
                            buffers.excluded,
                            n,
                            hidden,
                            buffers.items,
                            buffers.scores);
            List<ScoredItem> out = new ArrayList<>(found);
            for (int r = 0; r < found; r++) {
                out.add(new ScoredItem(ids[buffers.items[r]], buffers.scores[r]));
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * One thread's scoring state, reused across requests so that scoring allocates only the result
     * list (a hot path: arrays grow, never shrink).
     */
    static final class Buffers {
        final LorentzScorer scorer = new LorentzScorer();
        int[] items = new int[0];
        float[] scores = new float[0];
        int[] excluded = new int[0];

        void ensure(int k, int excludedCount) {
            if (items.length < k) {
                items = new int[k];
                scores = new float[k];
            }
            if (excluded.length < excludedCount) {
                excluded = new int[Math.max(excludedCount, excluded.length * 2)];
            }
        }
    }
}
