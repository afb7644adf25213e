package io.hyperrec.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperrec.core.data.IdMap;
import io.hyperrec.core.data.RecboleReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * An immutable trained model: the final user and item points of the user–item view (what scoring
 * uses), their ids, and descriptive metadata. Saved as a directory that {@code evaluate} and the
 * model store load:
 *
 * <pre>
 * model.json             format, dim, counts, metadata
 * users.txt, items.txt   one id per line, in row order
 * users.f32, items.f32   little-endian float32 rows of dim coordinates
 * </pre>
 */
public final class TrainedModel {
    /** The directory format written by {@link #save}. */
    public static final int FORMAT = 1;

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final IdMap users;
    private final IdMap items;
    private final float[] userPoints;
    private final float[] itemPoints;
    private final int dim;
    private final Map<String, Object> metadata;

    /**
     * @param userPoints users.size()×dim points, row-major (not copied: do not modify)
     * @param itemPoints items.size()×dim points, row-major (not copied: do not modify)
     * @param metadata descriptive values (variant, metrics, …) saved with the model
     */
    public TrainedModel(
            IdMap users,
            IdMap items,
            float[] userPoints,
            float[] itemPoints,
            int dim,
            Map<String, Object> metadata) {
        if (userPoints.length != users.size() * dim || itemPoints.length != items.size() * dim) {
            throw new IllegalArgumentException(
                    "embedding sizes "
                            + userPoints.length
                            + "/"
                            + itemPoints.length
                            + " do not match "
                            + users.size()
                            + " users and "
                            + items.size()
                            + " items of dim "
                            + dim);
        }
        this.users = users;
        this.items = items;
        this.userPoints = userPoints;
        this.itemPoints = itemPoints;
        this.dim = dim;
        this.metadata = Map.copyOf(metadata);
    }

    /** User ids in row order. */
    public IdMap users() {
        return users;
    }

    /** Item ids in row order. */
    public IdMap items() {
        return items;
    }

    /** User points, row-major (must not be modified). */
    public float[] userPoints() {
        return userPoints;
    }

    /** Item points, row-major (must not be modified). */
    public float[] itemPoints() {
        return itemPoints;
    }

    /** Ambient dimension. */
    public int dim() {
        return dim;
    }

    /** Descriptive metadata. */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /** Writes the model into {@code dir} (created if needed), replacing an older model there. */
    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
            writeLines(dir.resolve("users.txt"), users.tokens());
            writeLines(dir.resolve("items.txt"), items.tokens());
            RecboleReader.writeF32(dir.resolve("users.f32"), userPoints);
            RecboleReader.writeF32(dir.resolve("items.f32"), itemPoints);
            ObjectNode root = JSON.createObjectNode();
            root.put("format", FORMAT);
            root.put("dim", dim);
            root.put("users", users.size());
            root.put("items", items.size());
            root.set("metadata", JSON.valueToTree(metadata));
            Path tmp = dir.resolve("model.json.tmp");
            JSON.writeValue(tmp.toFile(), root);
            // model.json last and atomically: its presence marks a complete model.
            Files.move(
                    tmp,
                    dir.resolve("model.json"),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save model to " + dir, e);
        }
    }

    /**
     * Loads a model saved by {@link #save}.
     *
     * @throws IllegalArgumentException if the directory holds no complete model, naming what is
     *     missing
     */
    public static TrainedModel load(Path dir) {
        Path meta = dir.resolve("model.json");
        if (!Files.isRegularFile(meta)) {
            throw new IllegalArgumentException(
                    "no model in "
                            + dir
                            + ": expected "
                            + meta
                            + " (written by hyperrec train --out)");
        }
        try {
            JsonNode root = JSON.readTree(meta.toFile());
            int format = root.path("format").asInt(-1);
            if (format != FORMAT) {
                throw new IllegalArgumentException(
                        meta
                                + ": expected model format "
                                + FORMAT
                                + ", got "
                                + root.path("format"));
            }
            int dim = root.path("dim").asInt();
            IdMap users = IdMap.of(readLines(dir.resolve("users.txt")));
            IdMap items = IdMap.of(readLines(dir.resolve("items.txt")));
            float[] up = RecboleReader.readF32(dir.resolve("users.f32"), users.size(), dim);
            float[] ip = RecboleReader.readF32(dir.resolve("items.f32"), items.size(), dim);
            @SuppressWarnings("unchecked")
            Map<String, Object> md = JSON.convertValue(root.path("metadata"), Map.class);
            return new TrainedModel(users, items, up, ip, dim, md == null ? Map.of() : md);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model from " + dir, e);
        }
    }

    private static void writeLines(Path p, List<String> lines) throws IOException {
        Files.write(p, lines, StandardCharsets.UTF_8);
    }

    private static List<String> readLines(Path p) throws IOException {
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("model file missing: " + p);
        }
        return Files.readAllLines(p, StandardCharsets.UTF_8);
    }
}
