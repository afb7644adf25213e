package io.hyperrec.store.ingest;

import io.hyperrec.core.model.EmbeddingUpsert;
import io.hyperrec.schemas.avro.EmbeddingUpdate;
import java.util.List;
import java.util.OptionalLong;

/**
 * Maps Avro records to {@code core} types at the edge, so the math never sees Avro
 * (ARCHITECTURE.md). Throws {@link IllegalArgumentException} naming the field for a record that
 * decodes but is not valid. Not instantiable.
 */
public final class AvroAdapters {
    private AvroAdapters() {}

    /**
     * The core upsert of an {@code EmbeddingUpdate}.
     *
     * @param u the record
     * @return the upsert
     * @throws IllegalArgumentException when a field is missing or invalid, naming it
     */
    public static EmbeddingUpsert toUpsert(EmbeddingUpdate u) {
        if (u.getKind() == null) {
            throw new IllegalArgumentException("EmbeddingUpdate.kind is missing");
        }
        List<Float> vector = u.getVector();
        if (vector == null) {
            throw new IllegalArgumentException(
                    "EmbeddingUpdate.vector is missing for " + u.getKind() + " " + u.getId());
        }
        float[] v = new float[vector.size()];
        for (int j = 0; j < v.length; j++) {
            Float x = vector.get(j);
            if (x == null) {
                throw new IllegalArgumentException(
                        "EmbeddingUpdate.vector[" + j + "] is null for " + u.getId());
            }
            v[j] = x;
        }
        return new EmbeddingUpsert(
                EmbeddingUpsert.Kind.valueOf(u.getKind().name()),
                u.getId(),
                v,
                u.getModelVersion(),
                u.getSeq(),
                u.getSourceTime() == null
                        ? OptionalLong.empty()
                        : OptionalLong.of(u.getSourceTime().toEpochMilli()));
    }
}
