package io.hyperrec.core.coldstart;

import io.hyperrec.core.geometry.Lorentz;
import io.hyperrec.core.model.LorentzScorer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Fits a {@link ColdStartModel} on the warm items of a trained model: the tag map and the text map
 * by ridge regression onto the items' user–item tangent vectors, and the mix α of the two on
 * held-out warm items.
 *
 * <p>Held-out check: a share of the warm items is left out of a first fit; each is placed by every
 * method and scored by whether its trained point is among the 20 items nearest to the placement (a
 * hit, "hit@20") and by the squared distance to its trained point. α ∈ {0, ¼, ½, ¾, 1} with the
 * most hits wins (ties: the lower mean squared distance), since a cold item is served by where it
 * ranks; the maps are then refitted on every warm item. The figures go into {@link
 * ColdStartModel#report()}: {@code <method>_sqdist}, {@code <method>_hit@20}, {@code alpha}, {@code
 * check_items}.
 *
 * <p>Which items are checked matters for the tags. A tag's point in the tag view was pulled toward
 * the items tagged with it, so a warm item's own tags know where that item is: checked on any warm
 * item, tags look far better than they are for a new item. The retrain therefore trains the tag
 * view without the item&rarr;tag edges of a seeded share of items ({@link #checkItems}) and passes
 * them as {@link Inputs#tagsHidden()}: the check runs on exactly those items, placed as if new.
 * Without them (no tag view, or a caller that trained on every edge) the check draws a random
 * share.
 */
public final class ColdStartFitter {
    /**
     * What the fit reads.
     *
     * @param dim the model's ambient dimension
     * @param itemPoints the warm items' user–item points, items×dim
     * @param itemTags per item, its tag names (empty when none)
     * @param tagNames the tag view's tags, in row order (empty without a tag view)
     * @param tagPoints their tag-view points, tags×dim (empty without a tag view)
     * @param itemText per item, its text embedding or null
     * @param textEncoder the encoder of the text embeddings, or null without any
     * @param tagsHidden per item, whether the tag view was trained without its item&rarr;tag edges
     *     (the check runs on exactly those items), or null
     */
    public record Inputs(
            int dim,
            float[] itemPoints,
            List<List<String>> itemTags,
            List<String> tagNames,
            float[] tagPoints,
            List<float[]> itemText,
            String textEncoder,
            boolean[] tagsHidden) {
        /** Inputs whose tag view was trained on every item's tags. */
        public Inputs(
                int dim,
                float[] itemPoints,
                List<List<String>> itemTags,
                List<String> tagNames,
                float[] tagPoints,
                List<float[]> itemText,
                String textEncoder) {
            this(dim, itemPoints, itemTags, tagNames, tagPoints, itemText, textEncoder, null);
        }

        public Inputs {
            int items = itemPoints.length / dim;
            if (tagsHidden != null && tagsHidden.length != items) {
                throw new IllegalArgumentException(
                        "tagsHidden must have one entry per item ("
                                + items
                                + "), got "
                                + tagsHidden.length);
            }
            if (itemPoints.length != items * dim
                    || itemTags.size() != items
                    || itemText.size() != items) {
                throw new IllegalArgumentException(
                        "inputs disagree on the number of items: "
                                + itemPoints.length
                                + " floats at dim "
                                + dim
                                + ", "
                                + itemTags.size()
                                + " tag lists, "
                                + itemText.size()
                                + " text vectors");
            }
            if (tagPoints.length != tagNames.size() * dim) {
                throw new IllegalArgumentException(
                        "expected "
                                + tagNames.size()
                                + "×"
                                + dim
                                + " tag floats, got "
                                + tagPoints.length);
            }
        }
    }

    /**
     * How to fit.
     *
     * @param lambdaTags ridge penalty of the tag map
     * @param lambdaText ridge penalty of the text map
     * @param holdout share of the warm items held out for the check, in (0, 0.5]
     * @param seed the check's random split
     */
    public record Options(double lambdaTags, double lambdaText, double holdout, long seed) {
        public Options {
            if (!(lambdaTags >= 0) || !(lambdaText >= 0)) {
                throw new IllegalArgumentException(
                        "ridge penalties must be >= 0, got " + lambdaTags + " and " + lambdaText);
            }
            if (!(holdout > 0 && holdout <= 0.5)) {
                throw new IllegalArgumentException("holdout must be in (0, 0.5], got " + holdout);
            }
        }

        /** λ = 1 for both maps, 10% held out, seed 7. */
        public static Options defaults() {
            return new Options(1.0, 1.0, 0.1, 7);
        }
    }

    /**
     * The inputs of a trained model: its items' points, their tags in {@code data}'s tag graph (if
     * any) with the tag view's points, and their text embeddings where known.
     *
     * @param model the trained model (its items are {@code data}'s, in order)
     * @param tagPoints the tag view's points ({@code TrainResult.tagEmbeddings()}), or null
     * @param data the dataset it was trained on
     * @param textByItem text embeddings by item id (items without one are missing)
     * @param textEncoder their encoder, or null
     */
    public static Inputs inputs(
            io.hyperrec.core.model.TrainedModel model,
            float[] tagPoints,
            io.hyperrec.core.data.Dataset data,
            Map<String, float[]> textByItem,
            String textEncoder) {
        return inputs(model, tagPoints, data.tags().orElse(null), null, textByItem, textEncoder);
    }

    /**
     * The inputs of a model whose tag view was trained on {@code graph} without the item&rarr;tag
     * edges of the {@code hidden} items ({@link io.hyperrec.core.data.TagGraph#withoutItemEdges}).
     *
     * @param model the trained model
     * @param tagPoints the tag view's points, rows as {@code graph}'s tags, or null without a view
     * @param graph the whole tag graph (every item's tags), or null
     * @param hidden the items left out of the tag view ({@link #checkItems}), or null
     * @param textByItem text embeddings by item id
     * @param textEncoder their encoder, or null
     */
    public static Inputs inputs(
            io.hyperrec.core.model.TrainedModel model,
            float[] tagPoints,
            io.hyperrec.core.data.TagGraph graph,
            boolean[] hidden,
            Map<String, float[]> textByItem,
            String textEncoder) {
        int n = model.items().size();
        List<List<String>> itemTags = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            itemTags.add(new ArrayList<>());
        }
        List<String> tagNames = List.of();
        float[] tp = new float[0];
        if (tagPoints != null && graph != null) {
            io.hyperrec.core.data.TagGraph g = graph;
            tagNames = List.of(g.tagNames());
            tp = tagPoints;
            int[] ii = g.itemTagItems();
            int[] it = g.itemTagTags();
            for (int k = 0; k < ii.length; k++) {
                itemTags.get(ii[k]).add(g.tagNames()[it[k]]);
            }
        }
        List<float[]> text = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            text.add(textByItem.get(model.items().token(i)));
        }
        return new Inputs(
                model.dim(),
                model.itemPoints(),
                itemTags,
                tagNames,
                tp,
                text,
                textEncoder,
                tagPoints != null && graph != null ? hidden : null);
    }

    /**
     * The items to keep out of the tag view for the check: a seeded share ({@link
     * Options#holdout()}) of the items that have tags.
     *
     * @param graph the whole tag graph
     * @param o the share and the seed
     * @return per item, whether it is kept out
     */
    public static boolean[] checkItems(io.hyperrec.core.data.TagGraph graph, Options o) {
        boolean[] tagged = new boolean[graph.numItems()];
        for (int item : graph.itemTagItems()) {
            tagged[item] = true;
        }
        SplittableRandom rnd = new SplittableRandom(o.seed());
        boolean[] hidden = new boolean[tagged.length];
        for (int i = 0; i < tagged.length; i++) {
            // One draw per item, tagged or not: the split does not move when tags do.
            hidden[i] = rnd.nextDouble() < o.holdout() && tagged[i];
        }
        return hidden;
    }

    private static final double[] ALPHAS = {0, 0.25, 0.5, 0.75, 1};
    private static final int K = 20;

    private ColdStartFitter() {}

    /** Fits the model; see the class comment. */
    public static ColdStartModel fit(Inputs in, Options o) {
        Objects.requireNonNull(in, "in");
        int d = in.dim();
        int n = in.itemPoints().length / d;
        float[][] target = new float[n][];
        float[] centroid = new float[d];
        for (int i = 0; i < n; i++) {
            target[i] = new float[d];
            Lorentz.logmap0(in.itemPoints(), i * d, target[i], 0, d);
            for (int j = 1; j < d; j++) {
                centroid[j] += target[i][j] / n;
            }
        }
        int nt = in.tagNames().size();
        float[] tagTangents = new float[nt * d];
        for (int t = 0; t < nt; t++) {
            Lorentz.logmap0(in.tagPoints(), t * d, tagTangents, t * d, d);
        }
        Map<String, Integer> tagRow = new java.util.HashMap<>();
        for (int t = 0; t < nt; t++) {
            tagRow.putIfAbsent(ColdStartModel.normalise(in.tagNames().get(t)), t);
        }
        float[][] tagFeature = new float[n][];
        for (int i = 0; i < n; i++) {
            tagFeature[i] = meanTagTangent(tagRow, tagTangents, in.itemTags().get(i), d);
        }
        float[][] text = in.itemText().toArray(new float[0][]);

        // Held-out check: the items the tag view never saw, or else a random share.
        boolean[] held = new boolean[n];
        if (in.tagsHidden() != null) {
            System.arraycopy(in.tagsHidden(), 0, held, 0, n);
        } else {
            SplittableRandom rnd = new SplittableRandom(o.seed());
            for (int i = 0; i < n; i++) {
                held[i] = rnd.nextDouble() < o.holdout();
            }
        }
        Ridge.Fit tagFit = fitWhere(tagFeature, target, i -> !held[i], o.lambdaTags());
        Ridge.Fit textFit = fitWhere(text, target, i -> !held[i], o.lambdaText());
        TextNeighbours textKnn = neighboursWhere(text, target, i -> !held[i]);
        Map<String, Double> report = new LinkedHashMap<>();
        // Text by a linear map or by neighbours: whichever puts more held-out warm items' trained
        // points among the 20 items nearest their placement.
        boolean useNeighbours =
                textKnn != null
                        && textFit != null
                        && textHits(in, target, text, held, textKnn::apply, "text_knn", report)
                                > textHits(
                                        in,
                                        target,
                                        text,
                                        held,
                                        textFit::apply,
                                        "text_ridge",
                                        report);
        TextPredictor textCheck =
                useNeighbours ? textKnn::apply : textFit == null ? null : textFit::apply;
        report.put("text_neighbours", useNeighbours ? 1.0 : 0.0);
        double alpha =
                chooseAlpha(
                        in, target, tagFeature, text, held, tagFit, textCheck, centroid, report);

        // Final maps on every warm item.
        Ridge.Fit tagMap = fitWhere(tagFeature, target, i -> true, o.lambdaTags());
        Ridge.Fit textMap = fitWhere(text, target, i -> true, o.lambdaText());
        TextNeighbours neighbours = useNeighbours ? neighboursWhere(text, target, i -> true) : null;
        return new ColdStartModel(
                d,
                in.tagNames(),
                tagTangents,
                tagMap,
                textMap,
                neighbours,
                textMap == null ? null : in.textEncoder(),
                alpha,
                centroid,
                report);
    }

    private static float[] meanTagTangent(
            Map<String, Integer> tagRow, float[] tagTangents, List<String> tags, int d) {
        float[] mean = new float[d];
        int known = 0;
        for (String t : tags) {
            Integer row = tagRow.get(ColdStartModel.normalise(t));
            if (row == null) {
                continue;
            }
            known++;
            for (int j = 1; j < d; j++) {
                mean[j] += tagTangents[row * d + j];
            }
        }
        if (known == 0) {
            return null;
        }
        for (int j = 1; j < d; j++) {
            mean[j] /= known;
        }
        return mean;
    }

    private static Ridge.Fit fitWhere(
            float[][] x, float[][] y, java.util.function.IntPredicate use, double lambda) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (x[i] != null && use.test(i)) {
                rows.add(i);
            }
        }
        // Fewer rows than a handful cannot fit a map worth having.
        if (rows.size() < 8) {
            return null;
        }
        return Ridge.fit(x, y, rows.stream().mapToInt(Integer::intValue).toArray(), lambda);
    }

    /** A text placement: text in, tangent out. */
    @FunctionalInterface
    interface TextPredictor {
        void apply(float[] text, double[] out);
    }

    /** How many neighbours the text placement by neighbours averages. */
    static final int NEIGHBOURS = 20;

    private static TextNeighbours neighboursWhere(
            float[][] x, float[][] y, java.util.function.IntPredicate use) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (x[i] != null && use.test(i)) {
                rows.add(i);
            }
        }
        if (rows.size() < 8) {
            return null;
        }
        return TextNeighbours.of(
                NEIGHBOURS, x, y, rows.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The held-out hit@20 of a text placement, recorded as {@code <name>_hit@20}. */
    private static double textHits(
            Inputs in,
            float[][] target,
            float[][] text,
            boolean[] held,
            TextPredictor predictor,
            String name,
            Map<String, Double> report) {
        int d = in.dim();
        Map<String, double[]> sums = new LinkedHashMap<>();
        LorentzScorer scorer = new LorentzScorer();
        int[] top = new int[K];
        float[] scores = new float[K];
        double[] pred = new double[d];
        for (int i = 0; i < target.length; i++) {
            if (held[i] && text[i] != null) {
                predictor.apply(text[i], pred);
                score(sums, name, pred, i, in, scorer, top, scores);
            }
        }
        double[] v = sums.get(name);
        double hits = v == null ? 0 : v[1] / v[2];
        report.put(name + "_hit@20", hits);
        return hits;
    }

    private static double chooseAlpha(
            Inputs in,
            float[][] target,
            float[][] tagFeature,
            float[][] text,
            boolean[] held,
            Ridge.Fit tagFit,
            TextPredictor textFit,
            float[] centroid,
            Map<String, Double> report) {
        int d = in.dim();
        int n = target.length;
        List<Integer> check = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (held[i]) {
                check.add(i);
            }
        }
        report.put("check_items", (double) check.size());
        Map<String, double[]> sums = new LinkedHashMap<>(); // method → {sqdist sum, hits, count}
        LorentzScorer scorer = new LorentzScorer();
        int[] top = new int[K];
        float[] scores = new float[K];
        double[] tagPred = new double[d];
        double[] textPred = new double[d];
        for (int i : check) {
            boolean hasTags = tagFit != null && tagFeature[i] != null;
            boolean hasText = textFit != null && text[i] != null;
            if (hasTags) {
                tagFit.apply(tagFeature[i], tagPred);
            }
            if (hasText) {
                textFit.apply(text[i], textPred);
            }
            score(sums, "centroid", toDouble(centroid), i, in, scorer, top, scores);
            if (hasTags) {
                score(sums, "tags", tagPred, i, in, scorer, top, scores);
            }
            if (hasText) {
                score(sums, "text", textPred, i, in, scorer, top, scores);
            }
            if (hasTags && hasText) {
                for (double a : ALPHAS) {
                    double[] mix = new double[d];
                    for (int j = 1; j < d; j++) {
                        mix[j] = a * tagPred[j] + (1 - a) * textPred[j];
                    }
                    score(sums, "mix" + a, mix, i, in, scorer, top, scores);
                }
            }
        }
        double alpha = tagFit != null ? 1 : 0;
        double bestHits = -1;
        double bestSq = Double.POSITIVE_INFINITY;
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            double[] v = e.getValue();
            double mean = v[0] / v[2];
            double hits = v[1] / v[2];
            report.put(e.getKey() + "_sqdist", mean);
            report.put(e.getKey() + "_hit@20", hits);
            if (e.getKey().startsWith("mix")
                    && (hits > bestHits || (hits == bestHits && mean < bestSq))) {
                bestHits = hits;
                bestSq = mean;
                alpha = Double.parseDouble(e.getKey().substring(3));
            }
        }
        report.put("alpha", alpha);
        return alpha;
    }

    private static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            out[j] = v[j];
        }
        return out;
    }

    private static void score(
            Map<String, double[]> sums,
            String method,
            double[] tangent,
            int item,
            Inputs in,
            LorentzScorer scorer,
            int[] top,
            float[] scores) {
        int d = in.dim();
        float[] t = new float[d];
        for (int j = 1; j < d; j++) {
            t[j] = (float) tangent[j];
        }
        float[] p = new float[d];
        Lorentz.expmap0(t, 0, p, 0, d);
        double sq = Lorentz.sqdist(p, 0, in.itemPoints(), item * d, d);
        int n = in.itemPoints().length / d;
        int got = scorer.topK(p, 0, in.itemPoints(), n, d, K, new int[0], 0, null, top, scores);
        boolean hit = Arrays.stream(top, 0, got).anyMatch(x -> x == item);
        double[] s = sums.computeIfAbsent(method, k -> new double[3]);
        s[0] += sq;
        s[1] += hit ? 1 : 0;
        s[2] += 1;
    }
}
