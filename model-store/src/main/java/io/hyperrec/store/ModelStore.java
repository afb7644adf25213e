package io.hyperrec.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperrec.core.coldstart.ColdStartModel;
import io.hyperrec.core.data.IdMap;
import io.hyperrec.core.model.EmbeddingUpsert;
import io.hyperrec.core.model.EmbeddingUpsert.Kind;
import io.hyperrec.core.model.TrainedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The versioned model store: every published model version (user, item and tag points), the
 * embedding upserts the streaming job emits between retrains, seen and hidden items and item
 * metadata, in RocksDB (Flink's frocksdbjni); and top-k serving from the current version's item
 * matrix held in memory.
 *
 * <h2>Why it looks like this</h2>
 *
 * <ul>
 *   <li><b>Every version is kept</b> (up to {@link ModelStoreOptions#retainedVersions}): rows are
 *       keyed by version first (layout in {@code Keys}), so a new version never overwrites the one
 *       being served, an old one can be inspected or rolled back to, and dropping one is a range
 *       delete.
 *   <li><b>Atomic publish</b>: {@link #publish} exports the version's snapshot directory, writes
 *       its rows (unsynced batches), then flips {@code current} in one synced {@code WriteBatch}
 *       (which also syncs the rows before it in the write-ahead log, and deletes versions beyond
 *       retention). A crash before the flip leaves the previous version current; the orphaned rows
 *       (published rows of versions above {@code current}) and snapshot directory are deleted on
 *       the next open or publish.
 *   <li><b>Upserts never clobber and are never clobbered</b>: an upsert is applied only if its
 *       (modelVersion, seq) is newer than the entity's watermark (the newest upsert applied) and
 *       its version is not older than the current one; it is kept in its own layer of its version,
 *       so a publish that arrives after an early upsert of the same version does not overwrite it.
 *       An upsert is served only for its own version.
 *   <li><b>Serving from memory</b>: the current version's item matrix lives in an {@code
 *       ItemTable}, rebuilt from RocksDB when a version becomes current and patched by item
 *       upserts; user points are read from RocksDB per request (upsert layer first, then the
 *       published row). Users without a point get the version's popular items, marked fallback.
 * </ul>
 *
 * <h2>Thread-safety</h2>
 *
 * All methods are thread-safe. {@link #recommend} and the other reads run concurrently with each
 * other and with writers; writers ({@link #publish}, {@link #apply}, hides, item metadata) are
 * serialised by one lock. The served version is swapped atomically (one volatile reference): a
 * request sees either the old or the new version completely, and its result names which. {@link
 * #close} waits for in-flight calls; calls after it fail with {@link IllegalStateException}.
 *
 * <h2>Native resources</h2>
 *
 * Owned here and closed by {@link #close} in this order: write options, column family handles, the
 * database, then the column-family and database options.
 */
public final class ModelStore implements AutoCloseable {
    /** Freshness values above this (an hour) are recorded as this. */
    private static final long FRESHNESS_MAX_MS = 3_600_000L;

    /**
     * Freshness of applied upserts that carry a source time: the milliseconds from the source
     * event's append to Kafka until its upsert was applied here, i.e. until a recommendation
     * reflects it.
     */
    private final ConcurrentHistogram freshness = new ConcurrentHistogram(FRESHNESS_MAX_MS, 3);

    private final Map<Kind, ConcurrentHistogram> freshnessByKind =
            new java.util.EnumMap<>(Kind.class);

    {
        for (Kind k : Kind.values()) {
            freshnessByKind.put(k, new ConcurrentHistogram(FRESHNESS_MAX_MS, 3));
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);
    private static final String NAME = "model store";
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String CF_META = "meta";
    static final String CF_USERS = "users";
    static final String CF_ITEMS = "items";
    static final String CF_TAGS = "tags";
    static final String CF_ITEM_META = "item_meta";
    static final String CF_SEEN = "seen";
    static final String CF_HIDDEN = "hidden";
    static final String CF_WATERMARKS = "watermarks";
    private static final List<String> FAMILIES =
            List.of(
                    CF_META,
                    CF_USERS,
                    CF_ITEMS,
                    CF_TAGS,
                    CF_ITEM_META,
                    CF_SEEN,
                    CF_HIDDEN,
                    CF_WATERMARKS);
    private static final String DEFAULT_FAMILY = "default";
    private static final String SNAPSHOT_PREFIX = "v";
    private static final String TMP_PREFIX = ".tmp-";

    static {
        RocksDB.loadLibrary();
    }

    private final ModelStoreOptions options;
    private final Path dataDir;
    private final Path snapshotsDir;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final List<ColumnFamilyHandle> handles;
    private final RocksDB db;
    private final WriteOptions syncWrites;
    private final WriteOptions plainWrites;
    private final Map<String, ColumnFamilyHandle> families;
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle itemMeta;
    private final ColumnFamilyHandle seen;
    private final ColumnFamilyHandle hidden;
    private final ColumnFamilyHandle watermarks;

    /** Read: any use of the database; write: close. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();

    /** Serialises writers, so that read-modify-write sequences and publishes do not interleave. */
    private final ReentrantLock writeLock = new ReentrantLock();

    private final Set<String> hiddenItems = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<ItemTable.Buffers> buffers =
            ThreadLocal.withInitial(ItemTable.Buffers::new);
    private final Map<Kind, LongAdder> applied = new EnumMap<>(Kind.class);
    private final Map<Kind, LongAdder> dropped = new EnumMap<>(Kind.class);
    private final LongAdder recommendations = new LongAdder();
    private final LongAdder fallbacks = new LongAdder();
    private final LongAdder interactions = new LongAdder();
    private final LongAdder publishes = new LongAdder();

    private volatile boolean closed;
    private volatile ServingVersion serving;
    private volatile NavigableMap<Long, PublishedVersion> versions =
            Collections.unmodifiableNavigableMap(new TreeMap<>());
    private volatile long lastSourceTime = Long.MIN_VALUE;

    /** The current version's metadata and in-memory item table, swapped as one. */
    private record ServingVersion(PublishedVersion info, ItemTable items) {
        long version() {
            return info.version();
        }
    }

    private ModelStore(ModelStoreOptions options) {
        this.options = options;
        this.dataDir = options.dataDir();
        this.snapshotsDir = dataDir.resolve("snapshots");
        Path dbDir = dataDir.resolve("db");
        for (Kind k : Kind.values()) {
            applied.put(k, new LongAdder());
            dropped.put(k, new LongAdder());
        }
        DBOptions dbo = null;
        ColumnFamilyOptions cfo = null;
        List<ColumnFamilyHandle> hs = new ArrayList<>();
        RocksDB opened = null;
        WriteOptions sync = null;
        WriteOptions plain = null;
        try {
            Files.createDirectories(dbDir);
            Files.createDirectories(snapshotsDir);
            cfo = new ColumnFamilyOptions();
            dbo = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
            List<String> names = new ArrayList<>();
            names.add(DEFAULT_FAMILY);
            names.addAll(FAMILIES);
            for (String existing : existingFamilies(dbDir)) {
                if (!names.contains(existing)) {
                    names.add(existing); // RocksDB must open every family the database has
                }
            }
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            for (String name : names) {
                descriptors.add(new ColumnFamilyDescriptor(Keys.utf8(name), cfo));
            }
            opened = RocksDB.open(dbo, dbDir.toString(), descriptors, hs);
            sync = new WriteOptions().setSync(true);
            plain = new WriteOptions();
            Map<String, ColumnFamilyHandle> byName = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                byName.put(names.get(i), hs.get(i));
            }
            this.families = byName;
        } catch (IOException | RocksDBException | RuntimeException e) {
            closeQuietlyOnFailure(plain, sync, hs, opened, cfo, dbo, e);
            throw new StoreException(NAME, dataDir, "cannot open", e);
        }
        this.dbOptions = dbo;
        this.cfOptions = cfo;
        this.handles = hs;
        this.db = opened;
        this.syncWrites = sync;
        this.plainWrites = plain;
        this.meta = families.get(CF_META);
        this.itemMeta = families.get(CF_ITEM_META);
        this.seen = families.get(CF_SEEN);
        this.hidden = families.get(CF_HIDDEN);
        this.watermarks = families.get(CF_WATERMARKS);
        try {
            recover();
        } catch (RuntimeException e) {
            try {
                close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /**
     * Opens (creating if needed) the store described by {@code options}, cleans up what an
     * interrupted publish left behind, and loads the current version into memory.
     *
     * @param options the store's options
     * @return the open store; close it
     * @throws StoreException naming the directory when it cannot be opened
     */
    public static ModelStore open(ModelStoreOptions options) {
        return new ModelStore(Objects.requireNonNull(options, "options"));
    }

    /**
     * Opens (creating if needed) a store in {@code dataDir} with default options.
     *
     * @param dataDir the store's directory
     * @return the open store; close it
     */
    public static ModelStore open(Path dataDir) {
        return open(ModelStoreOptions.of(dataDir));
    }

    /** The store's directory (absolute). */
    public Path dataDir() {
        return dataDir;
    }

    /** Whether {@link #close} has been called. */
    public boolean isOpen() {
        return !closed;
    }

    /**
     * The served version.
     *
     * @return the current version; empty before the first publish
     */
    public OptionalLong currentVersion() {
        ServingVersion s = serving;
        return s == null ? OptionalLong.empty() : OptionalLong.of(s.version());
    }

    /**
     * The retained published versions.
     *
     * @return oldest first; the last one is current
     */
    public List<PublishedVersion> versions() {
        return List.copyOf(versions.values());
    }

    /**
     * One retained published version.
     *
     * @param version the version number
     * @return the version; empty when it was never published or is no longer retained
     */
    public Optional<PublishedVersion> version(long version) {
        return Optional.ofNullable(versions.get(version));
    }

    /**
     * The number of items the current version serves (published plus upserted).
     *
     * @return 0 before the first publish
     */
    public int currentItemCount() {
        ServingVersion s = serving;
        return s == null ? 0 : s.items().size();
    }

    // ------------------------------------------------------------------ publish

    /**
     * Publishes a new model version and makes it the served one, atomically: the version's snapshot
     * directory is exported ({@link TrainedModel#save} format, under {@code snapshots/v<version>}),
     * its user and item rows are written, then one synced write flips {@code current}, records the
     * version and deletes versions beyond retention. Upserts that arrived for this version before
     * the publish are kept and take precedence over the published rows.
     *
     * @param version the new version; greater than the current one
     * @param model the trained model (points of dim d+1, time coordinate first)
     * @param metrics validation and test metrics of the version (e.g. {@code valid_recall@20})
     * @param popularItems the version's most popular items, most popular first: the fallback for
     *     users without a point
     * @return the published version, whose {@link PublishedVersion#location} goes into {@code
     *     ModelPublished.location}
     * @throws IllegalArgumentException when the version is not newer than the current one, naming
     *     both
     * @throws StoreException when the database or the snapshot directory cannot be written; the
     *     previous version stays current
     */
    public PublishedVersion publish(
            long version,
            TrainedModel model,
            Map<String, Double> metrics,
            List<ScoredItem> popularItems) {
        return publish(version, model, metrics, popularItems, null);
    }

    /**
     * Publishes a version with its cold-start model, which goes into the version's snapshot
     * directory ({@code <location>/coldstart}) for the jobs that onboard new items.
     *
     * @param coldStart the version's cold-start model, or null for none
     * @see #publish(long, TrainedModel, Map, List)
     */
    public PublishedVersion publish(
            long version,
            TrainedModel model,
            Map<String, Double> metrics,
            List<ScoredItem> popularItems,
            ColdStartModel coldStart) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(popularItems, "popularItems");
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1, got " + version);
        }
        if (model.dim() < 2) {
            throw new IllegalArgumentException(
                    "model of version " + version + " must have dim >= 2, got " + model.dim());
        }
        enter();
        writeLock.lock();
        try {
            long current = currentOrZero();
            if (version <= current) {
                throw new IllegalArgumentException(
                        "version must be greater than the current version "
                                + current
                                + " of "
                                + NAME
                                + " at "
                                + dataDir
                                + ", got "
                                + version);
            }
            cleanupIncomplete(current);
            Path location = exportSnapshot(version, model, metrics, popularItems, coldStart);
            writeRows(families.get(CF_USERS), version, model.users(), model.userPoints(), model);
            writeRows(families.get(CF_ITEMS), version, model.items(), model.itemPoints(), model);
            options.beforeFlip().run();
            PublishedVersion info =
                    new PublishedVersion(
                            version,
                            location,
                            Instant.ofEpochMilli(options.clock().millis()),
                            metrics,
                            popularItems,
                            model.dim(),
                            model.users().size(),
                            model.items().size());
            List<Long> pruned = flip(info, model.items());
            NavigableMap<Long, PublishedVersion> next = new TreeMap<>(versions);
            next.put(version, info);
            pruned.forEach(next::remove);
            versions = Collections.unmodifiableNavigableMap(next);
            serving = loadServing(info);
            publishes.increment();
            for (long p : pruned) {
                deleteSnapshotAfterPublish(p);
            }
            LOG.info(
                    "{} at {}: published version {} ({} users, {} items, dim {}); retained {}",
                    NAME,
                    dataDir,
                    version,
                    model.users().size(),
                    model.items().size(),
                    model.dim(),
                    next.keySet());
            return info;
        } catch (RocksDBException e) {
            throw new StoreException(NAME, dataDir, "cannot publish version " + version, e);
        } finally {
            writeLock.unlock();
            exit();
        }
    }

    /** The sub-directory of a snapshot that holds the version's cold-start model, if any. */
    public static final String COLD_START_DIR = "coldstart";

    private Path exportSnapshot(
            long version,
            TrainedModel model,
            Map<String, Double> metrics,
            List<ScoredItem> popularItems,
            ColdStartModel coldStart) {
        Path target = snapshotsDir.resolve(SNAPSHOT_PREFIX + version);
        Path tmp = snapshotsDir.resolve(TMP_PREFIX + SNAPSHOT_PREFIX + version);
        Map<String, Object> metadata = new LinkedHashMap<>(model.metadata());
        metadata.put(Snapshots.MODEL_VERSION, version);
        metadata.put(Snapshots.METRICS, new LinkedHashMap<>(metrics));
        List<Map<String, Object>> popular = new ArrayList<>();
        for (ScoredItem p : popularItems) {
            popular.add(Map.of("item", p.item(), "score", p.score()));
        }
        metadata.put(Snapshots.POPULAR_ITEMS, popular);
        try {
            deleteRecursively(tmp);
            deleteRecursively(target);
            new TrainedModel(
                            model.users(),
                            model.items(),
                            model.userPoints(),
                            model.itemPoints(),
                            model.dim(),
                            metadata)
                    .save(tmp);
            if (coldStart != null) {
                coldStart.save(tmp.resolve(COLD_START_DIR));
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UncheckedIOException e) {
            throw new StoreException(
                    NAME,
                    dataDir,
                    "cannot export the snapshot of version " + version + " to " + target,
                    e);
        }
        return target;
    }

    private void writeRows(
            ColumnFamilyHandle cf, long version, IdMap ids, float[] points, TrainedModel model)
            throws RocksDBException {
        int dim = model.dim();
        try (WriteBatch batch = new WriteBatch()) {
            int inBatch = 0;
            for (int r = 0; r < ids.size(); r++) {
                batch.put(
                        cf,
                        Keys.row(version, Keys.PUBLISHED, ids.token(r)),
                        Keys.rowValue(
                                EmbeddingUpsert.PUBLISHED_SEQ,
                                Keys.noTime(),
                                points,
                                r * dim,
                                dim));
                if (++inBatch == options.publishBatchRows()) {
                    db.write(plainWrites, batch);
                    batch.clear();
                    inBatch = 0;
                }
            }
            if (inBatch > 0) {
                db.write(plainWrites, batch);
            }
        }
    }

    /** The synced flip; returns the versions it pruned. */
    private List<Long> flip(PublishedVersion info, IdMap items) throws RocksDBException {
        long version = info.version();
        List<Long> all = new ArrayList<>(versions.keySet());
        all.add(version);
        List<Long> pruned =
                all.size() > options.retainedVersions()
                        ? all.subList(0, all.size() - options.retainedVersions())
                        : List.of();
        try (WriteBatch flip = new WriteBatch()) {
            flip.put(meta, Keys.CURRENT, Keys.longBytes(version));
            flip.put(meta, Keys.version(version), encodeVersion(info));
            for (String item : items.tokens()) {
                byte[] updated = introduce(item, version);
                if (updated != null) {
                    flip.put(itemMeta, Keys.utf8(item), updated);
                }
            }
            if (!pruned.isEmpty()) {
                long keepFrom = all.get(all.size() - options.retainedVersions());
                for (String kind : List.of(CF_USERS, CF_ITEMS, CF_TAGS)) {
                    flip.deleteRange(
                            families.get(kind),
                            Keys.rowPrefix(0, Keys.PUBLISHED),
                            Keys.rowPrefix(keepFrom, Keys.PUBLISHED));
                }
                for (long p : pruned) {
                    flip.delete(meta, Keys.version(p));
                }
            }
            db.write(syncWrites, flip);
        }
        return List.copyOf(pruned);
    }

    /** The item's metadata with introducedIn lowered to {@code version}; null when unchanged. */
    private byte[] introduce(String item, long version) {
        ObjectNode node = readItemMeta(item);
        JsonNode known = node.get("introducedIn");
        if (known != null && known.isNumber() && known.asLong() <= version) {
            return null;
        }
        node.put("introducedIn", version);
        return writeJson(node);
    }

    private void deleteSnapshotAfterPublish(long version) {
        Path dir = snapshotsDir.resolve(SNAPSHOT_PREFIX + version);
        try {
            deleteRecursively(dir);
        } catch (IOException e) {
            // The publish succeeded; the next open deletes every snapshot it does not retain.
            LOG.warn(
                    "{} at {}: cannot delete the snapshot {} of pruned version {}; retrying on"
                            + " the next open",
                    NAME,
                    dataDir,
                    dir,
                    version,
                    e);
        }
    }

    // ------------------------------------------------------------------ upserts

    /**
     * Applies an embedding upsert if it is newer than what is stored for its entity: its version is
     * not older than the current one, and its (modelVersion, seq) is greater than the entity's
     * newest upsert. It is stored under its own version, so an upsert for a version not yet
     * published (it may arrive just before the publish is seen) is kept and served once that
     * version is current, and never for another version. Item upserts of the current version patch
     * the in-memory item matrix.
     *
     * @param update the upsert
     * @return true when applied; false when dropped as not newer (and counted)
     * @throws IllegalArgumentException when the vector's dimension differs from its (known)
     *     version's, naming both
     */
    public boolean apply(EmbeddingUpsert update) {
        Objects.requireNonNull(update, "update");
        Kind kind = update.kind();
        String id = update.id();
        long version = update.modelVersion();
        enter();
        writeLock.lock();
        try {
            ServingVersion s = serving;
            long current = s == null ? 0 : s.version();
            if (version < current) {
                dropped.get(kind).increment();
                return false;
            }
            PublishedVersion known = versions.get(version);
            if (known != null && update.dim() != known.dim()) {
                throw new IllegalArgumentException(
                        kind
                                + " '"
                                + id
                                + "' has "
                                + update.dim()
                                + " coordinates, model version "
                                + version
                                + " has dim "
                                + known.dim());
            }
            byte[] wk = Keys.watermark(kind, id);
            byte[] mark = get(watermarks, wk, "the watermark of " + kind + " " + id);
            if (mark != null
                    && EmbeddingUpsert.compareVersions(
                                    version,
                                    update.seq(),
                                    Keys.readLong(mark, 0),
                                    Keys.readLong(mark, 8))
                            <= 0) {
                dropped.get(kind).increment();
                return false;
            }
            float[] point = update.vector();
            long sourceTime = update.sourceTimeMillis().orElse(Keys.noTime());
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(
                        kindFamily(kind),
                        Keys.row(version, Keys.UPSERT, id),
                        Keys.rowValue(update.seq(), sourceTime, point, 0, point.length));
                batch.put(watermarks, wk, Keys.watermarkValue(version, update.seq()));
                if (kind == Kind.ITEM) {
                    byte[] updated = introduce(id, version);
                    if (updated != null) {
                        batch.put(itemMeta, Keys.utf8(id), updated);
                    }
                }
                db.write(plainWrites, batch);
            } catch (RocksDBException e) {
                throw new StoreException(NAME, dataDir, "cannot apply " + update, e);
            }
            if (kind == Kind.ITEM && s != null && version == current) {
                s.items().put(id, point, hiddenItems.contains(id));
            }
            applied.get(kind).increment();
            if (update.sourceTimeMillis().isPresent()) {
                lastSourceTime = sourceTime;
                long lag =
                        Math.max(
                                0,
                                Math.min(
                                        FRESHNESS_MAX_MS, System.currentTimeMillis() - sourceTime));
                freshness.recordValue(lag);
                freshnessByKind.get(kind).recordValue(lag);
            }
            return true;
        } finally {
            writeLock.unlock();
            exit();
        }
    }

    /**
     * A copy of the freshness histogram (milliseconds from a source event's Kafka append to the
     * upsert it caused being applied), over every upsert applied since the store was opened.
     */
    public Histogram freshness() {
        return freshness.copy();
    }

    /**
     * The freshness histogram of one kind's upserts: for {@link Kind#ITEM}, the onboarding latency
     * of new items ({@code items.new} append → the item served).
     */
    public Histogram freshness(Kind kind) {
        return freshnessByKind.get(kind).copy();
    }

    /**
     * The point an entity has in the current version: its newest upsert of that version, else the
     * published one.
     *
     * @return the point; empty when the entity has none in the current version (or none is
     *     published)
     */
    public Optional<float[]> vector(Kind kind, String id) {
        ServingVersion s = serving;
        return s == null ? Optional.empty() : vector(kind, id, s.version());
    }

    /**
     * The point an entity has in a given version: its newest upsert of that version, else the
     * published one.
     *
     * @return the point; empty when the entity has none in that version
     */
    public Optional<float[]> vector(Kind kind, String id, long version) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        enter();
        try {
            byte[] row = readRow(kindFamily(kind), version, id);
            return row == null ? Optional.empty() : Optional.of(Keys.rowPoint(row));
        } finally {
            exit();
        }
    }

    private byte[] readRow(ColumnFamilyHandle cf, long version, String id) {
        String what = "the point of '" + id + "' in version " + version;
        byte[] up = get(cf, Keys.row(version, Keys.UPSERT, id), what);
        return up != null ? up : get(cf, Keys.row(version, Keys.PUBLISHED, id), what);
    }

    // ------------------------------------------------------------------ seen, hidden, metadata

    /**
     * Records that a user interacted with an item, so it is not recommended to them again.
     *
     * @param user the user id, non-empty
     * @param item the item id, non-empty
     * @param eventTimeMillis when it happened, epoch milliseconds
     */
    public void recordInteraction(String user, String item, long eventTimeMillis) {
        requireId("user", user);
        requireId("item", item);
        enter();
        try {
            db.put(seen, plainWrites, Keys.seen(user, item), Keys.longBytes(eventTimeMillis));
            interactions.increment();
        } catch (RocksDBException e) {
            throw new StoreException(
                    NAME, dataDir, "cannot record that '" + user + "' saw '" + item + "'", e);
        } finally {
            exit();
        }
    }

    /**
     * The items a user interacted with.
     *
     * @param user the user id
     * @return item ids in id order; empty for an unknown user
     */
    public List<String> seenItems(String user) {
        Objects.requireNonNull(user, "user");
        enter();
        try {
            byte[] prefix = Keys.seenPrefix(user);
            List<String> out = new ArrayList<>();
            scan(seen, prefix, (key, value) -> out.add(Keys.seenItem(key, prefix.length)));
            return out;
        } finally {
            exit();
        }
    }

    /**
     * Hides an item from every recommendation (e.g. withdrawn from the catalogue), durably, until
     * {@link #unhide}. Its point stays stored.
     *
     * @param item the item id, non-empty
     */
    public void hide(String item) {
        setHidden(item, true);
    }

    /**
     * Makes a hidden item recommendable again.
     *
     * @param item the item id, non-empty
     */
    public void unhide(String item) {
        setHidden(item, false);
    }

    private void setHidden(String item, boolean isHidden) {
        requireId("item", item);
        enter();
        writeLock.lock();
        try {
            if (isHidden) {
                db.put(
                        hidden,
                        syncWrites,
                        Keys.utf8(item),
                        Keys.longBytes(options.clock().millis()));
                hiddenItems.add(item);
            } else {
                db.delete(hidden, syncWrites, Keys.utf8(item));
                hiddenItems.remove(item);
            }
            ServingVersion s = serving;
            if (s != null) {
                s.items().setHidden(item, isHidden);
            }
        } catch (RocksDBException e) {
            throw new StoreException(
                    NAME,
                    dataDir,
                    "cannot " + (isHidden ? "hide" : "unhide") + " '" + item + "'",
                    e);
        } finally {
            writeLock.unlock();
            exit();
        }
    }

    /**
     * Whether an item is hidden.
     *
     * @param item the item id
     * @return true after {@link #hide} and before {@link #unhide}
     */
    public boolean isHidden(String item) {
        return hiddenItems.contains(item);
    }

    /**
     * Records an item's catalogue title (from {@code items.new}); other metadata is kept.
     *
     * @param item the item id, non-empty
     * @param title the display title, not null
     */
    public void recordItemCreated(String item, String title) {
        requireId("item", item);
        Objects.requireNonNull(title, "title");
        updateItemMeta(item, node -> node.put("title", title));
    }

    /**
     * Records an item's enrichment (from {@code items.enriched}); other metadata is kept.
     *
     * @param item the item id, non-empty
     * @param summary the short summary, not null
     * @param tagLevels tags by level, coarse to fine, not null
     */
    public void recordItemEnriched(String item, String summary, List<List<String>> tagLevels) {
        requireId("item", item);
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(tagLevels, "tagLevels");
        updateItemMeta(
                item,
                node -> {
                    node.put("summary", summary);
                    ArrayNode levels = node.putArray("tagLevels");
                    for (List<String> level : tagLevels) {
                        ArrayNode tags = levels.addArray();
                        level.forEach(tags::add);
                    }
                });
    }

    private void updateItemMeta(String item, Consumer<ObjectNode> change) {
        enter();
        writeLock.lock();
        try {
            ObjectNode node = readItemMeta(item);
            change.accept(node);
            db.put(itemMeta, plainWrites, Keys.utf8(item), writeJson(node));
        } catch (RocksDBException e) {
            throw new StoreException(
                    NAME, dataDir, "cannot write the metadata of item '" + item + "'", e);
        } finally {
            writeLock.unlock();
            exit();
        }
    }

    /**
     * What the store knows about an item.
     *
     * @param item the item id
     * @return the metadata; empty when the item has neither metadata nor a point in the current
     *     version
     */
    public Optional<ItemMetadata> item(String item) {
        Objects.requireNonNull(item, "item");
        enter();
        try {
            byte[] raw = get(itemMeta, Keys.utf8(item), "the metadata of item '" + item + "'");
            ServingVersion s = serving;
            boolean inCurrent = s != null && s.items().contains(item);
            if (raw == null && !inCurrent) {
                return Optional.empty();
            }
            JsonNode node = raw == null ? JSON.createObjectNode() : readJson(raw, item);
            List<List<String>> levels = new ArrayList<>();
            for (JsonNode level : node.path("tagLevels")) {
                List<String> tags = new ArrayList<>();
                level.forEach(t -> tags.add(t.asText()));
                levels.add(tags);
            }
            JsonNode intro = node.get("introducedIn");
            return Optional.of(
                    new ItemMetadata(
                            item,
                            node.hasNonNull("title") ? node.get("title").asText() : null,
                            node.hasNonNull("summary") ? node.get("summary").asText() : null,
                            levels,
                            intro != null && intro.isNumber() ? intro.asLong() : null,
                            inCurrent,
                            hiddenItems.contains(item)));
        } finally {
            exit();
        }
    }

    private ObjectNode readItemMeta(String item) {
        byte[] raw = get(itemMeta, Keys.utf8(item), "the metadata of item '" + item + "'");
        return raw == null ? JSON.createObjectNode() : (ObjectNode) readJson(raw, item);
    }

    // ------------------------------------------------------------------ serving

    /**
     * The {@code k} items nearest to the user's point in the current version, best first, skipping
     * items the user has seen and hidden items. The user's point is their newest upsert of the
     * current version, else the published one; a user with neither gets the version's most popular
     * unseen, visible items, marked {@link Recommendations#fallback}.
     *
     * @param user the user id
     * @param k how many items, ≥ 1
     * @return the recommendations, naming the version used
     * @throws IllegalStateException when no version has been published yet
     */
    public Recommendations recommend(String user, int k) {
        Objects.requireNonNull(user, "user");
        if (k < 1) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
        ServingVersion s = serving;
        if (s == null) {
            throw new IllegalStateException(
                    NAME + " at " + dataDir + " has no published model version yet");
        }
        enter();
        try {
            byte[] row = readRow(families.get(CF_USERS), s.version(), user);
            float[] point = row == null ? null : Keys.rowPoint(row);
            List<String> seenByUser = seenItems(user);
            Recommendations out;
            if (point != null && point.length == s.items().dim()) {
                out =
                        new Recommendations(
                                user,
                                s.version(),
                                false,
                                s.items().topK(point, k, seenByUser, buffers.get()));
            } else {
                if (point != null) {
                    LOG.warn(
                            "{} at {}: user '{}' has a point of dim {} in version {} of dim {};"
                                    + " serving the fallback",
                            NAME,
                            dataDir,
                            user,
                            point.length,
                            s.version(),
                            s.items().dim());
                }
                out = new Recommendations(user, s.version(), true, popular(s, k, seenByUser));
                fallbacks.increment();
            }
            recommendations.increment();
            return out;
        } finally {
            exit();
        }
    }

    private List<ScoredItem> popular(ServingVersion s, int k, List<String> seenByUser) {
        Set<String> skip = new HashSet<>(seenByUser);
        List<ScoredItem> out = new ArrayList<>(k);
        for (ScoredItem p : s.info().popularItems()) {
            if (out.size() == k) {
                break;
            }
            if (!skip.contains(p.item()) && !hiddenItems.contains(p.item())) {
                out.add(p);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ durability, backup

    /**
     * Makes every write so far durable (syncs the write-ahead log). The ingest calls it before it
     * commits Kafka offsets, so that a committed offset never points past a lost write.
     */
    public void sync() {
        enter();
        try {
            db.flushWal(true);
        } catch (RocksDBException e) {
            throw new StoreException(NAME, dataDir, "cannot sync the write-ahead log", e);
        } finally {
            exit();
        }
    }

    /**
     * Writes a consistent backup of the store into {@code target}: a RocksDB checkpoint ({@code
     * db/}, hard links where the file system allows) and a copy of the retained snapshot
     * directories ({@code snapshots/}). Writers wait while it runs; readers do not.
     *
     * @param target a missing or empty directory
     * @return {@code target}
     * @throws IllegalArgumentException when {@code target} is not empty
     */
    public Path backup(Path target) {
        Objects.requireNonNull(target, "target");
        enter();
        writeLock.lock();
        try {
            if (!isMissingOrEmpty(target)) {
                throw new IllegalArgumentException(
                        "backup target must be a missing or empty directory, got " + target);
            }
            Files.createDirectories(target);
            try (Checkpoint checkpoint = Checkpoint.create(db)) {
                checkpoint.createCheckpoint(target.resolve("db").toString());
            }
            for (long v : versions.keySet()) {
                Path dir = snapshotsDir.resolve(SNAPSHOT_PREFIX + v);
                if (Files.isDirectory(dir)) {
                    copyTree(dir, target.resolve("snapshots").resolve(SNAPSHOT_PREFIX + v));
                }
            }
            LOG.info(
                    "{} at {}: backed up versions {} to {}",
                    NAME,
                    dataDir,
                    versions.keySet(),
                    target);
            return target;
        } catch (IOException | RocksDBException e) {
            throw new StoreException(NAME, dataDir, "cannot back up to " + target, e);
        } finally {
            writeLock.unlock();
            exit();
        }
    }

    /**
     * Restores a backup written by {@link #backup} into {@code dataDir}, which must hold no
     * database; {@link #open} it afterwards. Snapshot locations are stored relative to the data
     * directory, so they resolve under the new one.
     *
     * @param backup the backup directory
     * @param dataDir the store directory to restore into
     * @throws IllegalArgumentException when {@code backup} holds no backup or {@code dataDir}
     *     already holds a database
     */
    public static void restore(Path backup, Path dataDir) {
        Objects.requireNonNull(backup, "backup");
        Objects.requireNonNull(dataDir, "dataDir");
        Path src = backup.resolve("db");
        if (!Files.isRegularFile(src.resolve("CURRENT"))) {
            throw new IllegalArgumentException(
                    "no model store backup in "
                            + backup
                            + ": expected a RocksDB checkpoint in "
                            + src);
        }
        Path dst = dataDir.resolve("db");
        try {
            if (!isMissingOrEmpty(dst)) {
                throw new IllegalArgumentException(
                        "cannot restore into "
                                + dataDir
                                + ": "
                                + dst
                                + " already holds a database; restore into an empty directory");
            }
            copyTree(src, dst);
            Path snapshots = dataDir.resolve("snapshots");
            deleteRecursively(snapshots); // orphans: there is no database to own them
            if (Files.isDirectory(backup.resolve("snapshots"))) {
                copyTree(backup.resolve("snapshots"), snapshots);
            }
        } catch (IOException e) {
            throw new StoreException(NAME, dataDir, "cannot restore from " + backup, e);
        }
    }

    /**
     * The store's counters.
     *
     * @return a snapshot
     */
    public StoreStats stats() {
        Map<Kind, Long> a = new EnumMap<>(Kind.class);
        Map<Kind, Long> d = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            a.put(k, applied.get(k).sum());
            d.put(k, dropped.get(k).sum());
        }
        long last = lastSourceTime;
        return new StoreStats(
                currentVersion(),
                a,
                d,
                recommendations.sum(),
                fallbacks.sum(),
                interactions.sum(),
                publishes.sum(),
                last == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(last));
    }

    /**
     * Counts the stored rows of a version in one layer (diagnostics and tests).
     *
     * @param upserts true for the upsert layer, false for the published rows
     */
    long countRows(Kind kind, long version, boolean upserts) {
        enter();
        try {
            long[] n = {0};
            scan(
                    kindFamily(kind),
                    Keys.rowPrefix(version, upserts ? Keys.UPSERT : Keys.PUBLISHED),
                    (k, v) -> n[0]++);
            return n[0];
        } finally {
            exit();
        }
    }

    /**
     * Closes the store: waits for in-flight calls, syncs the write-ahead log, flushes memtables so
     * the next open replays nothing, and releases every native object. Idempotent.
     *
     * @throws StoreException when the database reports an error while closing (every native object
     *     is released regardless)
     */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            StoreException failure = null;
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                db.flushWal(true);
                db.flush(flush, handles);
            } catch (RocksDBException e) {
                failure = new StoreException(NAME, dataDir, "cannot flush while closing", e);
            }
            syncWrites.close();
            plainWrites.close();
            for (ColumnFamilyHandle h : handles) {
                h.close();
            }
            try {
                db.closeE();
            } catch (RocksDBException e) {
                StoreException closing = new StoreException(NAME, dataDir, "cannot close", e);
                if (failure == null) {
                    failure = closing;
                } else {
                    failure.addSuppressed(closing);
                }
            }
            cfOptions.close();
            dbOptions.close();
            if (failure != null) {
                throw failure;
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "ModelStore[" + dataDir + ", current=" + currentVersion() + "]";
    }

    // ------------------------------------------------------------------ recovery

    private void recover() {
        long current;
        byte[] raw = get(meta, Keys.CURRENT, "the current version");
        current = raw == null ? 0 : Keys.readLong(raw, 0);
        try {
            cleanupIncomplete(current);
        } catch (RocksDBException e) {
            throw new StoreException(NAME, dataDir, "cannot clean up an incomplete publish", e);
        }
        NavigableMap<Long, PublishedVersion> loaded = new TreeMap<>();
        scan(
                meta,
                Keys.versionPrefix(),
                (key, value) -> {
                    long v = Keys.versionOf(key);
                    loaded.put(v, decodeVersion(v, value));
                });
        versions = Collections.unmodifiableNavigableMap(loaded);
        scan(
                hidden,
                new byte[0],
                (key, value) -> hiddenItems.add(new String(key, StandardCharsets.UTF_8)));
        if (current > 0) {
            PublishedVersion info = loaded.get(current);
            if (info == null) {
                throw new StoreException(
                        NAME,
                        dataDir,
                        "current version "
                                + current
                                + " has no version record; the database is"
                                + " damaged, restore a backup",
                        null);
            }
            serving = loadServing(info);
        }
        deleteStaleSnapshots();
        LOG.info(
                "{} at {}: opened, current version {}, retained {}",
                NAME,
                dataDir,
                current == 0 ? "none" : current,
                loaded.keySet());
    }

    /** Deletes published rows of versions above {@code current}: left by an interrupted publish. */
    private void cleanupIncomplete(long current) throws RocksDBException {
        for (String name : List.of(CF_USERS, CF_ITEMS, CF_TAGS)) {
            ColumnFamilyHandle cf = families.get(name);
            List<Long> incomplete = new ArrayList<>();
            try (RocksIterator it = db.newIterator(cf)) {
                it.seek(Keys.rowPrefix(current + 1, Keys.PUBLISHED));
                while (it.isValid()) {
                    byte[] key = it.key();
                    long v = Keys.rowVersion(key);
                    if (Keys.rowLayer(key) == Keys.PUBLISHED) {
                        incomplete.add(v);
                    }
                    if (v == Long.MAX_VALUE) {
                        break;
                    }
                    it.seek(Keys.rowPrefix(v + 1, Keys.PUBLISHED));
                }
                it.status();
            }
            for (long v : incomplete) {
                db.deleteRange(
                        cf,
                        syncWrites,
                        Keys.rowPrefix(v, Keys.PUBLISHED),
                        Keys.rowPrefix(v, Keys.UPSERT));
                LOG.warn(
                        "{} at {}: deleted the {} rows of version {}, left by a publish that did"
                                + " not complete (current version is {})",
                        NAME,
                        dataDir,
                        name,
                        v,
                        current);
            }
        }
        deleteStaleSnapshotsAbove(current);
    }

    private void deleteStaleSnapshotsAbove(long current) {
        forEachSnapshotDir(
                (dir, version) -> {
                    if (version == null || version > current) {
                        deleteOrFail(dir);
                    }
                });
    }

    private void deleteStaleSnapshots() {
        forEachSnapshotDir(
                (dir, version) -> {
                    if (version == null || !versions.containsKey(version)) {
                        deleteOrFail(dir);
                    }
                });
    }

    private void deleteOrFail(Path dir) {
        try {
            deleteRecursively(dir);
            LOG.info("{} at {}: deleted stale snapshot {}", NAME, dataDir, dir);
        } catch (IOException e) {
            throw new StoreException(NAME, dataDir, "cannot delete stale snapshot " + dir, e);
        }
    }

    /** Calls back with every entry of the snapshots directory and its version (null if none). */
    private void forEachSnapshotDir(BiConsumer<Path, Long> action) {
        List<Path> entries;
        try (Stream<Path> list = Files.list(snapshotsDir)) {
            entries = list.toList();
        } catch (IOException e) {
            throw new StoreException(NAME, dataDir, "cannot list " + snapshotsDir, e);
        }
        for (Path p : entries) {
            String name = p.getFileName().toString();
            Long version = null;
            if (name.startsWith(SNAPSHOT_PREFIX) && name.length() > 1) {
                try {
                    version = Long.parseLong(name.substring(1));
                } catch (NumberFormatException e) {
                    version = null; // not a snapshot name: stale
                }
            }
            action.accept(p, version);
        }
    }

    private ServingVersion loadServing(PublishedVersion info) {
        long version = info.version();
        ItemTable table = new ItemTable(info.dim(), info.items());
        ColumnFamilyHandle cf = families.get(CF_ITEMS);
        scan(
                cf,
                Keys.rowPrefix(version, Keys.PUBLISHED),
                (key, value) -> {
                    String id = Keys.rowId(key);
                    table.put(id, Keys.rowPoint(value), hiddenItems.contains(id));
                });
        scan(
                cf,
                Keys.rowPrefix(version, Keys.UPSERT),
                (key, value) -> {
                    String id = Keys.rowId(key);
                    if (Keys.rowDim(value) != info.dim()) {
                        LOG.warn(
                                "{} at {}: ignoring the upsert of item '{}' with dim {} in"
                                        + " version {} of dim {}",
                                NAME,
                                dataDir,
                                id,
                                Keys.rowDim(value),
                                version,
                                info.dim());
                        return;
                    }
                    table.put(id, Keys.rowPoint(value), hiddenItems.contains(id));
                });
        return new ServingVersion(info, table);
    }

    // ------------------------------------------------------------------ helpers

    private void enter() {
        lifecycle.readLock().lock();
        if (closed) {
            lifecycle.readLock().unlock();
            throw new IllegalStateException(NAME + " at " + dataDir + " is closed");
        }
    }

    private void exit() {
        lifecycle.readLock().unlock();
    }

    private long currentOrZero() {
        ServingVersion s = serving;
        return s == null ? 0 : s.version();
    }

    private ColumnFamilyHandle kindFamily(Kind kind) {
        return switch (kind) {
            case USER -> families.get(CF_USERS);
            case ITEM -> families.get(CF_ITEMS);
            case TAG -> families.get(CF_TAGS);
        };
    }

    private byte[] get(ColumnFamilyHandle cf, byte[] key, String what) {
        try {
            return db.get(cf, key);
        } catch (RocksDBException e) {
            throw new StoreException(NAME, dataDir, "cannot read " + what, e);
        }
    }

    private void scan(ColumnFamilyHandle cf, byte[] prefix, BiConsumer<byte[], byte[]> action) {
        try (RocksIterator it = db.newIterator(cf)) {
            for (it.seek(prefix); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (!Keys.startsWith(key, prefix)) {
                    break;
                }
                action.accept(key, it.value());
            }
            it.status();
        } catch (RocksDBException e) {
            throw new StoreException(NAME, dataDir, "cannot scan column family", e);
        }
    }

    private byte[] encodeVersion(PublishedVersion info) {
        ObjectNode node = JSON.createObjectNode();
        node.put("version", info.version());
        node.put("location", dataDir.relativize(info.location()).toString());
        node.put("createdAt", info.createdAt().toEpochMilli());
        ObjectNode m = node.putObject("metrics");
        info.metrics().forEach(m::put);
        ArrayNode popular = node.putArray("popularItems");
        for (ScoredItem p : info.popularItems()) {
            popular.addObject().put("item", p.item()).put("score", p.score());
        }
        node.put("dim", info.dim());
        node.put("users", info.users());
        node.put("items", info.items());
        return writeJson(node);
    }

    private PublishedVersion decodeVersion(long version, byte[] raw) {
        JsonNode node = readJson(raw, "version " + version);
        Map<String, Double> metrics = new LinkedHashMap<>();
        node.path("metrics")
                .properties()
                .forEach(e -> metrics.put(e.getKey(), e.getValue().asDouble()));
        List<ScoredItem> popular = new ArrayList<>();
        for (JsonNode p : node.path("popularItems")) {
            popular.add(
                    new ScoredItem(p.path("item").asText(), (float) p.path("score").asDouble()));
        }
        return new PublishedVersion(
                version,
                dataDir.resolve(node.path("location").asText()),
                Instant.ofEpochMilli(node.path("createdAt").asLong()),
                metrics,
                popular,
                node.path("dim").asInt(),
                node.path("users").asInt(),
                node.path("items").asInt());
    }

    private static byte[] writeJson(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + node, e);
        }
    }

    private JsonNode readJson(byte[] raw, String what) {
        try {
            return JSON.readTree(raw);
        } catch (IOException e) {
            throw new StoreException(NAME, dataDir, "cannot decode the record of " + what, e);
        }
    }

    private static void requireId(String field, String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException(
                    field + " must be a non-empty string, got " + (id == null ? "null" : "''"));
        }
    }

    private static List<String> existingFamilies(Path dbDir) throws RocksDBException {
        if (!Files.isRegularFile(dbDir.resolve("CURRENT"))) {
            return List.of();
        }
        try (Options o = new Options()) {
            List<String> names = new ArrayList<>();
            for (byte[] name : RocksDB.listColumnFamilies(o, dbDir.toString())) {
                names.add(new String(name, StandardCharsets.UTF_8));
            }
            return names;
        }
    }

    private static boolean isMissingOrEmpty(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return true;
        }
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.findAny().isEmpty();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(from)) {
            paths = walk.toList();
        }
        for (Path p : paths) {
            Path target = to.resolve(from.relativize(p).toString());
            if (Files.isDirectory(p)) {
                Files.createDirectories(target);
            } else {
                Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            Files.delete(p);
        }
    }

    private static void closeQuietlyOnFailure(
            WriteOptions plain,
            WriteOptions sync,
            List<ColumnFamilyHandle> hs,
            RocksDB opened,
            ColumnFamilyOptions cfo,
            DBOptions dbo,
            Exception cause) {
        // Releases what a failed open created; the open's exception carries the cause.
        try {
            if (plain != null) {
                plain.close();
            }
            if (sync != null) {
                sync.close();
            }
            hs.forEach(ColumnFamilyHandle::close);
            if (opened != null) {
                opened.close();
            }
            if (cfo != null) {
                cfo.close();
            }
            if (dbo != null) {
                dbo.close();
            }
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
