package io.hyperrec.jobs.onboard;

/** A new item's point in a model version's user–item space (a Flink POJO). */
public class ItemPlaced {
    /** Item id. */
    public String item;

    /** The version whose space it was placed in. */
    public long version;

    /** Placements of this item in this version so far (1 for the first). */
    public long seq;

    /** Its Lorentz point. */
    public float[] point;

    /** How it was placed ({@code ColdStartModel.Method}). */
    public String method;

    /** {@link #sourceTime} of a placement that no item record caused (a new version's). */
    public static final long NO_SOURCE_TIME = Long.MIN_VALUE;

    /**
     * Kafka append time of its {@code items.new} record, epoch ms (onboarding latency), or {@link
     * #NO_SOURCE_TIME}.
     */
    public long sourceTime;

    /** For Flink. */
    public ItemPlaced() {}

    /** A placement. */
    public ItemPlaced(
            String item, long version, long seq, float[] point, String method, long sourceTime) {
        this.item = item;
        this.version = version;
        this.seq = seq;
        this.point = point;
        this.method = method;
        this.sourceTime = sourceTime;
    }

    @Override
    public String toString() {
        return "ItemPlaced[" + item + " in v" + version + "#" + seq + " by " + method + "]";
    }
}
