package io.hyperrec.core.train;

import io.hyperrec.core.eval.Metrics;
import java.util.List;

/**
 * The outcome of a training run.
 *
 * @param epochs every epoch's result, in order
 * @param bestEpoch the epoch with the best validation criterion (ties go to the later one)
 * @param bestValidation validation metrics at the best epoch
 * @param test test metrics at the best epoch
 * @param userEmbeddings user points at the best epoch, numUsers×dim row-major
 * @param itemEmbeddings item points at the best epoch, numItems×dim row-major
 * @param tagEmbeddings tag points of the tag view at the best epoch, numTags×dim row-major, in the
 *     dataset's tag id order; null for variants without tags
 * @param dim ambient dimension
 * @param totalSeconds wall time of the run (this process only, after a resume)
 * @param stoppedEarly whether the patience ran out before the epoch limit
 */
public record TrainResult(
        List<EpochResult> epochs,
        int bestEpoch,
        Metrics bestValidation,
        Metrics test,
        float[] userEmbeddings,
        float[] itemEmbeddings,
        float[] tagEmbeddings,
        int dim,
        double totalSeconds,
        boolean stoppedEarly) {}
