package io.hyperrec.core.eval;

/**
 * Prequential ("test, then train") accuracy of a stream: each event is scored against the model as
 * it stood just before the event, then the model may learn from it. With one relevant item per
 * event, Recall@K is the hit rate and NDCG@K is the mean of 1/log2(rank+2) over hits (rank from 0).
 *
 * <p>Not thread-safe; one instance per arm.
 */
public final class Prequential {
    private final int k;
    private long events;
    private long hits;
    private double dcg;

    /** An accumulator for cut-off {@code k}. */
    public Prequential(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        this.k = k;
    }

    /**
     * Records one event.
     *
     * @param topItems the model's top items for the user before the event, best first
     * @param count how many entries of {@code topItems} are valid (at most k are read)
     * @param item the item the user then interacted with
     */
    public void record(int[] topItems, int count, int item) {
        events++;
        int n = Math.min(count, k);
        for (int r = 0; r < n; r++) {
            if (topItems[r] == item) {
                hits++;
                dcg += 1.0 / (Math.log(r + 2) / Math.log(2));
                return;
            }
        }
    }

    /**
     * Records one event by the rank (from 0) the model gave its item, or −1 when the item was not
     * in the model's list.
     */
    public void recordRank(int rank) {
        events++;
        if (rank >= 0 && rank < k) {
            hits++;
            dcg += 1.0 / (Math.log(rank + 2) / Math.log(2));
        }
    }

    /** Records an event for which the model had no ranking (a miss). */
    public void recordMiss() {
        events++;
    }

    /** Events recorded. */
    public long events() {
        return events;
    }

    /** Recall@k: the fraction of events whose item was in the top k. */
    public double recall() {
        return events == 0 ? 0 : (double) hits / events;
    }

    /** NDCG@k with one relevant item per event. */
    public double ndcg() {
        return events == 0 ? 0 : dcg / events;
    }

    /** The cut-off. */
    public int k() {
        return k;
    }
}
