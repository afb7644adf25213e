package io.hyperrec.core.train;

/** Receives progress from a trainer; every method defaults to doing nothing. */
public interface TrainListener {
    /** Called once before the first epoch (or after restoring a checkpoint). */
    default void started(int firstEpoch, int maxEpochs, int stepsPerEpoch) {}

    /** Called after every epoch with its result. */
    default void epochDone(EpochResult result, int bestEpoch, int epochsWithoutImprovement) {}

    /** Called after a checkpoint was written. */
    default void checkpointed(int epoch, int bytes) {}

    /** A listener that ignores everything. */
    TrainListener NONE = new TrainListener() {};
}
