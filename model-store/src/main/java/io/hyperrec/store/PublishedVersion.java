package io.hyperrec.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the store knows about one published model version. {@link #location} is the version's
 * snapshot directory in the {@code TrainedModel} format: what goes into {@code
 * ModelPublished.location} and what the streaming job's TaskManagers load.
 *
 * @param version the version number (≥ 1)
 * @param location the snapshot directory, absolute
 * @param createdAt when the version was published
 * @param metrics validation and test metrics of the version (e.g. {@code valid_recall@20})
 * @param popularItems the version's most popular items, most popular first: the fallback for users
 *     without a point
 * @param dim the ambient dimension of the version's points (d+1)
 * @param users the number of users in the published model
 * @param items the number of items in the published model
 */
public record PublishedVersion(
        long version,
        Path location,
        Instant createdAt,
        Map<String, Double> metrics,
        List<ScoredItem> popularItems,
        int dim,
        int users,
        int items) {
    /** Validates and copies. */
    public PublishedVersion {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(createdAt, "createdAt");
        metrics = Map.copyOf(metrics);
        popularItems = List.copyOf(popularItems);
    }
}
