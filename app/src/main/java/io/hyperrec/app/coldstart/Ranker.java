package io.hyperrec.app.coldstart;

import io.hyperrec.core.coldstart.ColdStartModel;
import io.hyperrec.core.model.EmbeddingUpsert.Kind;
import io.hyperrec.core.model.LorentzScorer;
import io.hyperrec.core.model.TrainedModel;
import io.hyperrec.schemas.avro.ItemEnriched;
import io.hyperrec.store.ModelStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Ranks the whole catalogue (trained items and the held-out new ones) for each evaluated user by
 * one {@link Method} and measures Recall@K and NDCG@K on the user's held-out interactions.
 */
final class Ranker {
    /** What ranks. */
    enum Method {
        /** The model store's points: trained items and the pipeline's placements. */
        OURS("ours"),
        /** New items placed from their tags only. */
        TAGS("tags"),
        /** New items placed from their text only. */
        TEXT("text"),
        /** Text similarity to the user's history. */
        CONTENT_KNN("content-knn"),
        /** A random ranking. */
        RANDOM("random");

        final String label;

        Method(String label) {
            this.label = label;
        }
    }

    private final TrainedModel model;
    private final int dim;
    private final List<String> ids = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<Method, float[]> points = new HashMap<>();
    private final float[][] text;
    private int usersEvaluated;

    Ranker(
            TrainedModel model,
            ColdStartModel cold,
            Map<String, ItemEnriched> enriched,
            Set<String> held,
            ModelStore store) {
        this.model = model;
        this.dim = model.dim();
        for (int i = 0; i < model.items().size(); i++) {
            add(model.items().token(i));
        }
        held.stream().sorted().forEach(this::add);
        int n = ids.size();
        for (Method m : List.of(Method.OURS, Method.TAGS, Method.TEXT)) {
            float[] p = new float[n * dim];
            System.arraycopy(model.itemPoints(), 0, p, 0, model.itemPoints().length);
            for (int i = model.items().size(); i < n; i++) {
                String id = ids.get(i);
                float[] v;
                if (m == Method.OURS) {
                    v =
                            store.vector(Kind.ITEM, id)
                                    .orElseThrow(
                                            () ->
                                                    new IllegalStateException(
                                                            "item " + id + " is not served"));
                } else {
                    ItemEnriched e = enriched.get(id);
                    List<String> tags = new ArrayList<>();
                    e.getTagLevels().forEach(tags::addAll);
                    float[] t = vector(e);
                    v =
                            m == Method.TAGS
                                    ? cold.place(tags, null, ColdStartModel.Method.TAGS).point()
                                    : cold.place(List.of(), t, ColdStartModel.Method.TEXT).point();
                }
                System.arraycopy(v, 0, p, i * dim, dim);
            }
            points.put(m, p);
        }
        text = new float[n][];
        for (int i = 0; i < n; i++) {
            ItemEnriched e = enriched.get(ids.get(i));
            text[i] = e == null ? null : vector(e);
        }
    }

    private void add(String id) {
        index.put(id, ids.size());
        ids.add(id);
    }

    private static float[] vector(ItemEnriched e) {
        float[] v = new float[e.getTextEmbedding().size()];
        for (int j = 0; j < v.length; j++) {
            v[j] = e.getTextEmbedding().get(j);
        }
        return v;
    }

    int usersEvaluated() {
        return usersEvaluated;
    }

    /** Mean Recall@k and NDCG@k over users with held-out and training interactions. */
    double[] evaluate(
            Method m,
            Map<String, Set<String>> train,
            Map<String, Set<String>> truth,
            int k,
            long seed) {
        int n = ids.size();
        LorentzScorer scorer = new LorentzScorer();
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] top = new int[k];
        float[] scores = new float[k];
        double recall = 0;
        double ndcg = 0;
        int users = 0;
        List<String> order = new ArrayList<>(truth.keySet());
        order.sort(null);
        for (String user : order) {
            Set<String> seen = train.get(user);
            int row = model.users().indexOf(user);
            if (seen == null || seen.isEmpty() || row < 0) {
                continue;
            }
            int[] excluded =
                    seen.stream().mapToInt(index::get).filter(i -> i >= 0).sorted().toArray();
            int got;
            switch (m) {
                case OURS, TAGS, TEXT ->
                        got =
                                scorer.topK(
                                        model.userPoints(),
                                        row * dim,
                                        points.get(m),
                                        n,
                                        dim,
                                        k,
                                        excluded,
                                        excluded.length,
                                        null,
                                        top,
                                        scores);
                case CONTENT_KNN -> got = contentTopK(seen, excluded, k, top);
                default -> got = randomTopK(excluded, k, top, rnd);
            }
            Set<String> t = truth.get(user);
            int hits = 0;
            double dcg = 0;
            for (int r = 0; r < got; r++) {
                if (t.contains(ids.get(top[r]))) {
                    hits++;
                    dcg += 1 / (Math.log(r + 2) / Math.log(2));
                }
            }
            double idcg = 0;
            for (int r = 0; r < Math.min(k, t.size()); r++) {
                idcg += 1 / (Math.log(r + 2) / Math.log(2));
            }
            recall += (double) hits / t.size();
            ndcg += dcg / idcg;
            users++;
        }
        usersEvaluated = users;
        return new double[] {users == 0 ? 0 : recall / users, users == 0 ? 0 : ndcg / users};
    }

    private int contentTopK(Set<String> seen, int[] excluded, int k, int[] top) {
        float[] profile = null;
        for (String s : seen) {
            float[] v = text[index.get(s)];
            if (v == null) {
                continue;
            }
            if (profile == null) {
                profile = new float[v.length];
            }
            for (int j = 0; j < v.length; j++) {
                profile[j] += v[j];
            }
        }
        double[] best = new double[k];
        Arrays.fill(best, Double.NEGATIVE_INFINITY);
        Arrays.fill(top, -1);
        int e = 0;
        for (int i = 0; i < text.length; i++) {
            while (e < excluded.length && excluded[e] < i) {
                e++;
            }
            if ((e < excluded.length && excluded[e] == i) || text[i] == null || profile == null) {
                continue;
            }
            double s = 0;
            for (int j = 0; j < profile.length; j++) {
                s += profile[j] * text[i][j];
            }
            insert(best, top, s, i);
        }
        return (int) Arrays.stream(top).filter(x -> x >= 0).count();
    }

    private int randomTopK(int[] excluded, int k, int[] top, SplittableRandom rnd) {
        double[] best = new double[k];
        Arrays.fill(best, Double.NEGATIVE_INFINITY);
        Arrays.fill(top, -1);
        int e = 0;
        for (int i = 0; i < ids.size(); i++) {
            while (e < excluded.length && excluded[e] < i) {
                e++;
            }
            if (e < excluded.length && excluded[e] == i) {
                continue;
            }
            insert(best, top, rnd.nextDouble(), i);
        }
        return (int) Arrays.stream(top).filter(x -> x >= 0).count();
    }

    /** Inserts (s, i) into the descending top list if it belongs there. */
    private static void insert(double[] best, int[] top, double s, int i) {
        int k = best.length;
        if (s <= best[k - 1]) {
            return;
        }
        int p = k - 1;
        while (p > 0 && best[p - 1] < s) {
            best[p] = best[p - 1];
            top[p] = top[p - 1];
            p--;
        }
        best[p] = s;
        top[p] = i;
    }
}
