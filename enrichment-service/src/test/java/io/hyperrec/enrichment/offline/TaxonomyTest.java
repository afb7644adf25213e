package io.hyperrec.enrichment.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyperrec.core.data.Dataset;
import io.hyperrec.core.data.IdMap;
import io.hyperrec.core.data.ItemCatalog;
import io.hyperrec.core.data.SyntheticConfig;
import io.hyperrec.core.data.SyntheticDataset;
import io.hyperrec.core.data.TagGraph;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TaxonomyTest {

    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9 &\\-'/.,+]{1,48}");

    private static final List<String> BEAUTY =
            List.of(
                    "Beauty > Makeup > Face > Concealer & Primer",
                    "Beauty > Makeup > Lips > Lipstick",
                    "Beauty > Fragrance > Women's > Eau de Parfum",
                    "Beauty > Fragrance > Men's > Eau de Parfum",
                    "Beauty > Skin Care > Face > Treatments & Peels > Masks",
                    "Beauty > Skin Care > Face",
                    "Beauty > Hair Care");

    private static List<String> tags(Taxonomy t, int level) {
        return t.level(level).stream().map(Taxonomy.Node::tag).toList();
    }

    @Test
    void dropsTheCommonRootAndNormalisesPathsToThreeLevels() {
        Taxonomy t = Taxonomy.fromJoinedCategoryPaths(BEAUTY);

        assertThat(t.droppedRoot()).containsExactly("Beauty");
        assertThat(tags(t, 0)).containsExactly("Fragrance", "Hair Care", "Makeup", "Skin Care");
        assertThat(tags(t, 1))
                .containsExactly(
                        "Men's",
                        "Women's",
                        "Hair Care - general",
                        "Makeup Face",
                        "Lips",
                        "Skin Care Face");
        assertThat(tags(t, 2))
                .containsExactly(
                        "Men's Eau de Parfum",
                        "Women's Eau de Parfum",
                        "Hair Care - all",
                        "Concealer & Primer",
                        "Lipstick",
                        "Face - all",
                        "Masks");
    }

    @Test
    void linksEachNodeToItsParentAndKeepsCollapsedComponentsInThePath() {
        Taxonomy t = Taxonomy.fromJoinedCategoryPaths(BEAUTY);

        Taxonomy.Node masks = t.byTag("Masks").orElseThrow();
        assertThat(masks.label()).isEqualTo("Masks");
        assertThat(masks.path())
                .containsExactly("Skin Care", "Face", "Treatments & Peels", "Masks");
        assertThat(t.ancestry(masks.id()))
                .extracting(Taxonomy.Node::tag)
                .containsExactly("Skin Care", "Skin Care Face", "Masks");
        Taxonomy.Node pad = t.byTag("Hair Care - all").orElseThrow();
        assertThat(pad.padded()).isTrue();
        assertThat(pad.label()).isEqualTo("Hair Care");
        assertThat(t.node(pad.parent()).tag()).isEqualTo("Hair Care - general");
        for (Taxonomy.Node n : t.nodes()) {
            if (n.level() < 2) {
                assertThat(t.children(n.id())).as("children of %s", n.tag()).isNotEmpty();
            }
        }
    }

    @Test
    void mapsARawPathToItsThreeNodes() {
        Taxonomy t = Taxonomy.fromJoinedCategoryPaths(BEAUTY);

        assertThat(t.nodesOf(List.of("Beauty", "Makeup", "Lips", "Lipstick")).orElseThrow())
                .extracting(Taxonomy.Node::tag)
                .containsExactly("Makeup", "Lips", "Lipstick");
        assertThat(t.nodesOf(List.of("Beauty", "Hair Care")).orElseThrow())
                .extracting(Taxonomy.Node::tag)
                .containsExactly("Hair Care", "Hair Care - general", "Hair Care - all");
        assertThat(t.nodesOf(List.of("Makeup", "Lips", "Lip Gloss"))).isEmpty();
    }

    @Test
    void buildsTheSameTreeWhateverTheOrderAndRepeatsOfPaths() {
        List<String> shuffled = new ArrayList<>(BEAUTY);
        shuffled.addAll(BEAUTY.subList(0, 3));
        Collections.shuffle(shuffled, new Random(7));

        assertThat(Taxonomy.fromJoinedCategoryPaths(shuffled).nodes())
                .isEqualTo(Taxonomy.fromJoinedCategoryPaths(BEAUTY).nodes());
    }

    @Test
    void qualifiesANameThatAppearsAtTwoDepths() {
        Taxonomy t =
                Taxonomy.fromCategoryPaths(
                        List.of(
                                List.of("Eyes", "Face", "Creams"),
                                List.of("Face", "Eyes", "Creams")));

        assertThat(tags(t, 0)).containsExactly("Eyes", "Face");
        assertThat(tags(t, 1)).containsExactly("Eyes Face", "Face Eyes");
        assertThat(tags(t, 2)).containsExactly("Face Creams", "Eyes Creams");
    }

    @Test
    void cleansNamesAndCutsAndNumbersOverlongOnes() {
        String longName = "Extremely Long Category Name That Goes On And On Forever";
        Taxonomy t =
                Taxonomy.fromCategoryPaths(
                        List.of(
                                List.of("Crème <b>Brûlée</b>", "Soins: visage!"),
                                List.of("Other", longName + " A"),
                                List.of("Other", longName + " B"),
                                List.of("  ", "")));

        assertThat(tags(t, 0)).containsExactly("Creme Brulee", "Other");
        assertThat(tags(t, 1))
                .containsExactly(
                        "Soins visage",
                        "Extremely Long Category Name That Goes On And On",
                        "Extremely Long Category Name That Goes On And 2");
        assertAllTagsValidAndUnique(t);
    }

    @Test
    void dropsARootSharedByEveryPathRepeatedly() {
        Taxonomy t =
                Taxonomy.fromJoinedCategoryPaths(
                        List.of(
                                "All > Beauty > Makeup > Lips",
                                "All > Beauty > Skin Care",
                                "All > Beauty"));

        assertThat(t.droppedRoot()).containsExactly("All", "Beauty");
        assertThat(tags(t, 0)).containsExactly("Makeup", "Skin Care");
    }

    @Test
    void buildsValidUniqueTagsForTheSyntheticCatalogue() {
        ItemCatalog catalog = SyntheticDataset.generate(SyntheticConfig.defaults()).catalog().get();

        Taxonomy t = Taxonomy.fromCatalog(catalog);

        assertThat(t.droppedRoot()).isEmpty();
        assertThat(t.level(0)).hasSize(6);
        assertThat(t.level(1)).hasSize(24);
        assertThat(t.level(2)).hasSize(72);
        assertAllTagsValidAndUnique(t);
        for (int i = 0; i < catalog.numItems(); i++) {
            assertThat(t.nodesOf(catalog.categoryPath(i))).as("item %d", i).isPresent();
        }
    }

    @Test
    void buildsTheSameTreeFromALeveledTagGraphAsFromTheCatalogue() {
        Dataset d = SyntheticDataset.generate(SyntheticConfig.defaults());

        Taxonomy fromGraph = Taxonomy.fromTagGraph(d.tags().orElseThrow());

        assertThat(fromGraph.nodes()).isEqualTo(Taxonomy.fromCatalog(d.catalog().get()).nodes());
    }

    @Test
    void rejectsATagGraphWithoutLevels() {
        TagGraph g =
                new TagGraph(
                        IdMap.sequential("", 1, 2),
                        new String[] {"a", "b"},
                        0,
                        new int[0],
                        new int[0],
                        new int[] {0},
                        new int[] {1},
                        null);

        assertThatThrownBy(() -> Taxonomy.fromTagGraph(g))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no tag levels");
    }

    @Test
    void rejectsPathsWithoutAUsableComponent() {
        assertThatThrownBy(() -> Taxonomy.fromJoinedCategoryPaths(List.of("", " > ", "<>")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 paths");
    }

    private static void assertAllTagsValidAndUnique(Taxonomy t) {
        Set<String> seen = new HashSet<>();
        for (Taxonomy.Node n : t.nodes()) {
            assertThat(n.tag()).matches(TAG).isEqualTo(n.tag().strip());
            assertThat(seen.add(n.tag().toLowerCase(Locale.ROOT)))
                    .as("unique %s", n.tag())
                    .isTrue();
        }
        for (int l = 0; l < 3; l++) {
            assertThat(t.level(l)).isNotEmpty();
        }
    }
}
