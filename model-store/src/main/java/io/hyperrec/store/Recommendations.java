package io.hyperrec.store;

import java.util.List;
import java.util.Objects;

/**
 * Top-k items for one user, as served by {@link ModelStore#recommend}. Every recommendation names
 * the model version that produced it (ARCHITECTURE.md), so clients and tests can tell versions
 * apart.
 *
 * @param user the user id asked for
 * @param modelVersion the published version whose item table and user point were used
 * @param fallback true when the user has no point in that version and {@code items} are the
 *     version's most popular items (non-personalised); false for a personalised list
 * @param items best first, at most k, never null
 */
public record Recommendations(
        String user, long modelVersion, boolean fallback, List<ScoredItem> items) {
    /** Validates and copies. */
    public Recommendations {
        Objects.requireNonNull(user, "user");
        items = List.copyOf(items);
    }
}
