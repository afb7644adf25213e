package io.hyperrec.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyperrec.core.model.EmbeddingUpsert.Kind;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class EmbeddingUpsertTest {

    @Test
    void copiesTheVectorInAndOut() {
        float[] v = {1, 0, 0};
        EmbeddingUpsert u = new EmbeddingUpsert(Kind.USER, "u1", v, 3, 0, OptionalLong.of(5));
        v[0] = 9;
        u.vector()[1] = 9;
        assertThat(u.vector()).containsExactly(1, 0, 0);
        assertThat(u.dim()).isEqualTo(3);
        assertThat(u)
                .isEqualTo(
                        new EmbeddingUpsert(
                                Kind.USER, "u1", new float[] {1, 0, 0}, 3, 0, OptionalLong.of(5)))
                .hasSameHashCodeAs(
                        new EmbeddingUpsert(
                                Kind.USER, "u1", new float[] {1, 0, 0}, 3, 0, OptionalLong.of(5)));
    }

    @Test
    void ordersByVersionThenSeq() {
        assertThat(EmbeddingUpsert.compareVersions(2, 0, 1, 99)).isPositive();
        assertThat(EmbeddingUpsert.compareVersions(2, 3, 2, 4)).isNegative();
        assertThat(EmbeddingUpsert.compareVersions(2, 3, 2, 3)).isZero();
        assertThat(EmbeddingUpsert.compareVersions(2, 0, 2, EmbeddingUpsert.PUBLISHED_SEQ))
                .isPositive();
    }

    @Test
    void rejectsInvalidFieldsNamingThem() {
        float[] ok = {1, 0};
        assertThatThrownBy(() -> new EmbeddingUpsert(Kind.ITEM, "", ok, 1, 0, OptionalLong.empty()))
                .hasMessage("id must be a non-empty string, got ''");
        assertThatThrownBy(
                        () ->
                                new EmbeddingUpsert(
                                        Kind.ITEM,
                                        "i1",
                                        new float[] {1},
                                        1,
                                        0,
                                        OptionalLong.empty()))
                .hasMessage("vector of ITEM 'i1' must have at least 2 coordinates, got 1");
        assertThatThrownBy(
                        () ->
                                new EmbeddingUpsert(
                                        Kind.ITEM,
                                        "i1",
                                        new float[] {1, Float.NaN},
                                        1,
                                        0,
                                        OptionalLong.empty()))
                .hasMessage("vector of ITEM 'i1' must be finite, got NaN at coordinate 1");
        assertThatThrownBy(() -> new EmbeddingUpsert(Kind.TAG, "t", ok, 0, 0, OptionalLong.empty()))
                .hasMessage("modelVersion must be >= 1, got 0 for TAG t");
        assertThatThrownBy(
                        () -> new EmbeddingUpsert(Kind.TAG, "t", ok, 1, -1, OptionalLong.empty()))
                .hasMessage("seq must be >= 0, got -1 for TAG t");
    }
}
