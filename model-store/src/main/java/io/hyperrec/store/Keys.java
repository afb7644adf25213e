package io.hyperrec.store;

import io.hyperrec.core.model.EmbeddingUpsert.Kind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The byte layout of every key and row of the {@link ModelStore} (bytes at the bottom, types on
 * top). Integers are big-endian so that RocksDB's bytewise order is numeric order for the
 * non-negative values used here.
 *
 * <pre>
 * users / items / tags   version(8) layer(1) id(utf-8)   → seq(8) sourceTime(8) float32 LE × dim
 *                        layer 0 = the published model's row (seq −1), 1 = the latest upsert
 * watermarks             kind(1) id(utf-8)              → version(8) seq(8) of the newest upsert
 * seen                   len(user)(4) user item         → eventTime(8)
 * hidden                 item                           → hiddenAt(8)
 * item_meta              item                           → JSON (title, summary, tagLevels, introducedIn)
 * meta                   "current"                      → version(8)
 *                        "version/" version(8)          → JSON of the published version
 * </pre>
 *
 * Keys of one version are contiguous, and within a version each layer is: a version's published
 * rows are one range ({@link #rowPrefix}(v, 0) to {@link #rowPrefix}(v, 1)), which is what cleanup
 * of an incomplete publish and retention delete. Not instantiable.
 */
final class Keys {
    static final byte PUBLISHED = 0;
    static final byte UPSERT = 1;
    static final byte[] CURRENT = utf8("current");
    private static final byte[] VERSION_PREFIX = utf8("version/");
    private static final long NO_TIME = Long.MIN_VALUE;

    private Keys() {}

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    static long readLong(byte[] b, int offset) {
        return ByteBuffer.wrap(b, offset, 8).getLong();
    }

    static byte[] rowPrefix(long version, byte layer) {
        return ByteBuffer.allocate(9).putLong(version).put(layer).array();
    }

    static byte[] row(long version, byte layer, String id) {
        byte[] idBytes = utf8(id);
        return ByteBuffer.allocate(9 + idBytes.length)
                .putLong(version)
                .put(layer)
                .put(idBytes)
                .array();
    }

    static long rowVersion(byte[] key) {
        return readLong(key, 0);
    }

    static byte rowLayer(byte[] key) {
        return key[8];
    }

    static String rowId(byte[] key) {
        return new String(key, 9, key.length - 9, StandardCharsets.UTF_8);
    }

    static byte[] watermark(Kind kind, String id) {
        byte[] idBytes = utf8(id);
        return ByteBuffer.allocate(1 + idBytes.length)
                .put((byte) kind.ordinal())
                .put(idBytes)
                .array();
    }

    static byte[] watermarkValue(long version, long seq) {
        return ByteBuffer.allocate(16).putLong(version).putLong(seq).array();
    }

    static byte[] seenPrefix(String user) {
        byte[] u = utf8(user);
        return ByteBuffer.allocate(4 + u.length).putInt(u.length).put(u).array();
    }

    static byte[] seen(String user, String item) {
        byte[] u = utf8(user);
        byte[] i = utf8(item);
        return ByteBuffer.allocate(4 + u.length + i.length).putInt(u.length).put(u).put(i).array();
    }

    static String seenItem(byte[] key, int prefixLength) {
        return new String(key, prefixLength, key.length - prefixLength, StandardCharsets.UTF_8);
    }

    static byte[] version(long version) {
        return ByteBuffer.allocate(VERSION_PREFIX.length + 8)
                .put(VERSION_PREFIX)
                .putLong(version)
                .array();
    }

    static byte[] versionPrefix() {
        return VERSION_PREFIX.clone();
    }

    static long versionOf(byte[] versionKey) {
        return readLong(versionKey, VERSION_PREFIX.length);
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        if (key.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Encodes a row value: seq, source time (absent = {@code Long.MIN_VALUE}), coordinates. */
    static byte[] rowValue(long seq, long sourceTime, float[] points, int offset, int dim) {
        ByteBuffer b = ByteBuffer.allocate(16 + 4 * dim);
        b.putLong(seq).putLong(sourceTime);
        b.order(ByteOrder.LITTLE_ENDIAN);
        for (int j = 0; j < dim; j++) {
            b.putFloat(points[offset + j]);
        }
        return b.array();
    }

    static long rowSeq(byte[] value) {
        return readLong(value, 0);
    }

    static int rowDim(byte[] value) {
        return (value.length - 16) / 4;
    }

    static float[] rowPoint(byte[] value) {
        if (value.length < 16 || (value.length - 16) % 4 != 0) {
            throw new IllegalArgumentException(
                    "row value of " + value.length + " bytes is not 16 + 4·dim bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(value, 16, value.length - 16).order(ByteOrder.LITTLE_ENDIAN);
        float[] p = new float[rowDim(value)];
        for (int j = 0; j < p.length; j++) {
            p[j] = b.getFloat();
        }
        return p;
    }

    static long noTime() {
        return NO_TIME;
    }
}
