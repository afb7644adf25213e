package io.hyperrec.jobs.online;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the broadcast side of {@link OnlineUpdateOperator} carries: a pointer to a newly published
 * model version (never its tables: every TaskManager loads those from the version's snapshot
 * directory), or one cold-start item added to the live version.
 */
public class ControlEvent implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** The two kinds of control events. */
    public enum Kind {
        /** A new model version: {@link #version}, {@link #location}, {@link #snapshotOffsets}. */
        VERSION,
        /** An item added to {@link #version}: {@link #item} at {@link #point}. */
        ITEM
    }

    /** What this event is. */
    public Kind kind;

    /** The model version. */
    public long version;

    /** VERSION: the snapshot directory of the version (TrainedModel format). */
    public String location;

    /**
     * VERSION: partitions of {@code interactions} with {@link #snapshotOffsets}: per partition the
     * first offset the retrain did NOT read; events at or after it are folded in again on top of
     * the new version. (Parallel arrays rather than a map: Flink serialises them without Kryo.)
     */
    public int[] snapshotPartitions = new int[0];

    /** See {@link #snapshotPartitions}. */
    public long[] snapshotOffsets = new long[0];

    /** ITEM: the item id. */
    public String item;

    /** ITEM: its Lorentz point. */
    public float[] point;

    /** For Flink. */
    public ControlEvent() {}

    /** A version pointer. */
    public static ControlEvent version(
            long version, String location, Map<Integer, Long> snapshotOffsets) {
        ControlEvent e = new ControlEvent();
        e.kind = Kind.VERSION;
        e.version = version;
        e.location = location;
        Map<Integer, Long> sorted = new TreeMap<>(snapshotOffsets);
        e.snapshotPartitions = new int[sorted.size()];
        e.snapshotOffsets = new long[sorted.size()];
        int i = 0;
        for (Map.Entry<Integer, Long> en : sorted.entrySet()) {
            e.snapshotPartitions[i] = en.getKey();
            e.snapshotOffsets[i++] = en.getValue();
        }
        return e;
    }

    /** A cold-start item of a version. */
    public static ControlEvent item(long version, String item, float[] point) {
        ControlEvent e = new ControlEvent();
        e.kind = Kind.ITEM;
        e.version = version;
        e.item = item;
        e.point = point.clone();
        return e;
    }

    /**
     * Whether an event at {@code partition}/{@code offset} came after this version's training
     * snapshot; partitions the snapshot does not list were not read at all.
     */
    public boolean afterSnapshot(int partition, long offset) {
        for (int i = 0; i < snapshotPartitions.length; i++) {
            if (snapshotPartitions[i] == partition) {
                return offset >= snapshotOffsets[i];
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return kind == Kind.VERSION
                ? "version " + version + " at " + location
                : "item " + item + " of version " + version;
    }
}
