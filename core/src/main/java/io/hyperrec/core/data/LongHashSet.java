package io.hyperrec.core.data;

import java.util.Arrays;

/**
 * A minimal open-addressing set of {@code long} keys, used to deduplicate (int, int) pairs without
 * boxing. Package-private, not thread-safe.
 */
final class LongHashSet {

    private static final long EMPTY = Long.MIN_VALUE;

    private long[] table;
    private int size;
    private boolean containsEmptyKey;

    LongHashSet(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, (int) Math.min(1 << 30, expected * 2L)));
        if (capacity < expected * 2L && capacity < (1 << 30)) {
            capacity <<= 1;
        }
        table = new long[capacity];
        Arrays.fill(table, EMPTY);
    }

    static long pack(int a, int b) {
        return ((long) a << 32) | (b & 0xffffffffL);
    }

    /** Adds a key; returns true when it was not present. */
    boolean add(long key) {
        if (key == EMPTY) {
            if (containsEmptyKey) {
                return false;
            }
            containsEmptyKey = true;
            size++;
            return true;
        }
        int mask = table.length - 1;
        int slot = mix(key) & mask;
        while (true) {
            long current = table[slot];
            if (current == EMPTY) {
                table[slot] = key;
                if (++size * 2 > table.length) {
                    grow();
                }
                return true;
            }
            if (current == key) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
    }

    boolean contains(long key) {
        if (key == EMPTY) {
            return containsEmptyKey;
        }
        int mask = table.length - 1;
        int slot = mix(key) & mask;
        while (true) {
            long current = table[slot];
            if (current == EMPTY) {
                return false;
            }
            if (current == key) {
                return true;
            }
            slot = (slot + 1) & mask;
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        Arrays.fill(table, EMPTY);
        int mask = table.length - 1;
        for (long key : old) {
            if (key != EMPTY) {
                int slot = mix(key) & mask;
                while (table[slot] != EMPTY) {
                    slot = (slot + 1) & mask;
                }
                table[slot] = key;
            }
        }
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        h ^= h >>> 32;
        return (int) (h ^ (h >>> 16));
    }
}
