package io.hyperrec.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TagGraphTest {

    private static final IdMap TAGS = IdMap.of(List.of("0", "1", "2"));

    @Test
    void dropsRepeatedEdgesKeepingFirstAndTreatsTagEdgesAsUndirected() {
        TagGraph g =
                new TagGraph(
                        TAGS,
                        new String[] {"Beauty", "Face", "Lips"},
                        2,
                        new int[] {0, 1, 0},
                        new int[] {2, 0, 2},
                        new int[] {0, 1, 2, 0},
                        new int[] {1, 0, 0, 2},
                        null);

        assertThat(g.numTags()).isEqualTo(3);
        assertThat(g.itemTagItems()).containsExactly(0, 1);
        assertThat(g.itemTagTags()).containsExactly(2, 0);
        assertThat(g.tagTagA()).containsExactly(0, 2);
        assertThat(g.tagTagB()).containsExactly(1, 0);
        assertThat(g.tagLevel()).isNull();
        assertThat(g.tagNames()).containsExactly("Beauty", "Face", "Lips");
    }

    @Test
    void missingNamesBecomeSyntheticNames() {
        TagGraph g =
                new TagGraph(
                        TAGS,
                        null,
                        0,
                        new int[0],
                        new int[0],
                        new int[0],
                        new int[0],
                        new int[] {0, 1, 1});

        assertThat(g.tagNames()).containsExactly("t0", "t1", "t2");
        assertThat(g.tagLevel()).containsExactly(0, 1, 1);
    }

    @Test
    void rejectsOutOfRangeIndicesAndSelfLoops() {
        assertThatThrownBy(
                        () ->
                                new TagGraph(
                                        TAGS,
                                        null,
                                        2,
                                        new int[] {2},
                                        new int[] {0},
                                        new int[0],
                                        new int[0],
                                        null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("itemTagItems[0] must be in [0, 2), got 2");
        assertThatThrownBy(
                        () ->
                                new TagGraph(
                                        TAGS,
                                        null,
                                        2,
                                        new int[0],
                                        new int[0],
                                        new int[] {1},
                                        new int[] {3},
                                        null))
                .hasMessageContaining("tagTagB[0] must be in [0, 3), got 3");
        assertThatThrownBy(
                        () ->
                                new TagGraph(
                                        TAGS,
                                        null,
                                        2,
                                        new int[0],
                                        new int[0],
                                        new int[] {1},
                                        new int[] {1},
                                        null))
                .hasMessageContaining("two different tags, got 1 twice");
        assertThatThrownBy(
                        () ->
                                new TagGraph(
                                        TAGS,
                                        null,
                                        2,
                                        new int[0],
                                        new int[0],
                                        new int[0],
                                        new int[0],
                                        new int[] {0, -1, 0}))
                .hasMessageContaining("tagLevel[1] must be non-negative, got -1");
    }
}
