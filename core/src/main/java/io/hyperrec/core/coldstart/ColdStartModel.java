package io.hyperrec.core.coldstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperrec.core.geometry.Lorentz;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Places a new item — one without interactions — in the user–item space of a trained model, from
 * its tags and its text embedding (HyperLLM has no cold start; this is ours, see
 * docs/coldstart.md).
 *
 * <ul>
 *   <li><b>tags</b>: the mean tangent vector (at the origin) of the item's tags in the model's tag
 *       view, mapped by a linear map fitted on warm items to their user–item tangent vectors. The
 *       contrastive loss aligned the tag view with the user–item view; the map corrects what the
 *       alignment leaves;
 *   <li><b>text</b>: a linear map from the text embedding to the user–item tangent vector, fitted
 *       on warm items (one expert of phase 1's mixture), or the similarity-weighted mean of the
 *       warm items with the most similar texts, whichever placed held-out warm items better;
 *   <li><b>both</b>: {@code α·tags + (1−α)·text}, α chosen on held-out warm items by {@link
 *       ColdStartFitter}.
 * </ul>
 *
 * Whatever is missing falls back to what is there, and with neither to the centroid of the warm
 * items. Immutable and thread-safe.
 */
public final class ColdStartModel {
    /** Storage format of {@link #save}. */
    public static final int FORMAT = 2;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where a placement came from. */
    public enum Method {
        /** Tags and text, mixed by α. */
        TAGS_AND_TEXT,
        /** Tags only (no text, or the model has no text map). */
        TAGS,
        /** Text only (no known tag, or the model has no tag view). */
        TEXT,
        /** Neither: the centroid of the warm items. */
        CENTROID
    }

    /**
     * A placed item.
     *
     * @param point its Lorentz point (dim floats)
     * @param method what placed it
     * @param knownTags how many of its tags the model's tag view knows
     * @param unknownTags how many it does not
     */
    public record Placement(float[] point, Method method, int knownTags, int unknownTags) {}

    private final int dim;
    private final Map<String, Integer> tagIndex;
    private final List<String> tagNames;
    private final float[] tagTangents;
    private final Ridge.Fit tagMap;
    private final Ridge.Fit textMap;
    private final TextNeighbours neighbours;
    private final String textEncoder;
    private final double alpha;
    private final float[] centroid;
    private final Map<String, Double> report;

    ColdStartModel(
            int dim,
            List<String> tagNames,
            float[] tagTangents,
            Ridge.Fit tagMap,
            Ridge.Fit textMap,
            TextNeighbours neighbours,
            String textEncoder,
            double alpha,
            float[] centroid,
            Map<String, Double> report) {
        if (tagTangents.length != tagNames.size() * dim) {
            throw new IllegalArgumentException(
                    "expected "
                            + tagNames.size()
                            + "×"
                            + dim
                            + " tag tangents, got "
                            + tagTangents.length
                            + " floats");
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        this.dim = dim;
        this.tagNames = List.copyOf(tagNames);
        this.tagIndex = new HashMap<>();
        for (int t = 0; t < tagNames.size(); t++) {
            tagIndex.putIfAbsent(normalise(tagNames.get(t)), t);
        }
        this.tagTangents = tagTangents;
        this.tagMap = tagMap;
        this.textMap = textMap;
        this.neighbours = neighbours;
        this.textEncoder = textEncoder;
        this.alpha = alpha;
        this.centroid = centroid;
        this.report = Map.copyOf(report);
    }

    /** Tag names compare trimmed, lower-cased and with runs of spaces collapsed. */
    static String normalise(String tag) {
        return tag.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    /** The model's ambient dimension. */
    public int dim() {
        return dim;
    }

    /** The text encoder the text map expects vectors of, or null without a text map. */
    public String textEncoder() {
        return textEncoder;
    }

    /** The text embedding dimension the text map expects, 0 without one. */
    public int textDim() {
        return textMap == null ? 0 : textMap.p();
    }

    /** True when the model has a tag view to place items by tags. */
    public boolean hasTags() {
        return tagMap != null;
    }

    /** The weight of the tags when both tags and text are known. */
    public double alpha() {
        return alpha;
    }

    /** The fit's held-out figures (see {@link ColdStartFitter}). */
    public Map<String, Double> report() {
        return report;
    }

    /**
     * Places an item.
     *
     * @param tags its tag names (any level), possibly empty
     * @param text its text embedding, or null
     * @param use which sources may be used (the evaluation asks for one at a time); {@link
     *     Method#TAGS_AND_TEXT} allows both
     * @throws IllegalArgumentException when the text has another dimension than the text map
     */
    public Placement place(Collection<String> tags, float[] text, Method use) {
        double[] tagPred = null;
        int known = 0;
        int unknown = 0;
        if (tags != null) {
            float[] mean = new float[dim];
            for (String t : tags) {
                Integer row = tagIndex.get(normalise(t));
                if (row == null) {
                    unknown++;
                    continue;
                }
                known++;
                for (int j = 1; j < dim; j++) {
                    mean[j] += tagTangents[row * dim + j];
                }
            }
            if (known > 0
                    && tagMap != null
                    && (use == Method.TAGS || use == Method.TAGS_AND_TEXT)) {
                for (int j = 1; j < dim; j++) {
                    mean[j] /= known;
                }
                tagPred = new double[dim];
                tagMap.apply(mean, tagPred);
            }
        }
        double[] textPred = null;
        if (text != null
                && textMap != null
                && (use == Method.TEXT || use == Method.TAGS_AND_TEXT)) {
            if (text.length != textMap.p()) {
                throw new IllegalArgumentException(
                        "the text map expects "
                                + textMap.p()
                                + "-dimensional vectors from "
                                + textEncoder
                                + ", got "
                                + text.length);
            }
            textPred = new double[dim];
            if (neighbours != null) {
                neighbours.apply(text, textPred);
            } else {
                textMap.apply(text, textPred);
            }
        }
        float[] tangent = new float[dim];
        Method method;
        if (tagPred != null && textPred != null) {
            method = Method.TAGS_AND_TEXT;
            for (int j = 1; j < dim; j++) {
                tangent[j] = (float) (alpha * tagPred[j] + (1 - alpha) * textPred[j]);
            }
        } else if (tagPred != null) {
            method = Method.TAGS;
            for (int j = 1; j < dim; j++) {
                tangent[j] = (float) tagPred[j];
            }
        } else if (textPred != null) {
            method = Method.TEXT;
            for (int j = 1; j < dim; j++) {
                tangent[j] = (float) textPred[j];
            }
        } else {
            method = Method.CENTROID;
            System.arraycopy(centroid, 0, tangent, 0, dim);
        }
        tangent[0] = 0f;
        float[] point = new float[dim];
        Lorentz.expmap0(tangent, 0, point, 0, dim);
        return new Placement(point, method, known, unknown);
    }

    /** Writes the model into {@code dir} (created if needed); {@code coldstart.json} last. */
    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve("tags.txt"), tagNames, StandardCharsets.UTF_8);
            try (DataOutputStream out =
                    new DataOutputStream(
                            new java.io.BufferedOutputStream(
                                    Files.newOutputStream(dir.resolve("maps.bin"))))) {
                writeFloats(out, tagTangents);
                writeFloats(out, centroid);
                writeFit(out, tagMap);
                writeFit(out, textMap);
                out.writeBoolean(neighbours != null);
                if (neighbours != null) {
                    out.writeInt(neighbours.k);
                    out.writeInt(neighbours.p);
                    out.writeInt(neighbours.d);
                    writeFloats(out, neighbours.text);
                    writeFloats(out, neighbours.tangent);
                }
            }
            ObjectNode root = JSON.createObjectNode();
            root.put("format", FORMAT);
            root.put("dim", dim);
            root.put("tags", tagNames.size());
            root.put("alpha", alpha);
            root.put("textEncoder", textEncoder);
            root.put("textDim", textDim());
            root.set("report", JSON.valueToTree(report));
            Path tmp = dir.resolve("coldstart.json.tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
            Files.move(
                    tmp,
                    dir.resolve("coldstart.json"),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the cold-start model to " + dir, e);
        }
    }

    /** True when {@code dir} holds a saved cold-start model. */
    public static boolean existsIn(Path dir) {
        return Files.isRegularFile(dir.resolve("coldstart.json"));
    }

    /**
     * Loads a model saved by {@link #save}.
     *
     * @throws IllegalArgumentException when {@code dir} holds none, naming the file expected
     */
    public static ColdStartModel load(Path dir) {
        Path meta = dir.resolve("coldstart.json");
        if (!Files.isRegularFile(meta)) {
            throw new IllegalArgumentException(
                    "no cold-start model in " + dir + ": expected " + meta);
        }
        try {
            JsonNode root = JSON.readTree(meta.toFile());
            if (root.path("format").asInt(-1) != FORMAT) {
                throw new IllegalArgumentException(
                        meta + ": expected format " + FORMAT + ", got " + root.path("format"));
            }
            int dim = root.path("dim").asInt();
            List<String> tags = Files.readAllLines(dir.resolve("tags.txt"), StandardCharsets.UTF_8);
            if (tags.size() != root.path("tags").asInt()) {
                throw new IllegalArgumentException(
                        dir.resolve("tags.txt")
                                + ": expected "
                                + root.path("tags").asInt()
                                + " tags, found "
                                + tags.size());
            }
            float[] tagTangents;
            float[] centroid;
            Ridge.Fit tagMap;
            Ridge.Fit textMap;
            TextNeighbours neighbours = null;
            try (DataInputStream in =
                    new DataInputStream(
                            new java.io.BufferedInputStream(
                                    Files.newInputStream(dir.resolve("maps.bin"))))) {
                tagTangents = readFloats(in);
                centroid = readFloats(in);
                tagMap = readFit(in);
                textMap = readFit(in);
                if (in.readBoolean()) {
                    int k = in.readInt();
                    int p = in.readInt();
                    int d = in.readInt();
                    neighbours = new TextNeighbours(k, p, d, readFloats(in), readFloats(in));
                }
            }
            Map<String, Double> report = new LinkedHashMap<>();
            root.path("report")
                    .fields()
                    .forEachRemaining(e -> report.put(e.getKey(), e.getValue().asDouble()));
            String encoder =
                    root.path("textEncoder").isNull()
                            ? null
                            : root.path("textEncoder").asText(null);
            return new ColdStartModel(
                    dim,
                    tags,
                    tagTangents,
                    tagMap,
                    textMap,
                    neighbours,
                    encoder,
                    root.path("alpha").asDouble(),
                    centroid,
                    report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cold-start model in " + dir, e);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        out.writeInt(v.length);
        for (float f : v) {
            out.writeFloat(f);
        }
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        float[] v = new float[in.readInt()];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readFloat();
        }
        return v;
    }

    private static void writeFit(DataOutputStream out, Ridge.Fit f) throws IOException {
        out.writeBoolean(f != null);
        if (f == null) {
            return;
        }
        out.writeInt(f.p());
        out.writeInt(f.q());
        for (double v : f.w()) {
            out.writeDouble(v);
        }
        for (double v : f.bias()) {
            out.writeDouble(v);
        }
    }

    private static Ridge.Fit readFit(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        int p = in.readInt();
        int q = in.readInt();
        double[] w = new double[p * q];
        for (int i = 0; i < w.length; i++) {
            w[i] = in.readDouble();
        }
        double[] b = new double[q];
        for (int i = 0; i < q; i++) {
            b[i] = in.readDouble();
        }
        return new Ridge.Fit(p, q, w, b);
    }

    /** The tag names of the tag view, in its row order. */
    public List<String> tagNames() {
        return new ArrayList<>(tagNames);
    }
}
