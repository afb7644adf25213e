package io.hyperrec.store.ingest;

import java.util.Map;

/**
 * A snapshot of a {@link ModelStoreIngest}'s counters, for the metrics endpoint and for tests that
 * wait on progress. Counters only grow.
 *
 * @param state where the loop is
 * @param records records consumed, by topic
 * @param rejected records rejected (undecodable or invalid), by topic
 * @param versionsPublished versions this ingest loaded from a {@code ModelPublished} location and
 *     published because the store did not serve them yet
 * @param batchesCommitted polls whose offsets were committed
 * @param recordsPerSecond records consumed per second over the last throughput window
 */
public record IngestStats(
        ModelStoreIngest.State state,
        Map<String, Long> records,
        Map<String, Long> rejected,
        long versionsPublished,
        long batchesCommitted,
        double recordsPerSecond) {
    /** Copies. */
    public IngestStats {
        records = Map.copyOf(records);
        rejected = Map.copyOf(rejected);
    }

    /** Records consumed, all topics. */
    public long totalRecords() {
        return records.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Records rejected, all topics. */
    public long totalRejected() {
        return rejected.values().stream().mapToLong(Long::longValue).sum();
    }
}
