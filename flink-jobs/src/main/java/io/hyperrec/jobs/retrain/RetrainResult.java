package io.hyperrec.jobs.retrain;

import java.util.HashMap;
import java.util.Map;

/** What a retrain produced: a version that passed the gate (or why it did not). */
public class RetrainResult {
    /** The version number the model was trained as. */
    public long version;

    /** Its snapshot directory (TrainedModel format). */
    public String location;

    /** Whether it passed the quality gate and may be published. */
    public boolean accepted;

    /** The gate's verdict in words. */
    public String reason;

    /** Metrics (valid_recall@20, test_recall@20, live_valid_recall@20, ...). */
    public Map<String, Double> metrics = new HashMap<>();

    /** Per partition of {@code interactions}, the first offset the retrain did not read. */
    public Map<Integer, Long> snapshotOffsets = new HashMap<>();

    /**
     * The most interacted-with items of the training data, most first, with their counts: the
     * version's fallback for users it has no point for.
     */
    public java.util.LinkedHashMap<String, Long> popular = new java.util.LinkedHashMap<>();

    /** Interactions read, and those skipped as unreadable. */
    public long interactions;

    /** See {@link #interactions}. */
    public long skipped;

    /** Training time, seconds. */
    public double trainSeconds;

    /** For Flink. */
    public RetrainResult() {}

    @Override
    public String toString() {
        return "version " + version + (accepted ? " accepted" : " rejected") + ": " + reason;
    }
}
