package io.hyperrec.store.http;

import java.util.Map;
import java.util.Objects;

/**
 * One retrain as the API reports it.
 *
 * @param version the version it trains
 * @param state where it stands
 * @param trigger what started it: {@code manual} (the API, {@code hyperrec retrain}), {@code
 *     interactions} (N new records), {@code timer} (every M minutes) or {@code initial}
 * @param startedAt epoch milliseconds
 * @param finishedAt epoch milliseconds, or null while running
 * @param reason the quality gate's verdict or the failure, null while running
 * @param metrics validation and test metrics of the new version (empty while running)
 * @param interactions interactions it trained on (0 while running)
 */
public record RetrainStatus(
        long version,
        State state,
        String trigger,
        long startedAt,
        Long finishedAt,
        String reason,
        Map<String, Double> metrics,
        long interactions) {
    /** Where a retrain stands. */
    public enum State {
        /** Reading and training. */
        RUNNING,
        /** Passed the quality gate and is the live version (or was, until a newer one). */
        PUBLISHED,
        /** Finished but failed the quality gate; the live version was kept. */
        REJECTED,
        /** The job failed; the live version was kept. */
        FAILED;

        /** True once it has finished, whichever way. */
        public boolean finished() {
            return this != RUNNING;
        }
    }

    public RetrainStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(trigger, "trigger");
        metrics = Map.copyOf(Objects.requireNonNullElse(metrics, Map.of()));
    }

    /** A retrain that has just started. */
    public static RetrainStatus running(long version, String trigger, long startedAt) {
        return new RetrainStatus(
                version, State.RUNNING, trigger, startedAt, null, null, Map.of(), 0);
    }

    /** This retrain, finished. */
    public RetrainStatus finish(
            State state,
            long finishedAt,
            String reason,
            Map<String, Double> metrics,
            long interactions) {
        if (!state.finished()) {
            throw new IllegalArgumentException("a finished retrain cannot be " + state);
        }
        return new RetrainStatus(
                version, state, trigger, startedAt, finishedAt, reason, metrics, interactions);
    }
}
