package io.hyperrec.app.enrich;

import io.hyperrec.core.data.Dataset;
import io.hyperrec.core.data.IdMap;
import io.hyperrec.core.data.Interactions;
import io.hyperrec.core.data.ItemCatalog;
import io.hyperrec.core.data.RecboleReader;
import io.hyperrec.core.data.TagGraph;
import io.hyperrec.core.data.TagGraphBuilder;
import io.hyperrec.enrichment.ItemText;
import io.hyperrec.enrichment.TagEdge;
import io.hyperrec.enrichment.Tagging;
import io.hyperrec.enrichment.TextEmbedder;
import io.hyperrec.enrichment.offline.OfflineTagger;
import io.hyperrec.enrichment.offline.OfflineTaggerOptions;
import io.hyperrec.enrichment.offline.Taxonomy;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Enriches a RecBole dataset with our own encoder, for the two HyperLLM phases: the paper's LLM
 * tags and LLM embeddings replaced by what the enrichment service produces.
 *
 * <ul>
 *   <li><b>Semantic vectors</b> (phase 1's input): every item's text (title, brand, category path)
 *       embedded by the text encoder; a user's vector is the mean of their training items' vectors,
 *       normalised, since no LLM writes preference summaries here. Only training interactions feed
 *       a user's vector, so nothing of the validation or test items leaks into it.
 *   <li><b>Tags</b> (phase 2's tag view), three levels with parent&rarr;child edges, from one of:
 *       <ul>
 *         <li>{@link Source#CATEGORY}: the item's own category path, mapped onto the taxonomy that
 *             the catalogue's paths form (the same tree the offline tagger descends);
 *         <li>{@link Source#OFFLINE}: the offline tagger, zero-shot, from the item's title and
 *             brand alone (its category path is removed from the text it reads), so the tags are
 *             what the service would give a new item whose category nobody entered.
 *       </ul>
 * </ul>
 *
 * <p>The output is a RecBole directory, {@code NAME} being the directory's name, with the split
 * written out ({@code NAME.train/valid/test.inter}, so every variant trains and tests on the same
 * split), {@code NAME.item}, {@code NAME.tag} and {@code NAME.kg} (levels and edges), and {@code
 * NAME.semantic-user.f32} and {@code NAME.semantic-item.f32} in the order in which that directory
 * reads back.
 */
public final class DatasetEnrichment {
    /** Where the tags come from. */
    public enum Source {
        /** No tags. */
        NONE,
        /** The catalogue's category paths. */
        CATEGORY,
        /** The offline tagger, from titles and brands. */
        OFFLINE
    }

    /** Items per encoder call (a progress line each). */
    private static final int CHUNK = 512;

    private final TextEmbedder embedder;
    private final PrintStream out;

    /**
     * @param embedder the text encoder (not closed here)
     * @param out where progress goes
     */
    public DatasetEnrichment(TextEmbedder embedder, PrintStream out) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * What was written.
     *
     * @param dataset the dataset as it reads back from the output directory
     * @param report counts and agreement figures
     */
    public record Result(Dataset dataset, Map<String, Object> report) {}

    /**
     * Enriches {@code data} and writes it to {@code dir}.
     *
     * @param data a dataset with a catalogue (titles, texts, category paths)
     * @param tags where the tags come from
     * @param dir the output directory (created; files of the same names replaced)
     * @return what was written
     */
    public Result run(Dataset data, Source tags, Path dir) {
        ItemCatalog catalog =
                data.catalog()
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                data.name()
                                                        + " has no item file: enrichment needs"
                                                        + " titles and category paths"));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("dataset", data.name());
        report.put("items", data.items().size());
        report.put("users", data.users().size());
        report.put("text_encoder", embedder.name());
        report.put("tags", tags.name().toLowerCase(Locale.ROOT));

        // Named after the directory, as RecBole directories are read.
        Dataset written = data.withName(dir.toAbsolutePath().normalize().getFileName().toString());
        if (tags != Source.NONE) {
            Taxonomy taxonomy = taxonomy(catalog);
            TagGraph graph =
                    tags == Source.CATEGORY
                            ? categoryTags(data, catalog, taxonomy, report)
                            : offlineTags(data, catalog, taxonomy, report);
            written = written.withTags(graph);
            report.put("tag_count", graph.numTags());
            report.put("item_tag_edges", graph.itemTagItems().length);
            report.put("tag_tag_edges", graph.tagTagA().length);
        }
        RecboleReader.write(written, dir);
        // Indices are re-derived when the directory is read: the vectors follow that order.
        Dataset back = RecboleReader.read(dir, io.hyperrec.core.data.ReadOptions.defaults());
        float[] items = itemVectors(data, catalog, back.items());
        float[] users = userVectors(back, items);
        String name = back.name();
        RecboleReader.writeF32(dir.resolve(name + ".semantic-item.f32"), items);
        RecboleReader.writeF32(dir.resolve(name + ".semantic-user.f32"), users);
        report.put("semantic_dim", embedder.dim());
        report.put("written", dir.toString());
        out.printf(
                "wrote %s: %s; semantic vectors %d×%d (items) and %d×%d (users)%n",
                dir,
                back,
                back.items().size(),
                embedder.dim(),
                back.users().size(),
                embedder.dim());
        return new Result(back, report);
    }

    private static Taxonomy taxonomy(ItemCatalog catalog) {
        List<List<String>> paths = new ArrayList<>();
        for (int i = 0; i < catalog.numItems(); i++) {
            if (!catalog.categoryPath(i).isEmpty()) {
                paths.add(catalog.categoryPath(i));
            }
        }
        if (paths.isEmpty()) {
            throw new IllegalArgumentException(
                    "no item has a category path: tags need a taxonomy (a category_path column)");
        }
        return Taxonomy.fromCategoryPaths(paths);
    }

    /** Each item's own path as three tags with edges; items without a path get none. */
    private TagGraph categoryTags(
            Dataset data, ItemCatalog catalog, Taxonomy taxonomy, Map<String, Object> report) {
        TagGraphBuilder b = new TagGraphBuilder();
        int tagged = 0;
        for (int i = 0; i < catalog.numItems(); i++) {
            Optional<List<Taxonomy.Node>> nodes = taxonomy.nodesOf(catalog.categoryPath(i));
            if (nodes.isEmpty()) {
                continue;
            }
            List<List<String>> levels = new ArrayList<>();
            List<String[]> edges = new ArrayList<>();
            Taxonomy.Node parent = null;
            for (Taxonomy.Node n : nodes.get()) {
                levels.add(List.of(n.tag()));
                if (parent != null) {
                    edges.add(new String[] {parent.tag(), n.tag()});
                }
                parent = n;
            }
            b.add(i, levels, edges);
            tagged++;
        }
        report.put("items_tagged", tagged);
        out.printf(
                "category tags: %,d of %,d items placed in a taxonomy of %,d nodes%n",
                tagged, catalog.numItems(), taxonomy.size());
        return b.build(data.items().size());
    }

    /** The offline tagger's tags from title and brand; agreement with the true path reported. */
    private TagGraph offlineTags(
            Dataset data, ItemCatalog catalog, Taxonomy taxonomy, Map<String, Object> report) {
        OfflineTagger tagger =
                OfflineTagger.create(taxonomy, embedder, OfflineTaggerOptions.defaults());
        TagGraphBuilder b = new TagGraphBuilder();
        int n = catalog.numItems();
        int withPath = 0;
        int[] agree = new int[Tagging.LEVELS];
        Progress progress = new Progress(out, "offline tagging", n);
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            List<ItemText> batch = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                batch.add(
                        new ItemText(
                                data.items().token(i),
                                catalog.title(i),
                                withoutPath(catalog.text(i), catalog.categoryPath(i)),
                                Map.of()));
            }
            List<Tagging> tagged = tagger.tagAll(batch);
            for (int k = 0; k < tagged.size(); k++) {
                int i = from + k;
                Tagging t = tagged.get(k);
                List<String[]> edges = new ArrayList<>();
                for (TagEdge e : t.edges()) {
                    edges.add(new String[] {e.parent(), e.child()});
                }
                b.add(i, t.levels(), edges);
                Optional<List<Taxonomy.Node>> truth = taxonomy.nodesOf(catalog.categoryPath(i));
                if (truth.isPresent()) {
                    withPath++;
                    for (int l = 0; l < Tagging.LEVELS && l < truth.get().size(); l++) {
                        if (t.levels().get(l).contains(truth.get().get(l).tag())) {
                            agree[l]++;
                        }
                    }
                }
            }
            progress.advance(to - from);
        }
        report.put("items_tagged", n);
        report.put("tagger", tagger.name());
        for (int l = 0; l < Tagging.LEVELS; l++) {
            report.put("agreement_level" + l, withPath == 0 ? 0.0 : agree[l] / (double) withPath);
        }
        out.printf(
                "offline tags: the true category among an item's tags, level 0 %.3f, level 1 %.3f,"
                        + " level 2 %.3f (%,d items with a path)%n",
                agree[0] / (double) Math.max(1, withPath),
                agree[1] / (double) Math.max(1, withPath),
                agree[2] / (double) Math.max(1, withPath),
                withPath);
        return b.build(data.items().size());
    }

    /**
     * An item's text without its category path (the catalogue appends it last, after {@code ". "}).
     */
    static String withoutPath(String text, List<String> path) {
        if (path.isEmpty()) {
            return text;
        }
        String joined = String.join(" > ", path);
        String t = text.strip();
        if (t.endsWith(joined)) {
            t = t.substring(0, t.length() - joined.length()).strip();
            if (t.endsWith(".")) {
                t = t.substring(0, t.length() - 1).strip();
            }
        }
        return t;
    }

    /** Item vectors in {@code order}'s index order, from the text of {@code data}'s catalogue. */
    private float[] itemVectors(Dataset data, ItemCatalog catalog, IdMap order) {
        int d = embedder.dim();
        int n = order.size();
        float[] out = new float[n * d];
        Progress progress = new Progress(this.out, "embedding item texts", n);
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            List<String> docs = new ArrayList<>(to - from);
            for (int k = from; k < to; k++) {
                String id = order.token(k);
                int i = data.items().indexOf(id);
                docs.add(new ItemText(id, catalog.title(i), catalog.text(i), Map.of()).document());
            }
            List<float[]> v = embedder.embed(docs);
            for (int k = 0; k < v.size(); k++) {
                if (v.get(k).length != d) {
                    throw new IllegalStateException(
                            embedder.name()
                                    + " returned a "
                                    + v.get(k).length
                                    + "-dimensional vector, expected "
                                    + d);
                }
                System.arraycopy(v.get(k), 0, out, (from + k) * d, d);
            }
            progress.advance(to - from);
        }
        return out;
    }

    /** Per user, the normalised mean of their training items' vectors (zero without any). */
    static float[] userVectors(Dataset data, float[] items) {
        int users = data.users().size();
        int d = items.length / Math.max(1, data.items().size());
        Interactions train = data.train();
        float[] out = new float[users * d];
        double[] sum = new double[d];
        for (int u = 0; u < users; u++) {
            int[] seen = train.itemsOf(u);
            if (seen.length == 0) {
                continue;
            }
            java.util.Arrays.fill(sum, 0);
            for (int i : seen) {
                for (int j = 0; j < d; j++) {
                    sum[j] += items[i * d + j];
                }
            }
            double norm = 0;
            for (double s : sum) {
                norm += s * s;
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < d; j++) {
                out[u * d + j] = norm == 0 ? 0 : (float) (sum[j] / norm);
            }
        }
        return out;
    }

    /** A line per chunk: done, rate, ETA. */
    static final class Progress {
        private final PrintStream out;
        private final String what;
        private final int total;
        private final long start = System.nanoTime();
        private int done;

        Progress(PrintStream out, String what, int total) {
            this.out = out;
            this.what = what;
            this.total = total;
        }

        void advance(int n) {
            done += n;
            double s = (System.nanoTime() - start) / 1e9;
            double rate = done / Math.max(s, 1e-9);
            out.printf(
                    "  %s: %,d/%,d  %.0f/s  ETA %.0fs%n",
                    what, done, total, rate, (total - done) / Math.max(rate, 1e-9));
        }
    }
}
