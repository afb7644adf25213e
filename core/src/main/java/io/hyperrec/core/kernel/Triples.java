package io.hyperrec.core.kernel;

/**
 * Training triples (anchor, positive, negative) as row indices into one embedding matrix, in the
 * first {@code count} entries of three parallel arrays. The arrays are reused by samplers between
 * steps; kernels read them only during a call.
 */
public record Triples(int[] anchors, int[] positives, int[] negatives, int count) {
    /** Validates the arrays' lengths against {@code count}. */
    public Triples {
        if (count < 0
                || anchors.length < count
                || positives.length < count
                || negatives.length < count) {
            throw new IllegalArgumentException(
                    "triple arrays must hold count="
                            + count
                            + " entries, got lengths "
                            + anchors.length
                            + ", "
                            + positives.length
                            + ", "
                            + negatives.length);
        }
    }

    /** A fresh buffer for up to {@code capacity} triples (count 0). */
    public static Triples allocate(int capacity) {
        return new Triples(new int[capacity], new int[capacity], new int[capacity], 0);
    }

    /** The same arrays with another count. */
    public Triples withCount(int newCount) {
        return new Triples(anchors, positives, negatives, newCount);
    }
}
