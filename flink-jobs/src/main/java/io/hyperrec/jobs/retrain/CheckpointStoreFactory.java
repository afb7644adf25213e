package io.hyperrec.jobs.retrain;

import io.hyperrec.core.train.CheckpointStore;
import java.io.Serializable;

/**
 * Opens the durable store of a retrain's training checkpoints (RocksDB in the model store's module,
 * chosen by the launcher), so that a retrain that crashed resumes from its last epoch.
 */
@FunctionalInterface
public interface CheckpointStoreFactory extends Serializable {
    /**
     * The store for one retrain attempt; the same {@code runId} reopens the same checkpoints.
     *
     * @return a store the caller closes when it is AutoCloseable
     */
    CheckpointStore open(String runId) throws Exception;
}
