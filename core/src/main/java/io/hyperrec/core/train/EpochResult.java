package io.hyperrec.core.train;

import io.hyperrec.core.eval.Metrics;

/**
 * What one epoch did.
 *
 * @param epoch 1-based epoch number
 * @param loss mean total loss over the epoch's steps
 * @param seconds wall time of the epoch's training steps
 * @param evalSeconds wall time of its evaluation
 * @param validation validation metrics after the epoch
 * @param test test metrics when the epoch improved the validation criterion, else null
 */
public record EpochResult(
        int epoch,
        double loss,
        double seconds,
        double evalSeconds,
        Metrics validation,
        Metrics test) {

    /** Whether this epoch became the best so far. */
    public boolean improved() {
        return test != null;
    }
}
