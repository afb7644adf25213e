package io.hyperrec.core.train;

import java.util.Optional;

/**
 * Where a trainer keeps its checkpoints: one opaque, self-describing byte blob per run, replaced
 * atomically on each save. Implementations live outside {@code core} (RocksDB in the model store);
 * {@link #NONE} keeps nothing.
 */
public interface CheckpointStore {

    /** A store that keeps nothing. */
    CheckpointStore NONE =
            new CheckpointStore() {
                @Override
                public void save(byte[] state) {}

                @Override
                public Optional<byte[]> load() {
                    return Optional.empty();
                }
            };

    /** Replaces the stored checkpoint atomically and durably. */
    void save(byte[] state);

    /** The latest checkpoint, if any. */
    Optional<byte[]> load();
}
