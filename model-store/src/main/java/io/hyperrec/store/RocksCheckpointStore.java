package io.hyperrec.store;

import io.hyperrec.core.train.CheckpointStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * Training checkpoints in RocksDB (Flink's frocksdbjni, the one RocksDB JNI on the classpath). One
 * key per run name; each save is a single synced put, so a crash leaves either the previous or the
 * new checkpoint, never a torn one.
 *
 * <p>Native objects are owned here and closed in reverse order of creation: write options, then the
 * database, then its options. Not thread-safe.
 */
public final class RocksCheckpointStore implements CheckpointStore, AutoCloseable {
    private static final String NAME = "training checkpoint store";

    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final byte[] key;
    private final Options options;
    private final RocksDB db;
    private final WriteOptions sync;

    /**
     * Opens (creating if needed) the store in {@code dir}.
     *
     * @param run the key under which this run's checkpoint is kept
     */
    public RocksCheckpointStore(Path dir, String run) {
        this.dir = dir;
        this.key = ("train/" + run).getBytes(StandardCharsets.UTF_8);
        Options o = null;
        try {
            Files.createDirectories(dir);
            o = new Options().setCreateIfMissing(true);
            this.db = RocksDB.open(o, dir.toString());
        } catch (RocksDBException | java.io.IOException e) {
            if (o != null) {
                o.close();
            }
            throw new StoreException(NAME, dir, "cannot open", e);
        }
        this.options = o;
        this.sync = new WriteOptions().setSync(true);
    }

    @Override
    public void save(byte[] state) {
        try {
            db.put(sync, key, state);
        } catch (RocksDBException e) {
            throw new StoreException(
                    NAME, dir, "cannot write a checkpoint of " + state.length + " bytes", e);
        }
    }

    @Override
    public Optional<byte[]> load() {
        try {
            return Optional.ofNullable(db.get(key));
        } catch (RocksDBException e) {
            throw new StoreException(NAME, dir, "cannot read the checkpoint", e);
        }
    }

    /** Removes this run's checkpoint. */
    public void clear() {
        try {
            db.delete(sync, key);
        } catch (RocksDBException e) {
            throw new StoreException(NAME, dir, "cannot delete the checkpoint", e);
        }
    }

    @Override
    public void close() {
        sync.close();
        db.close();
        options.close();
    }
}
