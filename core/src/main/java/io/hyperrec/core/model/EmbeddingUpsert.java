package io.hyperrec.core.model;

import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One embedding upsert between retrains: the new Lorentz point of a user, item or tag within a
 * published model version. The core counterpart of the {@code EmbeddingUpdate} record of topic
 * {@code model.updates}, so that the store and the jobs reason about upserts without Avro.
 *
 * <p>Upserts are ordered per entity by ({@link #modelVersion}, {@link #seq}) lexicographically
 * ({@link #compareVersions}); consumers keep the greatest and drop older ones, which makes replays
 * after a failure idempotent (STYLE.md rule 5). A published model's own point of an entity ranks
 * below every upsert of the same version ({@link #PUBLISHED_SEQ}).
 *
 * <p>Immutable: the vector is copied in and out.
 *
 * @param kind what the vector embeds
 * @param id the entity id (non-empty)
 * @param vector the Lorentz point, time coordinate first (d+1 ≥ 2 finite floats)
 * @param modelVersion the published model version the point lives in (≥ 1)
 * @param seq the per-entity sequence number within the version (≥ 0)
 * @param sourceTimeMillis event time of what caused the update, epoch milliseconds; empty when
 *     unknown (used to measure freshness)
 */
public record EmbeddingUpsert(
        Kind kind,
        String id,
        float[] vector,
        long modelVersion,
        long seq,
        OptionalLong sourceTimeMillis) {

    /** The sequence number a published model's own point has: below every upsert's. */
    public static final long PUBLISHED_SEQ = -1;

    /** What an embedding belongs to. */
    public enum Kind {
        /** A user point. */
        USER,
        /** An item point. */
        ITEM,
        /** A tag point. */
        TAG
    }

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException naming the offending field and value
     */
    public EmbeddingUpsert {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sourceTimeMillis, "sourceTimeMillis (use OptionalLong.empty())");
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException(
                    "id must be a non-empty string, got " + (id == null ? "null" : "''"));
        }
        if (vector == null || vector.length < 2) {
            throw new IllegalArgumentException(
                    "vector of "
                            + kind
                            + " '"
                            + id
                            + "' must have at least 2 coordinates, got "
                            + (vector == null ? "null" : vector.length));
        }
        for (int j = 0; j < vector.length; j++) {
            if (!Float.isFinite(vector[j])) {
                throw new IllegalArgumentException(
                        "vector of "
                                + kind
                                + " '"
                                + id
                                + "' must be finite, got "
                                + vector[j]
                                + " at coordinate "
                                + j);
            }
        }
        if (modelVersion < 1) {
            throw new IllegalArgumentException(
                    "modelVersion must be >= 1, got " + modelVersion + " for " + kind + " " + id);
        }
        if (seq < 0) {
            throw new IllegalArgumentException(
                    "seq must be >= 0, got " + seq + " for " + kind + " " + id);
        }
        vector = vector.clone();
    }

    /**
     * The point.
     *
     * @return a copy of the vector
     */
    @Override
    public float[] vector() {
        return vector.clone();
    }

    /**
     * The number of coordinates (d+1).
     *
     * @return the vector length
     */
    public int dim() {
        return vector.length;
    }

    /**
     * Orders (version, seq) pairs lexicographically.
     *
     * @return negative, zero or positive as (v1, s1) is older than, equal to or newer than (v2, s2)
     */
    public static int compareVersions(long v1, long s1, long v2, long s2) {
        int c = Long.compare(v1, v2);
        return c != 0 ? c : Long.compare(s1, s2);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmbeddingUpsert other
                && kind == other.kind
                && id.equals(other.id)
                && Arrays.equals(vector, other.vector)
                && modelVersion == other.modelVersion
                && seq == other.seq
                && sourceTimeMillis.equals(other.sourceTimeMillis);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, id, Arrays.hashCode(vector), modelVersion, seq, sourceTimeMillis);
    }

    @Override
    public String toString() {
        return "EmbeddingUpsert["
                + kind
                + " "
                + id
                + " v"
                + modelVersion
                + " seq "
                + seq
                + " dim "
                + vector.length
                + (sourceTimeMillis.isPresent()
                        ? " sourceTime " + sourceTimeMillis.getAsLong()
                        : "")
                + "]";
    }
}
