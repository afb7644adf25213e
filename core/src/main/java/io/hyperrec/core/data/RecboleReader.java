package io.hyperrec.core.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes datasets in RecBole atomic-file format: tab-separated UTF-8 text whose first
 * line holds {@code name:type} headers (types {@code token}, {@code token_seq}, {@code float},
 * {@code float_seq}); columns are found by name, so their order is free.
 *
 * <p>Files of a dataset {@code NAME} in one directory:
 *
 * <ul>
 *   <li>{@code NAME.train.inter}, {@code NAME.valid.inter}, {@code NAME.test.inter}: a benchmark
 *       split with columns {@code user_id} and {@code item_id}; used as is when all three exist.
 *   <li>{@code NAME.inter}: all interactions, split with {@link ReadOptions#split()}; an optional
 *       {@code timestamp} (or else {@code seq}) column orders them for {@link Split#LEAVE_ONE_OUT},
 *       otherwise file order is used.
 *   <li>{@code NAME.tag} ({@code tag_id}, optional {@code name} and {@code level}) and {@code
 *       NAME.kg} ({@code head_id}, {@code relation_id}, {@code tail_id}; relations {@code has_tag}
 *       from {@code i<item>} to {@code t<tag>}, and undirected {@code tag_related} between two
 *       tags): the {@link TagGraph}.
 *   <li>{@code NAME.item} ({@code item_id} plus text columns such as {@code title}, {@code brand},
 *       {@code category_path} with levels joined by {@code >}, or a ready {@code text} column): the
 *       {@link ItemCatalog}.
 * </ul>
 *
 * <p>User and item indices are assigned by {@link IdMap.Builder} (numeric order for canonical
 * integer ids, else first appearance over train, valid, test). Repeated (user, item) pairs within
 * one file are kept once (the first); a pair repeated across benchmark files is kept in each.
 * Malformed content raises {@link DatasetFormatException} naming file, line and offending text.
 *
 * <p>All methods are static and thread-safe (they share no state).
 */
public final class RecboleReader {

    private static final Logger LOG = LoggerFactory.getLogger(RecboleReader.class);

    /** The relation of item&rarr;tag rows in a {@code .kg} file. */
    public static final String HAS_TAG = "has_tag";

    /** The relation of undirected tag&ndash;tag rows in a {@code .kg} file. */
    public static final String TAG_RELATED = "tag_related";

    private static final int BUFFER_CHARS = 1 << 16;
    private static final int F32_CHUNK_BYTES = 1 << 20;

    private RecboleReader() {}

    /**
     * Reads the dataset in a directory with {@link ReadOptions#defaults()}.
     *
     * @param dir the dataset directory; not null
     * @return the dataset
     * @throws DatasetFormatException for a missing directory or files, or malformed content
     * @throws UncheckedIOException for I/O failures
     */
    public static Dataset read(Path dir) {
        return read(dir, ReadOptions.defaults());
    }

    /**
     * Reads the dataset in a directory.
     *
     * @param dir the dataset directory; not null
     * @param options the name, split and seed; not null
     * @return the dataset, named {@code options.name()} or else after the directory
     * @throws DatasetFormatException for a missing directory or files, or malformed content
     * @throws UncheckedIOException for I/O failures
     */
    public static Dataset read(Path dir, ReadOptions options) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(options, "options");
        String name = options.name();
        if (name == null) {
            Path fileName = dir.toAbsolutePath().normalize().getFileName();
            if (fileName == null) {
                throw new IllegalArgumentException(
                        "cannot derive a dataset name from " + dir + ": pass ReadOptions.name");
            }
            name = fileName.toString();
        }
        Path trainFile = dir.resolve(name + ".train.inter");
        Path validFile = dir.resolve(name + ".valid.inter");
        Path testFile = dir.resolve(name + ".test.inter");
        Path interFile = dir.resolve(name + ".inter");
        String lookedFor =
                name
                        + ".train.inter, "
                        + name
                        + ".valid.inter and "
                        + name
                        + ".test.inter, or "
                        + name
                        + ".inter";
        if (!Files.isDirectory(dir)) {
            throw new DatasetFormatException(
                    dir,
                    0,
                    dir
                            + ": expected a dataset directory holding "
                            + lookedFor
                            + ", but the directory does not exist");
        }
        boolean hasTrain = Files.isRegularFile(trainFile);
        boolean hasValid = Files.isRegularFile(validFile);
        boolean hasTest = Files.isRegularFile(testFile);
        boolean benchmark = hasTrain && hasValid && hasTest;
        if (!benchmark && !Files.isRegularFile(interFile)) {
            String found =
                    (hasTrain ? " " + trainFile.getFileName() : "")
                            + (hasValid ? " " + validFile.getFileName() : "")
                            + (hasTest ? " " + testFile.getFileName() : "");
            throw new DatasetFormatException(
                    dir,
                    0,
                    dir
                            + ": expected "
                            + lookedFor
                            + ", found "
                            + (found.isEmpty() ? "none of them" : "only" + found));
        }
        if (!benchmark && (hasTrain || hasValid || hasTest)) {
            LOG.warn(
                    "{}: incomplete benchmark split files, reading {} and splitting with {}",
                    dir,
                    interFile.getFileName(),
                    options.split());
        }

        IdMap.Builder userIds = IdMap.builder();
        IdMap.Builder itemIds = IdMap.builder();
        IdMap users;
        IdMap items;
        Interactions train;
        Interactions valid;
        Interactions test;
        if (benchmark) {
            RawPairs tr = readInter(trainFile, userIds, itemIds, false);
            RawPairs va = readInter(validFile, userIds, itemIds, false);
            RawPairs te = readInter(testFile, userIds, itemIds, false);
            users = userIds.build();
            items = itemIds.build();
            int[] uMap = userIds.finalIndices();
            int[] iMap = itemIds.finalIndices();
            train = tr.toInteractions(users.size(), items.size(), uMap, iMap);
            valid = va.toInteractions(users.size(), items.size(), uMap, iMap);
            test = te.toInteractions(users.size(), items.size(), uMap, iMap);
        } else {
            RawPairs all = readInter(interFile, userIds, itemIds, true);
            users = userIds.build();
            items = itemIds.build();
            all.remap(userIds.finalIndices(), itemIds.finalIndices());
            Split.Result result =
                    options.split()
                            .apply(
                                    users.size(),
                                    items,
                                    all.users(),
                                    all.items(),
                                    all.keys(),
                                    options.seed());
            train = result.train();
            valid = result.valid();
            test = result.test();
        }

        Path tagFile = dir.resolve(name + ".tag");
        Path kgFile = dir.resolve(name + ".kg");
        boolean hasTag = Files.isRegularFile(tagFile);
        boolean hasKg = Files.isRegularFile(kgFile);
        TagGraph tags =
                hasTag || hasKg
                        ? readTags(hasTag ? tagFile : null, hasKg ? kgFile : null, items)
                        : null;
        Path itemFile = dir.resolve(name + ".item");
        ItemCatalog catalog = Files.isRegularFile(itemFile) ? readCatalog(itemFile, items) : null;
        Dataset dataset = new Dataset(name, users, items, train, valid, test, tags, catalog);
        LOG.info("Read {} from {} ({})", dataset, dir, benchmark ? "benchmark split" : options);
        return dataset;
    }

    /** One interaction of a {@code NAME.inter} file, with its order key. */
    public record Event(String user, String item, double time) {}

    /**
     * Reads the interactions of {@code DIR/NAME.inter} as a time-ordered stream (for replays):
     * sorted by the {@code timestamp} column, else {@code seq}, else kept in file order; ties keep
     * file order. Malformed rows fail as in {@link #read}.
     *
     * @param dir the dataset directory; NAME is its file name
     * @throws DatasetFormatException when the file is missing or malformed
     */
    public static List<Event> readEvents(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        String name = String.valueOf(abs.getFileName());
        Path interFile = dir.resolve(name + ".inter");
        if (!Files.isRegularFile(interFile)) {
            throw new DatasetFormatException(
                    interFile,
                    0,
                    interFile + ": expected the interactions file of dataset " + name + " here");
        }
        IdMap.Builder userIds = IdMap.builder();
        IdMap.Builder itemIds = IdMap.builder();
        RawPairs all = readInter(interFile, userIds, itemIds, true);
        IdMap users = userIds.build();
        IdMap items = itemIds.build();
        all.remap(userIds.finalIndices(), itemIds.finalIndices());
        int n = all.users().length;
        Integer[] order = new Integer[n];
        for (int k = 0; k < n; k++) {
            order[k] = k;
        }
        double[] keys = all.keys();
        if (keys != null) {
            Arrays.sort(order, (a, b) -> Double.compare(keys[a], keys[b]));
        }
        List<Event> out = new ArrayList<>(n);
        for (int k : order) {
            out.add(
                    new Event(
                            users.token(all.users()[k]),
                            items.token(all.items()[k]),
                            keys == null ? k : keys[k]));
        }
        return out;
    }

    /**
     * Writes a dataset as {@code NAME.train.inter}, {@code NAME.valid.inter}, {@code
     * NAME.test.inter} and, when present, {@code NAME.item}, {@code NAME.tag} and {@code NAME.kg},
     * where {@code NAME} is {@link Dataset#name()}; existing files are replaced and the directory
     * is created if needed.
     *
     * <p>{@code read(dir, options.withName(d.name()))} gives back the same tokens, pairs, tags and
     * item texts. Indices are re-derived by {@link IdMap.Builder}, so they are identical when ids
     * are canonical integers (or when first appearance in the written files matches index order).
     * Tabs and line breaks inside texts are written as spaces. Users and items without any
     * interaction cannot be represented in RecBole files: they (and their {@code has_tag} rows) are
     * absent after reading back.
     *
     * @param dataset the dataset; not null
     * @param dir the target directory; not null
     * @throws UncheckedIOException for I/O failures
     */
    public static void write(Dataset dataset, Path dir) {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(dir, "dir");
        String name = dataset.name();
        try {
            Files.createDirectories(dir);
            writeInter(dir.resolve(name + ".train.inter"), dataset.train(), dataset);
            writeInter(dir.resolve(name + ".valid.inter"), dataset.valid(), dataset);
            writeInter(dir.resolve(name + ".test.inter"), dataset.test(), dataset);
            if (dataset.catalog().isPresent()) {
                writeCatalog(dir.resolve(name + ".item"), dataset.catalog().get(), dataset.items());
            }
            if (dataset.tags().isPresent()) {
                writeTags(
                        dir.resolve(name + ".tag"),
                        dir.resolve(name + ".kg"),
                        dataset.tags().get(),
                        dataset);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write dataset " + name + " to " + dir, e);
        }
    }

    /**
     * Reads a raw little-endian float32 matrix stored row-major without header.
     *
     * @param file the file; not null
     * @param rows the number of rows; non-negative
     * @param cols the number of columns; non-negative
     * @return a new row-major array of {@code rows * cols} values
     * @throws DatasetFormatException when the file is missing or its size is not {@code rows * cols
     *     * 4} bytes (the message gives both sizes)
     * @throws UncheckedIOException for I/O failures
     */
    public static float[] readF32(Path file, int rows, int cols) {
        Objects.requireNonNull(file, "file");
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException(
                    "rows and cols must be non-negative, got " + rows + " and " + cols);
        }
        long count = (long) rows * cols;
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "rows * cols must fit in a Java array, got " + rows + " x " + cols);
        }
        long expectedBytes = count * Float.BYTES;
        String expected =
                rows + " x " + cols + " little-endian float32 values (" + expectedBytes + " bytes)";
        float[] out = new float[(int) count];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size != expectedBytes) {
                throw new DatasetFormatException(
                        file, 0, file + ": expected " + expected + ", got " + size + " bytes");
            }
            ByteBuffer buf =
                    ByteBuffer.allocateDirect((int) Math.min(F32_CHUNK_BYTES, Math.max(4, size)))
                            .order(ByteOrder.LITTLE_ENDIAN);
            int filled = 0;
            while (filled < out.length) {
                buf.clear();
                int want = Math.min(buf.capacity(), (out.length - filled) * Float.BYTES);
                buf.limit(want);
                while (buf.hasRemaining()) {
                    if (ch.read(buf) < 0) {
                        throw new DatasetFormatException(
                                file, 0, file + ": expected " + expected + ", file ended early");
                    }
                }
                buf.flip();
                int n = want / Float.BYTES;
                buf.asFloatBuffer().get(out, filled, n);
                filled += n;
            }
        } catch (NoSuchFileException e) {
            throw new DatasetFormatException(
                    file, 0, file + ": expected " + expected + ", but the file does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }

    /**
     * Writes values as raw little-endian float32 (the format of {@link #readF32}), replacing the
     * file.
     *
     * @param file the file; not null; its parent directory must exist
     * @param values the values, row-major; not null
     * @throws UncheckedIOException for I/O failures
     */
    public static void writeF32(Path file, float[] values) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(values, "values");
        try (FileChannel ch =
                FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)) {
            ByteBuffer buf =
                    ByteBuffer.allocateDirect(F32_CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            int done = 0;
            while (done < values.length) {
                buf.clear();
                int n = Math.min(F32_CHUNK_BYTES / Float.BYTES, values.length - done);
                buf.asFloatBuffer().put(values, done, n);
                buf.limit(n * Float.BYTES);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                done += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    // ---------------------------------------------------------------- interactions

    /** Pairs of one file, first as provisional ids, then (after remap) as final indices. */
    private static final class RawPairs {
        private int[] users = new int[1024];
        private int[] items = new int[1024];
        private double[] keys;
        private int size;

        RawPairs(boolean withKeys) {
            keys = withKeys ? new double[1024] : null;
        }

        void add(int u, int i, double key) {
            if (size == users.length) {
                int cap = (int) Math.min(Integer.MAX_VALUE - 8, size * 2L);
                users = Arrays.copyOf(users, cap);
                items = Arrays.copyOf(items, cap);
                if (keys != null) {
                    keys = Arrays.copyOf(keys, cap);
                }
            }
            users[size] = u;
            items[size] = i;
            if (keys != null) {
                keys[size] = key;
            }
            size++;
        }

        void remap(int[] uMap, int[] iMap) {
            users = Arrays.copyOf(users, size);
            items = Arrays.copyOf(items, size);
            if (keys != null) {
                keys = Arrays.copyOf(keys, size);
            }
            for (int k = 0; k < size; k++) {
                users[k] = uMap[users[k]];
                items[k] = iMap[items[k]];
            }
        }

        int[] users() {
            return users;
        }

        int[] items() {
            return items;
        }

        double[] keys() {
            return keys;
        }

        Interactions toInteractions(int numUsers, int numItems, int[] uMap, int[] iMap) {
            remap(uMap, iMap);
            return Interactions.fromPairs(numUsers, numItems, users, items);
        }
    }

    private static RawPairs readInter(
            Path file, IdMap.Builder userIds, IdMap.Builder itemIds, boolean withKeys) {
        try (Table t = Table.open(file)) {
            int uc = t.requireColumn("user_id");
            int ic = t.requireColumn("item_id");
            int kc = -1;
            if (withKeys) {
                kc = t.column("timestamp");
                if (kc < 0) {
                    kc = t.column("seq");
                }
            }
            RawPairs pairs = new RawPairs(kc >= 0);
            while (t.next()) {
                String u = t.token(uc);
                String i = t.token(ic);
                double key = kc >= 0 ? t.number(kc) : 0.0;
                pairs.add(userIds.add(u), itemIds.add(i), key);
            }
            if (withKeys && kc < 0) {
                LOG.debug("{}: no timestamp or seq column, file order is time order", file);
            }
            return pairs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void writeInter(Path file, Interactions m, Dataset d) throws IOException {
        try (Writer w = writer(file)) {
            w.write("user_id:token\titem_id:token\n");
            int[] rowPtr = m.rowPtr();
            int[] cols = m.cols();
            for (int u = 0; u < m.numUsers(); u++) {
                String user = d.users().token(u);
                for (int k = rowPtr[u]; k < rowPtr[u + 1]; k++) {
                    w.write(user);
                    w.write('\t');
                    w.write(d.items().token(cols[k]));
                    w.write('\n');
                }
            }
        }
    }

    // ---------------------------------------------------------------- tags

    private static TagGraph readTags(Path tagFile, Path kgFile, IdMap items) {
        IdMap.Builder tagIds = IdMap.builder();
        Map<Integer, String> names = new HashMap<>();
        Map<Integer, Integer> levels = new HashMap<>();
        boolean levelColumn = false;
        if (tagFile != null) {
            try (Table t = Table.open(tagFile)) {
                int idc = t.requireColumn("tag_id");
                int nc = t.column("name");
                int lc = t.column("level");
                levelColumn = lc >= 0;
                while (t.next()) {
                    String token = t.token(idc);
                    if (tagIds.provisionalId(token) >= 0) {
                        throw new DatasetFormatException(
                                tagFile, t.lineNo(), "a tag_id not seen before", token);
                    }
                    int id = tagIds.add(token);
                    if (nc >= 0) {
                        names.put(id, t.field(nc));
                    }
                    if (lc >= 0) {
                        levels.put(id, t.nonNegativeInt(lc));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + tagFile, e);
            }
        }
        int[] itItems = new int[16];
        int[] itTags = new int[16];
        int nIt = 0;
        int[] ttA = new int[16];
        int[] ttB = new int[16];
        int nTt = 0;
        if (kgFile != null) {
            try (Table t = Table.open(kgFile)) {
                int hc = t.requireColumn("head_id");
                int rc = t.requireColumn("relation_id");
                int tc = t.requireColumn("tail_id");
                while (t.next()) {
                    String relation = t.field(rc);
                    String head = t.token(hc);
                    String tail = t.token(tc);
                    if (HAS_TAG.equals(relation)) {
                        int item = items.indexOf(stripPrefix(t, head, 'i', "head_id of has_tag"));
                        if (item < 0) {
                            throw new DatasetFormatException(
                                    kgFile,
                                    t.lineNo(),
                                    "an item that occurs in the interactions as head_id of has_tag",
                                    head);
                        }
                        int tag = tagIds.add(stripPrefix(t, tail, 't', "tail_id of has_tag"));
                        if (nIt == itItems.length) {
                            itItems = Arrays.copyOf(itItems, nIt * 2);
                            itTags = Arrays.copyOf(itTags, nIt * 2);
                        }
                        itItems[nIt] = item;
                        itTags[nIt] = tag;
                        nIt++;
                    } else if (TAG_RELATED.equals(relation)) {
                        int a = tagIds.add(stripPrefix(t, head, 't', "head_id of tag_related"));
                        int b = tagIds.add(stripPrefix(t, tail, 't', "tail_id of tag_related"));
                        if (a == b) {
                            throw new DatasetFormatException(
                                    kgFile,
                                    t.lineNo(),
                                    "two different tags in a tag_related row",
                                    escapeTabs(head + "\t" + relation + "\t" + tail));
                        }
                        if (nTt == ttA.length) {
                            ttA = Arrays.copyOf(ttA, nTt * 2);
                            ttB = Arrays.copyOf(ttB, nTt * 2);
                        }
                        ttA[nTt] = a;
                        ttB[nTt] = b;
                        nTt++;
                    } else {
                        throw new DatasetFormatException(
                                kgFile,
                                t.lineNo(),
                                "relation_id '" + HAS_TAG + "' or '" + TAG_RELATED + "'",
                                relation);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + kgFile, e);
            }
        }
        IdMap tags = tagIds.build();
        int[] remap = tagIds.finalIndices();
        int numTags = tags.size();
        String[] tagNames = new String[numTags];
        int[] tagLevel = levelColumn ? new int[numTags] : null;
        for (int p = 0; p < numTags; p++) {
            int t = remap[p];
            String n = names.get(p);
            tagNames[t] = n == null || n.isEmpty() ? "t" + tags.token(t) : n;
            if (tagLevel != null) {
                Integer level = levels.get(p);
                if (level == null) {
                    LOG.warn(
                            "{}: tag t{} (only in {}) has no level; tag levels are unknown",
                            tagFile,
                            tags.token(t),
                            kgFile);
                    tagLevel = null;
                } else {
                    tagLevel[t] = level;
                }
            }
        }
        int[] itemTagItems = Arrays.copyOf(itItems, nIt);
        int[] itemTagTags = new int[nIt];
        for (int k = 0; k < nIt; k++) {
            itemTagTags[k] = remap[itTags[k]];
        }
        int[] tagTagA = new int[nTt];
        int[] tagTagB = new int[nTt];
        for (int k = 0; k < nTt; k++) {
            tagTagA[k] = remap[ttA[k]];
            tagTagB[k] = remap[ttB[k]];
        }
        return new TagGraph(
                tags,
                tagNames,
                items.size(),
                itemTagItems,
                itemTagTags,
                tagTagA,
                tagTagB,
                tagLevel);
    }

    private static String stripPrefix(Table t, String token, char prefix, String what) {
        if (token.length() < 2 || token.charAt(0) != prefix) {
            throw new DatasetFormatException(
                    t.file(), t.lineNo(), "'" + prefix + "<id>' as " + what, token);
        }
        return token.substring(1);
    }

    private static void writeTags(Path tagFile, Path kgFile, TagGraph g, Dataset d)
            throws IOException {
        IdMap items = d.items();
        boolean[] interacted = new boolean[items.size()];
        for (Interactions m : List.of(d.train(), d.valid(), d.test())) {
            for (int i : m.cols()) {
                interacted[i] = true;
            }
        }
        int[] level = g.tagLevel();
        try (Writer w = writer(tagFile)) {
            w.write("tag_id:token\tname:token" + (level != null ? "\tlevel:token" : "") + "\n");
            for (int t = 0; t < g.numTags(); t++) {
                w.write(g.tagIds().token(t));
                w.write('\t');
                w.write(clean(g.tagNames()[t]));
                if (level != null) {
                    w.write('\t');
                    w.write(Integer.toString(level[t]));
                }
                w.write('\n');
            }
        }
        try (Writer w = writer(kgFile)) {
            w.write("head_id:token\trelation_id:token\ttail_id:token\n");
            int[] it = g.itemTagItems();
            int[] tt = g.itemTagTags();
            int skipped = 0;
            for (int k = 0; k < it.length; k++) {
                if (!interacted[it[k]]) {
                    skipped++;
                    continue;
                }
                w.write(
                        "i"
                                + items.token(it[k])
                                + "\t"
                                + HAS_TAG
                                + "\tt"
                                + g.tagIds().token(tt[k])
                                + "\n");
            }
            if (skipped > 0) {
                LOG.warn(
                        "{}: left out {} has_tag rows of items without interactions, which a"
                                + " RecBole dataset cannot hold",
                        kgFile,
                        skipped);
            }
            int[] a = g.tagTagA();
            int[] b = g.tagTagB();
            for (int k = 0; k < a.length; k++) {
                w.write(
                        "t"
                                + g.tagIds().token(a[k])
                                + "\t"
                                + TAG_RELATED
                                + "\tt"
                                + g.tagIds().token(b[k])
                                + "\n");
            }
        }
    }

    // ---------------------------------------------------------------- item catalog

    private static List<String> genres(String field) {
        List<String> out = new ArrayList<>();
        for (String g : field.trim().split("\\s+")) {
            if (!g.isEmpty()) {
                out.add(g);
            }
        }
        return out;
    }

    private static ItemCatalog readCatalog(Path file, IdMap items) {
        int n = items.size();
        String[] titles = new String[n];
        String[] texts = new String[n];
        List<String>[] pathArray = newListArray(n);
        try (Table t = Table.open(file)) {
            int idc = t.requireColumn("item_id");
            int titleCol = t.column("title");
            for (int c = 0; titleCol < 0 && c < t.columns(); c++) {
                if (t.name(c).toLowerCase(Locale.ROOT).contains("title")) {
                    titleCol = c;
                }
            }
            int pathCol = t.column("category_path");
            if (pathCol < 0) {
                pathCol = t.column("categories");
            }
            // MovieLens' genres ("class", a token sequence) stand in for a category path: the
            // genres in their listed order, e.g. Animation > Children's > Comedy.
            int genreCol = pathCol < 0 ? t.column("class") : -1;
            int textCol = t.column("text");
            List<Integer> pieces = new ArrayList<>();
            if (titleCol >= 0) {
                pieces.add(titleCol);
            }
            for (int c = 0; c < t.columns(); c++) {
                String type = t.type(c);
                if (c != idc
                        && c != titleCol
                        && c != pathCol
                        && c != genreCol
                        && (type.equals("token") || type.equals("token_seq"))) {
                    pieces.add(c);
                }
            }
            int ignored = 0;
            int repeated = 0;
            while (t.next()) {
                String token = t.token(idc);
                int item = items.indexOf(token);
                if (item < 0) {
                    ignored++;
                    continue;
                }
                if (titles[item] != null) {
                    repeated++;
                    continue;
                }
                titles[item] = titleCol >= 0 ? t.field(titleCol).trim() : "";
                List<String> path =
                        pathCol >= 0
                                ? parsePath(t.field(pathCol))
                                : genreCol >= 0 ? genres(t.field(genreCol)) : List.of();
                pathArray[item] = path;
                if (textCol >= 0) {
                    texts[item] = t.field(textCol);
                } else {
                    StringBuilder sb = new StringBuilder();
                    for (int c : pieces) {
                        appendPiece(sb, t.field(c).trim());
                    }
                    appendPiece(sb, String.join(" > ", path));
                    texts[item] = sb.toString();
                }
            }
            if (ignored > 0 || repeated > 0) {
                LOG.info(
                        "{}: ignored {} rows of items without interactions and {} repeated rows",
                        file,
                        ignored,
                        repeated);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<List<String>> paths = new ArrayList<>(n);
        int missing = 0;
        for (int i = 0; i < n; i++) {
            if (titles[i] == null) {
                missing++;
                titles[i] = "";
                texts[i] = "";
                pathArray[i] = List.of();
            }
            paths.add(pathArray[i]);
        }
        if (missing > 0) {
            LOG.info("{}: {} of {} items have no row and get empty text", file, missing, n);
        }
        return new ItemCatalog(Arrays.asList(titles), Arrays.asList(texts), paths);
    }

    @SuppressWarnings("unchecked")
    private static List<String>[] newListArray(int n) {
        return (List<String>[]) new List<?>[n];
    }

    private static void appendPiece(StringBuilder sb, String piece) {
        if (piece.isEmpty()) {
            return;
        }
        if (sb.length() > 0) {
            sb.append(". ");
        }
        sb.append(piece);
    }

    private static List<String> parsePath(String raw) {
        if (raw.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        int from = 0;
        while (from <= raw.length()) {
            int gt = raw.indexOf('>', from);
            int to = gt < 0 ? raw.length() : gt;
            String level = raw.substring(from, to).trim();
            if (!level.isEmpty()) {
                out.add(level);
            }
            if (gt < 0) {
                break;
            }
            from = gt + 1;
        }
        return List.copyOf(out);
    }

    private static void writeCatalog(Path file, ItemCatalog catalog, IdMap items)
            throws IOException {
        try (Writer w = writer(file)) {
            w.write("item_id:token\ttitle:token_seq\tcategory_path:token\ttext:token_seq\n");
            for (int i = 0; i < items.size(); i++) {
                w.write(items.token(i));
                w.write('\t');
                w.write(clean(catalog.title(i)));
                w.write('\t');
                w.write(clean(String.join(" > ", catalog.categoryPath(i))));
                w.write('\t');
                w.write(clean(catalog.text(i)));
                w.write('\n');
            }
        }
    }

    // ---------------------------------------------------------------- low-level I/O

    private static Writer writer(Path file) throws IOException {
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    private static String clean(String text) {
        if (text.indexOf('\t') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return text.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    private static String escapeTabs(String line) {
        return line.replace("\t", "\\t");
    }

    /** A tab-separated file with a {@code name:type} header, read line by line. */
    private static final class Table implements AutoCloseable {

        private final Path file;
        private final BufferedReader in;
        private final String header;
        private final String[] names;
        private final String[] types;
        private final int[] bounds;
        private String line;
        private int lineNo;

        private Table(Path file, BufferedReader in, String header, String[] names, String[] types) {
            this.file = file;
            this.in = in;
            this.header = header;
            this.names = names;
            this.types = types;
            this.bounds = new int[2 * names.length];
            this.lineNo = 1;
        }

        static Table open(Path file) throws IOException {
            BufferedReader in;
            try {
                in =
                        new BufferedReader(
                                new InputStreamReader(
                                        Files.newInputStream(file), StandardCharsets.UTF_8),
                                BUFFER_CHARS);
            } catch (NoSuchFileException e) {
                throw new DatasetFormatException(
                        file, 0, file + ": expected a RecBole atomic file, but it does not exist");
            }
            try {
                String header = in.readLine();
                if (header == null || stripCr(header).isBlank()) {
                    throw new DatasetFormatException(
                            file, 1, "a header line of name:type fields", header);
                }
                header = stripCr(header);
                if (header.charAt(0) == '\uFEFF') {
                    header = header.substring(1);
                }
                String[] fields = header.split("\t", -1);
                String[] names = new String[fields.length];
                String[] types = new String[fields.length];
                for (int c = 0; c < fields.length; c++) {
                    String f = fields[c];
                    int colon = f.lastIndexOf(':');
                    if (colon <= 0) {
                        throw new DatasetFormatException(
                                file, 1, "a header field of the form name:type", f);
                    }
                    names[c] = f.substring(0, colon);
                    types[c] = f.substring(colon + 1);
                    if (!types[c].equals("token")
                            && !types[c].equals("token_seq")
                            && !types[c].equals("float")
                            && !types[c].equals("float_seq")) {
                        throw new DatasetFormatException(
                                file, 1, "a header type token, token_seq, float or float_seq", f);
                    }
                    for (int p = 0; p < c; p++) {
                        if (names[p].equals(names[c])) {
                            throw new DatasetFormatException(
                                    file, 1, "distinct header column names", f);
                        }
                    }
                }
                return new Table(file, in, header, names, types);
            } catch (RuntimeException | IOException e) {
                in.close();
                throw e;
            }
        }

        Path file() {
            return file;
        }

        int lineNo() {
            return lineNo;
        }

        int columns() {
            return names.length;
        }

        String name(int c) {
            return names[c];
        }

        String type(int c) {
            return types[c];
        }

        int column(String name) {
            for (int c = 0; c < names.length; c++) {
                if (names[c].equals(name)) {
                    return c;
                }
            }
            return -1;
        }

        int requireColumn(String name) {
            int c = column(name);
            if (c < 0) {
                throw new DatasetFormatException(
                        file, 1, "a header column '" + name + "'", escapeTabs(header));
            }
            return c;
        }

        /** Advances to the next non-empty line; returns false at the end of the file. */
        boolean next() throws IOException {
            while (true) {
                String l = in.readLine();
                if (l == null) {
                    line = null;
                    return false;
                }
                lineNo++;
                l = stripCr(l);
                if (l.isEmpty()) {
                    continue;
                }
                split(l);
                line = l;
                return true;
            }
        }

        private void split(String l) {
            int expected = names.length;
            int c = 0;
            int start = 0;
            while (true) {
                int tab = l.indexOf('\t', start);
                if (tab < 0) {
                    break;
                }
                if (c == expected - 1) {
                    throw wrongColumnCount(l);
                }
                bounds[2 * c] = start;
                bounds[2 * c + 1] = tab;
                c++;
                start = tab + 1;
            }
            if (c != expected - 1) {
                throw wrongColumnCount(l);
            }
            bounds[2 * c] = start;
            bounds[2 * c + 1] = l.length();
        }

        private DatasetFormatException wrongColumnCount(String l) {
            return new DatasetFormatException(
                    file,
                    lineNo,
                    names.length + " tab-separated columns (" + String.join(", ", names) + ")",
                    escapeTabs(l));
        }

        String field(int c) {
            return line.substring(bounds[2 * c], bounds[2 * c + 1]);
        }

        String token(int c) {
            if (bounds[2 * c] == bounds[2 * c + 1]) {
                throw new DatasetFormatException(
                        file, lineNo, "a non-empty " + names[c] + " token", escapeTabs(line));
            }
            return field(c);
        }

        double number(int c) {
            String f = field(c);
            double v;
            try {
                v = Double.parseDouble(f);
            } catch (NumberFormatException e) {
                throw new DatasetFormatException(file, lineNo, "a number in column " + names[c], f);
            }
            if (!Double.isFinite(v)) {
                throw new DatasetFormatException(
                        file, lineNo, "a finite number in column " + names[c], f);
            }
            return v;
        }

        int nonNegativeInt(int c) {
            String f = field(c);
            try {
                int v = Integer.parseInt(f.trim());
                if (v >= 0) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new DatasetFormatException(
                    file, lineNo, "a non-negative integer in column " + names[c], f);
        }

        private static String stripCr(String l) {
            int n = l.length();
            return n > 0 && l.charAt(n - 1) == '\r' ? l.substring(0, n - 1) : l;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
