package io.hyperrec.core.coldstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hyperrec.core.coldstart.ColdStartModel.Method;
import io.hyperrec.core.geometry.Lorentz;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ColdStartFitterTest {
    private static final int D = 6;
    private static final int TEXT = 8;
    private static final int ITEMS = 400;
    private static final int TAGS = 12;

    @TempDir Path dir;

    @Test
    void ridgeRecoversAnExactLinearMap() {
        float[][] x = {{0}, {1}, {2}, {3}};
        float[][] y = {{1, -1}, {3, -4}, {5, -7}, {7, -10}};
        Ridge.Fit f = Ridge.fit(x, y, new int[] {0, 1, 2, 3}, 0);
        double[] out = new double[2];
        f.apply(new float[] {10}, out);
        assertThat(out[0]).isCloseTo(21, within(1e-6));
        assertThat(out[1]).isCloseTo(-31, within(1e-6));
    }

    /**
     * A world where an item's tangent is a linear function of its text plus noise, and its tags are
     * the cluster it belongs to (each tag's point near its cluster's centre).
     */
    private static ColdStartFitter.Inputs world(long seed, double textNoise) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] m = new double[TEXT][D];
        for (double[] row : m) {
            for (int j = 1; j < D; j++) {
                row[j] = rnd.nextGaussian() * 0.25;
            }
        }
        float[][] centres = new float[TAGS][D];
        float[] tagPoints = new float[TAGS * D];
        List<String> tagNames = new ArrayList<>();
        for (int t = 0; t < TAGS; t++) {
            for (int j = 1; j < D; j++) {
                centres[t][j] = (float) (rnd.nextGaussian() * 0.4);
            }
            Lorentz.expmap0(centres[t], 0, tagPoints, t * D, D);
            tagNames.add("Tag " + t);
        }
        float[] itemPoints = new float[ITEMS * D];
        List<List<String>> itemTags = new ArrayList<>();
        List<float[]> texts = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            int c = i % TAGS;
            float[] text = new float[TEXT];
            for (int k = 0; k < TEXT; k++) {
                text[k] = (float) rnd.nextGaussian();
            }
            float[] tangent = new float[D];
            for (int j = 1; j < D; j++) {
                double v = 0.5 * centres[c][j];
                for (int k = 0; k < TEXT; k++) {
                    v += 0.5 * text[k] * m[k][j];
                }
                tangent[j] = (float) (v + rnd.nextGaussian() * textNoise);
            }
            Lorentz.expmap0(tangent, 0, itemPoints, i * D, D);
            itemTags.add(List.of("Tag " + c));
            texts.add(text);
        }
        return new ColdStartFitter.Inputs(
                D, itemPoints, itemTags, tagNames, tagPoints, texts, "enc");
    }

    @Test
    void bothSourcesTogetherBeatEitherAloneAndTheCentroidWhenEachExplainsPart() {
        ColdStartModel model =
                ColdStartFitter.fit(world(1, 0.01), ColdStartFitter.Options.defaults());

        var r = model.report();
        assertThat(r.get("check_items")).isGreaterThan(20);
        assertThat(r.get("tags_sqdist")).isLessThan(r.get("centroid_sqdist"));
        assertThat(r.get("text_sqdist")).isLessThan(r.get("centroid_sqdist"));
        double mixed = r.get("mix" + model.alpha() + "_sqdist");
        assertThat(mixed).isLessThan(r.get("tags_sqdist")).isLessThan(r.get("text_sqdist"));
        assertThat(model.alpha()).isStrictlyBetween(0.0, 1.0);
        assertThat(r.get("mix" + model.alpha() + "_hit@20"))
                .isGreaterThan(r.get("centroid_hit@20"));
    }

    @Test
    void theCheckRunsOnExactlyTheItemsTheTagViewNeverSaw() {
        ColdStartFitter.Inputs all = world(4, 0.01);
        boolean[] hidden = new boolean[ITEMS];
        for (int i = 0; i < ITEMS; i += 7) {
            hidden[i] = true;
        }
        ColdStartFitter.Inputs in =
                new ColdStartFitter.Inputs(
                        D,
                        all.itemPoints(),
                        all.itemTags(),
                        all.tagNames(),
                        all.tagPoints(),
                        all.itemText(),
                        all.textEncoder(),
                        hidden);

        ColdStartModel model = ColdStartFitter.fit(in, ColdStartFitter.Options.defaults());

        assertThat(model.report().get("check_items")).isEqualTo((ITEMS + 6) / 7.0);
        assertThatThrownBy(
                        () ->
                                new ColdStartFitter.Inputs(
                                        D,
                                        all.itemPoints(),
                                        all.itemTags(),
                                        all.tagNames(),
                                        all.tagPoints(),
                                        all.itemText(),
                                        "enc",
                                        new boolean[3]))
                .hasMessage("tagsHidden must have one entry per item (400), got 3");
    }

    @Test
    void checkItemsAreASeededShareOfTheTaggedItems() {
        int n = 2000;
        int[] items = new int[n / 2];
        int[] tags = new int[n / 2];
        for (int k = 0; k < n / 2; k++) {
            items[k] = 2 * k; // only the even items have tags
        }
        io.hyperrec.core.data.TagGraph g =
                new io.hyperrec.core.data.TagGraph(
                        io.hyperrec.core.data.IdMap.of(List.of("a")),
                        null,
                        n,
                        items,
                        tags,
                        new int[0],
                        new int[0],
                        null);
        ColdStartFitter.Options o = new ColdStartFitter.Options(1, 1, 0.2, 11);

        boolean[] hidden = ColdStartFitter.checkItems(g, o);

        int count = 0;
        for (int i = 0; i < n; i++) {
            if (hidden[i]) {
                assertThat(i % 2).as("item %d has no tags", i).isZero();
                count++;
            }
        }
        assertThat(count).isBetween(160, 240);
        assertThat(ColdStartFitter.checkItems(g, o)).isEqualTo(hidden);
        io.hyperrec.core.data.TagGraph reduced = g.withoutItemEdges(hidden);
        assertThat(reduced.itemTagItems()).hasSize(n / 2 - count);
        assertThat(reduced.numTags()).isEqualTo(1);
        for (int item : reduced.itemTagItems()) {
            assertThat(hidden[item]).isFalse();
        }
    }

    @Test
    void placesByWhatItKnowsAndFallsBackToTheCentroid() {
        ColdStartFitter.Inputs in = world(2, 0.01);
        ColdStartModel model = ColdStartFitter.fit(in, ColdStartFitter.Options.defaults());
        float[] text = in.itemText().get(5);

        assertThat(model.place(List.of("tag 5"), text, Method.TAGS_AND_TEXT).method())
                .as("tag names match case-insensitively")
                .isEqualTo(Method.TAGS_AND_TEXT);
        ColdStartModel.Placement unknown =
                model.place(List.of("Brand New Tag"), text, Method.TAGS_AND_TEXT);
        assertThat(unknown.method()).isEqualTo(Method.TEXT);
        assertThat(unknown.knownTags()).isZero();
        assertThat(unknown.unknownTags()).isEqualTo(1);
        assertThat(model.place(List.of("Tag 5"), null, Method.TAGS_AND_TEXT).method())
                .isEqualTo(Method.TAGS);
        assertThat(model.place(List.of("Tag 5"), text, Method.TEXT).method())
                .isEqualTo(Method.TEXT);
        ColdStartModel.Placement none = model.place(List.of(), null, Method.TAGS_AND_TEXT);
        assertThat(none.method()).isEqualTo(Method.CENTROID);
        float[] p = none.point();
        assertThat(Lorentz.inner(p, 0, p, 0, D)).isCloseTo(-1.0, within(1e-5));
    }

    @Test
    void aTextOfAnotherDimensionIsNamed() {
        ColdStartModel model =
                ColdStartFitter.fit(world(3, 0.01), ColdStartFitter.Options.defaults());
        assertThatThrownBy(() -> model.place(List.of(), new float[3], Method.TEXT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the text map expects 8-dimensional vectors from enc, got 3");
    }

    @Test
    void aModelWithoutTagsOrTextStillPlacesAtTheCentroid() {
        ColdStartFitter.Inputs w = world(4, 0.01);
        List<float[]> noText = new ArrayList<>();
        List<List<String>> noTags = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            noText.add(null);
            noTags.add(List.of());
        }
        ColdStartModel model =
                ColdStartFitter.fit(
                        new ColdStartFitter.Inputs(
                                D, w.itemPoints(), noTags, List.of(), new float[0], noText, null),
                        ColdStartFitter.Options.defaults());
        assertThat(model.hasTags()).isFalse();
        assertThat(model.textDim()).isZero();
        assertThat(model.place(List.of("Tag 1"), null, Method.TAGS_AND_TEXT).method())
                .isEqualTo(Method.CENTROID);
    }

    @Test
    void savedAndLoadedItPlacesIdentically() {
        ColdStartFitter.Inputs in = world(5, 0.05);
        ColdStartModel model = ColdStartFitter.fit(in, ColdStartFitter.Options.defaults());
        model.save(dir);

        ColdStartModel back = ColdStartModel.load(dir);

        assertThat(back.alpha()).isEqualTo(model.alpha());
        assertThat(back.report()).isEqualTo(model.report());
        assertThat(back.textEncoder()).isEqualTo("enc");
        for (int i = 0; i < 20; i++) {
            List<String> tags = in.itemTags().get(i);
            float[] text = in.itemText().get(i);
            assertThat(back.place(tags, text, Method.TAGS_AND_TEXT).point())
                    .containsExactly(model.place(tags, text, Method.TAGS_AND_TEXT).point());
        }
        assertThatThrownBy(() -> ColdStartModel.load(dir.resolve("nothing")))
                .hasMessageContaining("no cold-start model in");
    }

    @Test
    void whenTextRelatesToThePointNonLinearlyTheNeighboursPlaceBetterAndAreKept() {
        // 24 clusters: each a random text code (8 dims, more clusters than dimensions, so no
        // linear map fits) and a random point; items are their cluster plus a little noise.
        SplittableRandom rnd = new SplittableRandom(9);
        int clusters = 24;
        float[][] code = new float[clusters][TEXT];
        float[][] centre = new float[clusters][D];
        for (int c = 0; c < clusters; c++) {
            for (int k = 0; k < TEXT; k++) {
                code[c][k] = (float) rnd.nextGaussian();
            }
            for (int j = 1; j < D; j++) {
                centre[c][j] = (float) (0.6 * rnd.nextGaussian());
            }
        }
        float[] points = new float[ITEMS * D];
        List<float[]> texts = new ArrayList<>();
        List<List<String>> noTags = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            int c = i % clusters;
            float[] t = new float[TEXT];
            for (int k = 0; k < TEXT; k++) {
                t[k] = (float) (code[c][k] + 0.05 * rnd.nextGaussian());
            }
            float[] u = new float[D];
            for (int j = 1; j < D; j++) {
                u[j] = (float) (centre[c][j] + 0.02 * rnd.nextGaussian());
            }
            Lorentz.expmap0(u, 0, points, i * D, D);
            texts.add(t);
            noTags.add(List.of());
        }
        ColdStartModel model =
                ColdStartFitter.fit(
                        new ColdStartFitter.Inputs(
                                D, points, noTags, List.of(), new float[0], texts, "enc"),
                        ColdStartFitter.Options.defaults());

        assertThat(model.report().get("text_neighbours")).isEqualTo(1.0);
        assertThat(model.report().get("text_knn_hit@20"))
                .isGreaterThan(model.report().get("text_ridge_hit@20"));
        model.save(dir);
        ColdStartModel back = ColdStartModel.load(dir);
        float[] t = texts.get(3);
        assertThat(back.place(List.of(), t, Method.TEXT).point())
                .containsExactly(model.place(List.of(), t, Method.TEXT).point());
        // The placement lands near the item's own cluster.
        float[] p = model.place(List.of(), t, Method.TEXT).point();
        assertThat(Lorentz.sqdist(p, 0, points, 3 * D, D)).isLessThan(0.05);
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> new ColdStartFitter.Options(-1, 1, 0.1, 1))
                .hasMessage("ridge penalties must be >= 0, got -1.0 and 1.0");
        assertThatThrownBy(() -> new ColdStartFitter.Options(1, 1, 0.9, 1))
                .hasMessage("holdout must be in (0, 0.5], got 0.9");
    }
}
