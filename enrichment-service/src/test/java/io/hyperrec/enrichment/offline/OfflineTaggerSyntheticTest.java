package io.hyperrec.enrichment.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyperrec.core.data.ItemCatalog;
import io.hyperrec.core.data.SyntheticConfig;
import io.hyperrec.core.data.SyntheticDataset;
import io.hyperrec.enrichment.ItemText;
import io.hyperrec.enrichment.Tagging;
import io.hyperrec.enrichment.embed.MiniLmEmbedder;
import io.hyperrec.enrichment.embed.MiniLmOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Round trip on the synthetic catalogue (default config: 1,000 items on a 6/24/72-node tree whose
 * level-1 and level-2 words are drawn at random under each root, so a product type does not reveal
 * its root): the taxonomy is built from the catalogue's own paths, the first {@value #ITEMS} items
 * are tagged with MiniLM, and the best path is compared with the item's path.
 *
 * <p>Measured on all 1,000 items: from title and text (the catalogue's text names the category
 * path) the best level-0 tag is the item's own for 98.9% of items and the best leaf for 98.0%; from
 * the title alone (brand, descriptor, level-2 and level-1 words, no root) 85.2% and 83.5%.
 */
class OfflineTaggerSyntheticTest {

    private static final int ITEMS = 300;

    private static MiniLmEmbedder embedder;
    private static ItemCatalog catalog;
    private static Taxonomy taxonomy;
    private static OfflineTagger tagger;

    @BeforeAll
    static void load() {
        embedder = MiniLmEmbedder.create(MiniLmOptions.builder().threads(2).build());
        catalog = SyntheticDataset.generate(SyntheticConfig.defaults()).catalog().orElseThrow();
        taxonomy = Taxonomy.fromCatalog(catalog);
        tagger = OfflineTagger.create(taxonomy, embedder, OfflineTaggerOptions.defaults());
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    private static double[] accuracy(boolean withText) {
        List<ItemText> items = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            items.add(
                    new ItemText(
                            "i" + (i + 1),
                            catalog.title(i),
                            withText ? catalog.text(i) : "",
                            Map.of()));
        }
        List<Tagging> tagged = tagger.tagAll(items);
        int level0 = 0;
        int leaf = 0;
        for (int i = 0; i < ITEMS; i++) {
            Tagging t = tagged.get(i);
            TaggingRules.assertValid(t);
            List<Taxonomy.Node> truth = taxonomy.nodesOf(catalog.categoryPath(i)).orElseThrow();
            level0 += t.levels().get(0).get(0).equals(truth.get(0).tag()) ? 1 : 0;
            leaf += t.levels().get(2).get(0).equals(truth.get(2).tag()) ? 1 : 0;
        }
        double[] acc = {level0 / (double) ITEMS, leaf / (double) ITEMS};
        System.out.printf(
                Locale.ROOT,
                "OfflineTaggerSyntheticTest (%s, %d items): level-0 top-1 %.3f, leaf top-1 %.3f%n",
                withText ? "title + text" : "title only",
                ITEMS,
                acc[0],
                acc[1]);
        return acc;
    }

    @Test
    void placesAlmostEveryItemUnderItsOwnLevel0CategoryFromItsText() {
        double[] acc = accuracy(true);

        assertThat(acc[0]).isGreaterThanOrEqualTo(0.95);
        assertThat(acc[1]).isGreaterThanOrEqualTo(0.93);
    }

    @Test
    void placesMostItemsUnderTheirOwnLevel0CategoryFromTheTitleAlone() {
        double[] acc = accuracy(false);

        assertThat(acc[0]).isGreaterThanOrEqualTo(0.78);
        assertThat(acc[1]).isGreaterThanOrEqualTo(0.75);
    }
}
