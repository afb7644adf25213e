package io.hyperrec.enrichment.cache;

import io.hyperrec.enrichment.EnrichmentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * A persistent map from {@link Key} (content hash, prompt version, model) to a validated LLM reply,
 * in RocksDB (Flink's frocksdbjni), so that replaying the same items through the same prompt and
 * model never pays for the same completion twice.
 *
 * <p>Bytes at the bottom: a key is the UTF-8 of {@code sha256hex NUL promptVersion NUL model}, a
 * value the UTF-8 of the reply text (the callers store JSON). Writes go through RocksDB's
 * write-ahead log without fsync: a process crash loses nothing, a machine crash may lose the last
 * writes, which only costs a repeated completion.
 *
 * <p>Thread-safe: {@link #get} and {@link #put} run concurrently; {@link #close} waits for calls in
 * flight, and calls after it throw {@link IllegalStateException}.
 *
 * <h2>Native resources</h2>
 *
 * Owned here: the {@link Options} and the {@link RocksDB} handle. {@link #close} closes the
 * database first and its options last (the reverse of their creation), as RocksDB requires.
 */
public final class ReplyCache implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private final Path directory;
    private final Options options;
    private final RocksDB db;

    /** Read: any use of the database; write: close. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();

    private boolean closed;

    private ReplyCache(Path directory, Options options, RocksDB db) {
        this.directory = directory;
        this.options = options;
        this.db = db;
    }

    /**
     * Opens the cache in {@code directory}, creating it when missing. One process at a time may
     * hold a directory open (RocksDB's lock file).
     *
     * @return the open cache; close it
     * @throws EnrichmentException naming the directory when it cannot be opened
     */
    public static ReplyCache open(Path directory) {
        Objects.requireNonNull(directory, "directory");
        Options options =
                new Options()
                        .setCreateIfMissing(true)
                        .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                        .setKeepLogFileNum(2);
        try {
            Files.createDirectories(directory);
            return new ReplyCache(directory, options, RocksDB.open(options, directory.toString()));
        } catch (IOException | RocksDBException e) {
            options.close();
            throw new EnrichmentException(
                    "reply cache at " + directory + ": cannot open: " + e.getMessage(), e);
        }
    }

    /** The directory the cache lives in. */
    public Path directory() {
        return directory;
    }

    /**
     * The reply stored under {@code key}.
     *
     * @return the reply, or empty when none is stored
     * @throws EnrichmentException naming the directory and key when RocksDB fails
     * @throws IllegalStateException after {@link #close}
     */
    public Optional<String> get(Key key) {
        Objects.requireNonNull(key, "key");
        Lock lock = lifecycle.readLock();
        lock.lock();
        try {
            ensureOpen();
            byte[] value = db.get(key.bytes());
            return Optional.ofNullable(value).map(v -> new String(v, StandardCharsets.UTF_8));
        } catch (RocksDBException e) {
            throw new EnrichmentException(
                    "reply cache at " + directory + ": cannot read " + key + ": " + e.getMessage(),
                    e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stores {@code reply} under {@code key}, replacing what was there.
     *
     * @throws EnrichmentException naming the directory and key when RocksDB fails
     * @throws IllegalStateException after {@link #close}
     */
    public void put(Key key, String reply) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(reply, "reply");
        Lock lock = lifecycle.readLock();
        lock.lock();
        try {
            ensureOpen();
            db.put(key.bytes(), reply.getBytes(StandardCharsets.UTF_8));
        } catch (RocksDBException e) {
            throw new EnrichmentException(
                    "reply cache at " + directory + ": cannot write " + key + ": " + e.getMessage(),
                    e);
        } finally {
            lock.unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("reply cache at " + directory + " is closed");
        }
    }

    /** Closes the database, then its options; waits for calls in flight. Idempotent. */
    @Override
    public void close() {
        Lock lock = lifecycle.writeLock();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            db.close();
            options.close();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "ReplyCache{directory=" + directory + "}";
    }

    /**
     * What a reply depends on: the SHA-256 of the content the prompt was built from, the prompt's
     * version and the model.
     *
     * @param contentHash 64 lower-case hex digits
     * @param promptVersion non-blank, without NUL
     * @param model non-blank, without NUL
     */
    public record Key(String contentHash, String promptVersion, String model) {
        private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

        public Key {
            Objects.requireNonNull(contentHash, "contentHash");
            if (!SHA256_HEX.matcher(contentHash).matches()) {
                throw new IllegalArgumentException(
                        "contentHash must be 64 lower-case hex digits, got '" + contentHash + "'");
            }
            checkPart("promptVersion", promptVersion);
            checkPart("model", model);
        }

        /** The key of a reply to {@code content} (hashed as UTF-8) under a prompt and model. */
        public static Key of(String content, String promptVersion, String model) {
            Objects.requireNonNull(content, "content");
            return new Key(sha256Hex(content), promptVersion, model);
        }

        /** The SHA-256 of the UTF-8 of {@code content}, as 64 lower-case hex digits. */
        public static String sha256Hex(String content) {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                return HexFormat.of()
                        .formatHex(sha.digest(content.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        byte[] bytes() {
            return (contentHash + '\0' + promptVersion + '\0' + model)
                    .getBytes(StandardCharsets.UTF_8);
        }

        private static void checkPart(String name, String value) {
            Objects.requireNonNull(value, name);
            if (value.isBlank() || value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException(
                        name + " must be non-blank and without NUL, got '" + value + "'");
            }
        }
    }
}
