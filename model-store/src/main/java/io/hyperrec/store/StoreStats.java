package io.hyperrec.store;

import io.hyperrec.core.model.EmbeddingUpsert.Kind;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A snapshot of a {@link ModelStore}'s counters, read by the metrics endpoint and by tests that
 * wait on progress instead of sleeping. Counters only grow during the store's life.
 *
 * @param currentVersion the served version; empty before the first publish
 * @param updatesApplied upserts applied, by kind
 * @param updatesDropped upserts dropped as not newer than what was stored, by kind
 * @param recommendationsServed calls of {@link ModelStore#recommend} that returned
 * @param fallbacksServed of those, the non-personalised ones
 * @param interactionsRecorded seen-item records written
 * @param publishes versions published by this process
 * @param lastAppliedSourceTimeMillis source time of the last applied upsert that carried one
 */
public record StoreStats(
        OptionalLong currentVersion,
        Map<Kind, Long> updatesApplied,
        Map<Kind, Long> updatesDropped,
        long recommendationsServed,
        long fallbacksServed,
        long interactionsRecorded,
        long publishes,
        OptionalLong lastAppliedSourceTimeMillis) {
    /** Copies. */
    public StoreStats {
        updatesApplied = Map.copyOf(updatesApplied);
        updatesDropped = Map.copyOf(updatesDropped);
    }

    /** Total upserts applied, all kinds. */
    public long totalApplied() {
        return updatesApplied.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Total upserts dropped, all kinds. */
    public long totalDropped() {
        return updatesDropped.values().stream().mapToLong(Long::longValue).sum();
    }
}
