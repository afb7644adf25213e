package io.hyperrec.schemas;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * Checks that bytes hold exactly one Avro binary datum of a writer schema, without decoding it: it
 * walks the schema over the bytes, checking every length, count and index against the bytes that
 * are left, and reports the first problem with its position and field path (e.g. {@code truncated:
 * field eventTime (long) needs more bytes at offset 31 of 31}).
 *
 * <p>Why not let Avro find out: Avro's decoders report a truncated body as an {@code EOFException}
 * without a message, skip negative lengths backwards, and silently ignore bytes after the datum.
 * Worse, the buffered decoder that flink-avro 2.2's {@code AvroDeserializationSchema} reuses across
 * records keeps the unread rest of a bad record and decodes the next, good record from those stale
 * bytes. Validating first means the decoder only ever sees a datum it will consume exactly.
 *
 * <p>Cost: one pass over the bytes that allocates only a small path list (rendered into text only
 * for a message). Stateless and thread-safe.
 */
public final class AvroBinaryValidator {
    /** Deeper nesting than this is rejected rather than risking a stack overflow. */
    static final int MAX_DEPTH = 256;

    /** Items of a type that takes no bytes (null, empty records) an array or map may declare. */
    static final long MAX_EMPTY_ITEMS = 1 << 20;

    private AvroBinaryValidator() {}

    /**
     * Finds the first structural problem of a datum.
     *
     * @param writer the schema the bytes were written with
     * @param data the bytes, e.g. a whole Kafka value
     * @param offset where the datum starts (after the wire format header)
     * @return a description of the first problem (truncation, a negative or too large length, an
     *     index out of range, trailing bytes), or empty when {@code data[offset..]} is exactly one
     *     datum of {@code writer}
     */
    public static Optional<String> findProblem(Schema writer, byte[] data, int offset) {
        Walker walker = new Walker(data, offset);
        try {
            walker.value(writer, 0);
        } catch (Problem p) {
            return Optional.of(p.getMessage());
        }
        if (walker.pos < data.length) {
            int extra = data.length - walker.pos;
            return Optional.of(
                    extra
                            + " trailing byte"
                            + (extra == 1 ? "" : "s")
                            + " after the datum ended at offset "
                            + walker.pos
                            + " of "
                            + data.length
                            + ": "
                            + Bytes.hex(data, walker.pos, Bytes.SHOWN));
        }
        return Optional.empty();
    }

    /** The smallest number of bytes a datum of the schema can take. */
    static long minSize(Schema s) {
        switch (s.getType()) {
            case NULL:
                return 0;
            case FLOAT:
                return 4;
            case DOUBLE:
                return 8;
            case FIXED:
                return s.getFixedSize();
            case RECORD:
                long sum = 0;
                for (Schema.Field f : s.getFields()) {
                    sum += minSize(f.schema());
                }
                return sum;
            default: // boolean, int, long, string, bytes, enum, union, array, map: one byte at
                // least
                return 1;
        }
    }

    /** Thrown inside the walk to stop at the first problem; never escapes this class. */
    private static final class Problem extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Problem(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Walker {
        private final byte[] data;
        private int pos;

        /** Field names and item indexes from the root to where the walk is; kept for messages. */
        private final List<Object> path = new ArrayList<>();

        Walker(byte[] data, int offset) {
            this.data = data;
            this.pos = offset;
        }

        void value(Schema s, int depth) {
            int start = pos;
            if (depth > MAX_DEPTH) {
                throw problem("nesting deeper than " + MAX_DEPTH, s, start);
            }
            switch (s.getType()) {
                case NULL:
                    return;
                case BOOLEAN:
                    need(1, s);
                    int b = data[pos] & 0xFF;
                    if (b > 1) {
                        throw problem(
                                "boolean byte " + Bytes.hex(b) + ", expected 00 or 01", s, start);
                    }
                    pos++;
                    return;
                case INT:
                    varint(5, s);
                    return;
                case LONG:
                    varint(10, s);
                    return;
                case FLOAT:
                    skip(4, s);
                    return;
                case DOUBLE:
                    skip(8, s);
                    return;
                case FIXED:
                    skip(s.getFixedSize(), s);
                    return;
                case STRING:
                case BYTES:
                    long length = varint(10, s);
                    if (length < 0) {
                        throw problem("negative length " + length, s, start);
                    }
                    skip(length, s);
                    return;
                case ENUM:
                    long symbol = varint(5, s);
                    if (symbol < 0 || symbol >= s.getEnumSymbols().size()) {
                        throw problem(
                                "enum index "
                                        + symbol
                                        + " out of range (the writer schema has "
                                        + s.getEnumSymbols().size()
                                        + " symbols)",
                                s,
                                start);
                    }
                    return;
                case UNION:
                    long branch = varint(5, s);
                    if (branch < 0 || branch >= s.getTypes().size()) {
                        throw problem(
                                "union index "
                                        + branch
                                        + " out of range (the writer schema has "
                                        + s.getTypes().size()
                                        + " branches)",
                                s,
                                start);
                    }
                    value(s.getTypes().get((int) branch), depth + 1);
                    return;
                case ARRAY:
                    blocks(s, s.getElementType(), false, depth);
                    return;
                case MAP:
                    blocks(s, s.getValueType(), true, depth);
                    return;
                case RECORD:
                    for (Schema.Field f : s.getFields()) {
                        path.add(f.name());
                        value(f.schema(), depth + 1);
                        path.remove(path.size() - 1);
                    }
                    return;
                default:
                    throw problem("unsupported schema type " + s.getType(), s, start);
            }
        }

        private void blocks(Schema container, Schema item, boolean map, int depth) {
            long itemMin = minSize(item) + (map ? 1 : 0);
            long[] index = {0};
            while (true) {
                int start = pos;
                long count = varint(10, container);
                if (count == 0) {
                    break;
                }
                if (count < 0) {
                    if (count == Long.MIN_VALUE) {
                        throw problem("invalid block count " + count, container, start);
                    }
                    count = -count;
                    long size = varint(10, container);
                    if (size < 0) {
                        throw problem("negative block size " + size, container, start);
                    }
                }
                long left = data.length - pos;
                if (itemMin > 0 ? count > left / itemMin : count > MAX_EMPTY_ITEMS) {
                    throw problem(
                            "block of "
                                    + count
                                    + " items cannot fit in the "
                                    + left
                                    + " bytes left",
                            container,
                            start);
                }
                path.add(index);
                for (long i = 0; i < count; i++) {
                    if (map) {
                        int keyStart = pos;
                        long keyLength = varint(10, container);
                        if (keyLength < 0) {
                            throw problem(
                                    "negative map key length " + keyLength, container, keyStart);
                        }
                        skip(keyLength, container);
                    }
                    value(item, depth + 1);
                    index[0]++;
                }
                path.remove(path.size() - 1);
            }
        }

        /** Reads a zig-zag varint of at most {@code maxBytes} bytes. */
        private long varint(int maxBytes, Schema s) {
            int start = pos;
            long raw = 0;
            for (int i = 0; i < maxBytes; i++) {
                need(1, s);
                int b = data[pos++] & 0xFF;
                raw |= (long) (b & 0x7F) << (7 * i);
                if (b < 0x80) {
                    return (raw >>> 1) ^ -(raw & 1);
                }
            }
            throw problem(
                    "invalid variable-length number (more than " + maxBytes + " bytes)", s, start);
        }

        private void skip(long n, Schema s) {
            need(n, s);
            pos += (int) n;
        }

        private void need(long n, Schema s) {
            if (n > data.length - pos) {
                throw problem(
                        "truncated: needs "
                                + n
                                + " byte"
                                + (n == 1 ? "" : "s")
                                + " but "
                                + (data.length - pos)
                                + " are left",
                        s,
                        pos);
            }
        }

        private Problem problem(String what, Schema s, int at) {
            return new Problem(what + " at offset " + at + " in " + where(s));
        }

        private String where(Schema s) {
            if (path.isEmpty()) {
                return "the record (" + s.getType().getName() + ")";
            }
            StringBuilder sb = new StringBuilder("field ");
            for (Object part : path) {
                if (part instanceof long[] index) {
                    sb.append('[').append(index[0]).append(']');
                } else {
                    if (sb.length() > "field ".length()) {
                        sb.append('.');
                    }
                    sb.append(part);
                }
            }
            return sb.append(" (").append(s.getType().getName()).append(')').toString();
        }
    }
}
