package io.hyperrec.jobs.online;

import io.hyperrec.core.model.TrainedModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads published model versions from their snapshot directories, once per JVM (a TaskManager): all
 * subtasks of the update job share the tables of a version instead of each holding a copy, and the
 * tables never travel through Flink's network stack. Keeps the few most recently used versions.
 */
public final class ModelSnapshots {
    private static final int KEEP = 3;

    private static final Map<String, TrainedModel> CACHE =
            new LinkedHashMap<>(8, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, TrainedModel> eldest) {
                    return size() > KEEP;
                }
            };

    private ModelSnapshots() {}

    /**
     * The model at {@code location} (a {@link TrainedModel} directory).
     *
     * @throws java.io.UncheckedIOException when the directory cannot be read
     */
    public static TrainedModel load(String location) {
        synchronized (CACHE) {
            TrainedModel m = CACHE.get(location);
            if (m == null) {
                m = TrainedModel.load(Path.of(location));
                CACHE.put(location, m);
            }
            return m;
        }
    }
}
