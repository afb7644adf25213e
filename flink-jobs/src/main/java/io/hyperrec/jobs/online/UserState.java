package io.hyperrec.jobs.online;

import java.util.Arrays;

/**
 * The per-user value state of the update job: the user's point and momentum in the model version
 * they belong to, the sequence number of the last update emitted for that version, and the most
 * recent items (negatives are not drawn from them). Small on purpose — it is read and written once
 * per micro-batch in which the user appears; the per-event log lives in a separate list state.
 */
public class UserState {
    /** The user's point, or null until the user has touched an item the model knows. */
    public float[] point;

    /** Momentum buffer of the Riemannian SGD step. */
    public float[] momentum;

    /** The model version {@link #point} lives in. */
    public long version = -1;

    /** The last sequence number emitted for {@link #version}. */
    public long seq;

    /** Events seen, across versions. */
    public long events;

    /** The most recent item ids, oldest first. */
    public String[] recent = new String[0];

    /** For Flink. */
    public UserState() {}

    /** Appends an item to {@link #recent}, keeping at most {@code capacity}. */
    void remember(String item, int capacity) {
        for (String r : recent) {
            if (r.equals(item)) {
                return;
            }
        }
        if (recent.length < capacity) {
            recent = Arrays.copyOf(recent, recent.length + 1);
        } else {
            System.arraycopy(recent, 1, recent, 0, recent.length - 1);
        }
        recent[recent.length - 1] = item;
    }
}
