package io.hyperrec.jobs.online;

/**
 * A user's new embedding, as the update job emits it; serialised to {@code EmbeddingUpdate} on its
 * way to {@code model.updates}. Consumers keep the greatest {@code (version, seq)} per user, which
 * makes a replay after a failure harmless: a replayed step recomputes the same point with the same
 * {@code (version, seq)}.
 */
public class UserUpdate {
    /** User id. */
    public String user;

    /** Lorentz point, time coordinate first. */
    public float[] point;

    /** The model version the point lives in. */
    public long version;

    /** Per user and version, strictly increasing from 1. */
    public long seq;

    /** Kafka timestamp of the interaction that caused the update. */
    public long sourceTime;

    /** For Flink. */
    public UserUpdate() {}

    /** An update with all its parts. */
    public UserUpdate(String user, float[] point, long version, long seq, long sourceTime) {
        this.user = user;
        this.point = point;
        this.version = version;
        this.seq = seq;
        this.sourceTime = sourceTime;
    }

    @Override
    public String toString() {
        return user + " v" + version + "#" + seq;
    }
}
