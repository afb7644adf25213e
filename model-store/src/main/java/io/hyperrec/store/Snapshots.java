package io.hyperrec.store;

import io.hyperrec.core.model.TrainedModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metadata a {@link ModelStore} adds to the {@code TrainedModel} directory it exports per
 * version, so that the directory alone (what {@code ModelPublished.location} names) is enough to
 * publish the version into another store: its version number, metrics and popular items. Not
 * instantiable.
 */
public final class Snapshots {
    /** Metadata key of the model version (a number). */
    public static final String MODEL_VERSION = "modelVersion";

    /** Metadata key of the version's metrics (an object of numbers). */
    public static final String METRICS = "metrics";

    /**
     * Metadata key of the popular items: a list of {@code {"item": id, "score": popularity}}, most
     * popular first.
     */
    public static final String POPULAR_ITEMS = "popularItems";

    private Snapshots() {}

    /**
     * The popular items saved in a model's metadata.
     *
     * @param model a model, e.g. loaded from a snapshot directory
     * @return most popular first; empty when the metadata has none
     * @throws IllegalArgumentException when the metadata entry is malformed, naming it
     */
    public static List<ScoredItem> popularItems(TrainedModel model) {
        Object raw = model.metadata().get(POPULAR_ITEMS);
        if (raw == null) {
            return List.of();
        }
        if (!(raw instanceof List<?> list)) {
            throw new IllegalArgumentException(
                    "metadata '" + POPULAR_ITEMS + "' must be a list, got " + raw);
        }
        List<ScoredItem> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m)
                    || !(m.get("item") instanceof String item)
                    || !(m.get("score") instanceof Number score)) {
                throw new IllegalArgumentException(
                        "metadata '"
                                + POPULAR_ITEMS
                                + "' entries must be {\"item\": string, \"score\": number}, got "
                                + o);
            }
            out.add(new ScoredItem(item, score.floatValue()));
        }
        return out;
    }

    /**
     * The metrics saved in a model's metadata.
     *
     * @param model a model, e.g. loaded from a snapshot directory
     * @return the metrics; empty when the metadata has none
     */
    public static Map<String, Double> metrics(TrainedModel model) {
        Object raw = model.metadata().get(METRICS);
        if (!(raw instanceof Map<?, ?> m)) {
            return Map.of();
        }
        Map<String, Double> out = new LinkedHashMap<>();
        m.forEach(
                (k, v) -> {
                    if (k instanceof String name && v instanceof Number n) {
                        out.put(name, n.doubleValue());
                    }
                });
        return out;
    }
}
