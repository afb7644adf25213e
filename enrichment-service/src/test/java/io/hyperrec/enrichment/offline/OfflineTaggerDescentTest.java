package io.hyperrec.enrichment.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyperrec.enrichment.EnrichmentException;
import io.hyperrec.enrichment.ItemText;
import io.hyperrec.enrichment.TagEdge;
import io.hyperrec.enrichment.Tagging;
import io.hyperrec.enrichment.TextEmbedder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Exact behaviour of the descent on a tiny tree with a fake encoder: every node is its own basis
 * vector, so an item's cosine with a node is the weight the item gives that node (divided by the
 * item's norm, about 1.001 here).
 */
class OfflineTaggerDescentTest {

    private static final Taxonomy TREE =
            Taxonomy.fromJoinedCategoryPaths(
                    List.of("A > A1 > A1x", "A > A1 > A1y", "A > A2 > A2x", "B > B1 > B1x"));

    /** Weights per node tag: greedy leads to A1x, a beam of 2 finds the better B1x. */
    private static final Map<String, Double> ITEM_WEIGHTS =
            Map.of(
                    "A", 0.5, "B", 0.4, "A1", 0.3, "A2", 0.2, "B1", 0.3, "A1x", 0.1, "A1y", 0.05,
                    "A2x", 0.0, "B1x", 0.6);

    private static final String ITEM_DOC = "Red thing";

    /** Maps each node's text to its basis vector and the item's document to its weights. */
    private static final class BasisEmbedder implements TextEmbedder {
        private final Map<String, float[]> vectors = new HashMap<>();

        BasisEmbedder() {
            int dim = TREE.size();
            float[] item = new float[dim];
            double norm = 0;
            for (Taxonomy.Node n : TREE.nodes()) {
                float[] e = new float[dim];
                e[n.id()] = 1;
                vectors.put(OfflineTagger.nodeText(n, OfflineTaggerOptions.NodeText.PATH), e);
                double w = ITEM_WEIGHTS.get(n.tag());
                item[n.id()] = (float) w;
                norm += w * w;
            }
            for (int d = 0; d < dim; d++) {
                item[d] /= (float) Math.sqrt(norm);
            }
            vectors.put(ITEM_DOC, item);
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            return texts.stream()
                    .map(
                            t -> {
                                float[] v = vectors.get(t);
                                if (v == null) {
                                    throw new IllegalStateException("unexpected text '" + t + "'");
                                }
                                return v.clone();
                            })
                    .toList();
        }

        @Override
        public int dim() {
            return TREE.size();
        }

        @Override
        public String name() {
            return "basis";
        }
    }

    private static Tagging tag(OfflineTaggerOptions.Builder options) {
        OfflineTagger tagger =
                OfflineTagger.create(
                        TREE,
                        new BasisEmbedder(),
                        options.nodeText(OfflineTaggerOptions.NodeText.PATH).build());
        return tagger.tag(new ItemText("i1", ITEM_DOC, "", Map.of()));
    }

    @Test
    void greedyDescentFollowsTheBestNodeOfEachLevel() {
        Tagging t = tag(OfflineTaggerOptions.builder().beamWidth(1).maxLeaves(1));

        assertThat(t.levels()).containsExactly(List.of("A"), List.of("A1"), List.of("A1x"));
        assertThat(t.edges()).containsExactly(new TagEdge("A", "A1"), new TagEdge("A1", "A1x"));
        assertThat(t.summary()).isEqualTo("Red thing. Category: A / A1 / A1x.");
        TaggingRules.assertValid(t);
    }

    @Test
    void aWiderBeamFindsABetterLeafUnderTheSecondRoot() {
        Tagging t = tag(OfflineTaggerOptions.builder().beamWidth(2).maxLeaves(1));

        assertThat(t.levels()).containsExactly(List.of("B"), List.of("B1"), List.of("B1x"));
        assertThat(t.edges()).containsExactly(new TagEdge("B", "B1"), new TagEdge("B1", "B1x"));
    }

    @Test
    void emitsFurtherLeavesWithinTheMarginBestFirstWithTheirPaths() {
        Tagging t = tag(OfflineTaggerOptions.builder().beamWidth(2).maxLeaves(2).margin(0.6));

        assertThat(t.levels())
                .containsExactly(List.of("B", "A"), List.of("B1", "A1"), List.of("B1x", "A1x"));
        assertThat(t.edges())
                .containsExactly(
                        new TagEdge("B", "B1"),
                        new TagEdge("B1", "B1x"),
                        new TagEdge("A", "A1"),
                        new TagEdge("A1", "A1x"));
        assertThat(t.summary()).isEqualTo("Red thing. Category: B / B1 / B1x.");
        TaggingRules.assertValid(t);
    }

    @Test
    void dropsLeavesOutsideTheMargin() {
        Tagging t = tag(OfflineTaggerOptions.builder().beamWidth(2).maxLeaves(2).margin(0.4));

        assertThat(t.levels()).containsExactly(List.of("B"), List.of("B1"), List.of("B1x"));
    }

    @Test
    void recordsItsNameAndMarksTheTaggingOffline() {
        Tagging t = tag(OfflineTaggerOptions.builder());

        assertThat(t.tagger()).isEqualTo("offline:taxonomy-basis");
        assertThat(t.offline()).isTrue();
        assertThat(t.fallbackReason()).isNull();
    }

    @Test
    void rejectsAnEmbedderReturningTheWrongDimension() {
        TextEmbedder broken =
                new TextEmbedder() {
                    @Override
                    public List<float[]> embed(List<String> texts) {
                        return texts.stream().map(t -> new float[3]).toList();
                    }

                    @Override
                    public int dim() {
                        return 4;
                    }

                    @Override
                    public String name() {
                        return "broken";
                    }
                };

        assertThatThrownBy(
                        () -> OfflineTagger.create(TREE, broken, OfflineTaggerOptions.defaults()))
                .isInstanceOf(EnrichmentException.class)
                .hasMessageContaining("dimension 3")
                .hasMessageContaining("expected 4");
    }

    @Test
    void optionsRejectBadValuesNamingThem() {
        assertThatThrownBy(() -> OfflineTaggerOptions.builder().beamWidth(0))
                .hasMessageContaining("beamWidth")
                .hasMessageContaining("0");
        assertThatThrownBy(() -> OfflineTaggerOptions.builder().maxLeaves(17))
                .hasMessageContaining("maxLeaves")
                .hasMessageContaining("17");
        assertThatThrownBy(() -> OfflineTaggerOptions.builder().margin(Double.NaN))
                .hasMessageContaining("margin")
                .hasMessageContaining("NaN");
        assertThat(OfflineTaggerOptions.defaults().nodeText())
                .isEqualTo(OfflineTaggerOptions.NodeText.PATH);
    }
}
