package io.hyperrec.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdMapTest {

    @Test
    void ofAssignsIndicesInListOrder() {
        IdMap map = IdMap.of(List.of("b", "a", "c"));

        assertThat(map.size()).isEqualTo(3);
        assertThat(map.indexOf("b")).isZero();
        assertThat(map.indexOf("c")).isEqualTo(2);
        assertThat(map.token(1)).isEqualTo("a");
        assertThat(map.contains("a")).isTrue();
        assertThat(map.tokens()).containsExactly("b", "a", "c");
    }

    @Test
    void absentTokensGiveMinusOneAndFalse() {
        IdMap map = IdMap.of(List.of("x"));

        assertThat(map.indexOf("y")).isEqualTo(-1);
        assertThat(map.indexOf(null)).isEqualTo(-1);
        assertThat(map.contains("y")).isFalse();
    }

    @Test
    void tokenOutOfRangeNamesIndexAndSize() {
        IdMap map = IdMap.of(List.of("x", "y"));

        assertThatThrownBy(() -> map.token(2))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("[0, 2)")
                .hasMessageContaining("got 2");
    }

    @Test
    void ofRejectsDuplicateEmptyAndTabTokens() {
        assertThatThrownBy(() -> IdMap.of(List.of("a", "b", "a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate token 'a' at positions 0 and 2");
        assertThatThrownBy(() -> IdMap.of(List.of("a", "")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position 1 is empty");
        assertThatThrownBy(() -> IdMap.of(List.of("a\tb")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a\\tb");
    }

    @Test
    void builderOrdersCanonicalIntegersNumerically() {
        IdMap.Builder builder = IdMap.builder();
        for (String token : List.of("10", "2", "0", "33", "2", "100000000000000000000000")) {
            builder.add(token);
        }

        IdMap map = builder.build();

        assertThat(builder.allCanonicalIntegers()).isTrue();
        assertThat(map.tokens()).containsExactly("0", "2", "10", "33", "100000000000000000000000");
        // provisional ids are first-appearance positions: 10 -> 0, 2 -> 1, 0 -> 2, 33 -> 3, big ->
        // 4
        assertThat(builder.finalIndices()).containsExactly(2, 1, 0, 3, 4);
    }

    @Test
    void builderMakesIndexEqualToValueForDenseZeroBasedIds() {
        IdMap.Builder builder = IdMap.builder();
        for (String token : List.of("3", "1", "0", "2")) {
            builder.add(token);
        }

        IdMap map = builder.build();

        for (int k = 0; k < 4; k++) {
            assertThat(map.indexOf(Integer.toString(k))).isEqualTo(k);
        }
    }

    @Test
    void builderKeepsFirstAppearanceWhenAnyTokenIsNotCanonical() {
        IdMap.Builder padded = IdMap.builder();
        padded.add("10");
        padded.add("007");
        padded.add("2");
        IdMap.Builder named = IdMap.builder();
        named.add("u2");
        named.add("u10");
        named.add("u1");

        assertThat(padded.build().tokens()).containsExactly("10", "007", "2");
        assertThat(padded.allCanonicalIntegers()).isFalse();
        assertThat(padded.finalIndices()).containsExactly(0, 1, 2);
        assertThat(named.build().tokens()).containsExactly("u2", "u10", "u1");
    }

    @Test
    void builderReturnsSameProvisionalIdForRepeatedToken() {
        IdMap.Builder builder = IdMap.builder();

        int first = builder.add("a");
        int second = builder.add("b");

        assertThat(builder.add("a")).isEqualTo(first);
        assertThat(builder.provisionalId("b")).isEqualTo(second);
        assertThat(builder.provisionalId("zzz")).isEqualTo(-1);
        assertThat(builder.size()).isEqualTo(2);
    }

    @Test
    void finalIndicesRequireBuildAfterLastAdd() {
        IdMap.Builder builder = IdMap.builder();
        builder.add("a");

        assertThatThrownBy(builder::finalIndices)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("size is 1");
    }

    @Test
    void tokenOrderPutsIntegersFirstNumericallyThenStrings() {
        List<String> tokens = new ArrayList<>(List.of("b", "10", "a", "9", "007"));

        tokens.sort(IdMap.TOKEN_ORDER);

        assertThat(tokens).containsExactly("9", "10", "007", "a", "b");
    }

    @Test
    void sequentialBuildsPrefixedTokens() {
        IdMap map = IdMap.sequential("u", 1, 3);

        assertThat(map.tokens()).containsExactly("u1", "u2", "u3");
        assertThat(IdMap.sequential("", 0, 2)).isEqualTo(IdMap.of(List.of("0", "1")));
    }
}
