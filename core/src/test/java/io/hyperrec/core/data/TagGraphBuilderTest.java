package io.hyperrec.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TagGraphBuilderTest {
    @Test
    void deduplicatesTagsByNameAcrossItemsAndLinksEveryLevel() {
        TagGraph g =
                new TagGraphBuilder()
                        .add(
                                0,
                                List.of(List.of("Makeup"), List.of("Lips"), List.of("Lipstick")),
                                List.of(
                                        new String[] {"Makeup", "Lips"},
                                        new String[] {"Lips", "Lipstick"}))
                        .add(
                                1,
                                List.of(
                                        List.of(" makeup "),
                                        List.of("Lips"),
                                        List.of("Lip  Gloss")),
                                List.of(
                                        new String[] {"makeup", "lips"},
                                        new String[] {"lips", "lip gloss"}))
                        .build(3);

        assertThat(g.numTags()).isEqualTo(4);
        assertThat(g.tagNames()).containsExactly("makeup", "lips", "lipstick", "lip gloss");
        assertThat(g.tagLevel()).containsExactly(0, 1, 2, 2);
        // Item–tag edges: 3 for each item; the tag–tag edges deduplicated: 3 distinct pairs.
        assertThat(g.itemTagItems()).hasSize(6);
        assertThat(g.tagTagA()).hasSize(3);
    }

    @Test
    void aTagKeepsTheLowestLevelItWasGiven() {
        TagGraph g =
                new TagGraphBuilder()
                        .add(0, List.of(List.of("a"), List.of("b"), List.of("c")), List.of())
                        .add(1, List.of(List.of("c"), List.of("d"), List.of("e")), List.of())
                        .build(2);
        assertThat(g.tagLevel()[2]).isZero();
    }
}
