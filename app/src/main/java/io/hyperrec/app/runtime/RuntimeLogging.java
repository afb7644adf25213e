package io.hyperrec.app.runtime;

import java.util.Map;

/**
 * Quiet defaults for the loggers of the embedded Kafka broker and Flink MiniCluster.
 *
 * <p>The app logs through slf4j-simple, whose per-logger level is read from the system property
 * {@code org.slf4j.simpleLogger.log.<name>} when a logger is created. At INFO the broker and the
 * MiniCluster print several hundred lines per start; this class sets those properties to {@code
 * warn} (a few to {@code error}) for their logger name prefixes, <em>only where no value is set
 * already</em>, so {@code -Dorg.slf4j.simpleLogger.log.org.apache.kafka=info} on the command line
 * still wins. It must run before the first Kafka or Flink logger is created, which {@link
 * EmbeddedKafka#start} and {@link EmbeddedFlink#start} do. Kafka's own log4j-api calls reach slf4j
 * through {@code log4j-to-slf4j} (see app/pom.xml), so they obey the same levels.
 */
public final class RuntimeLogging {
    private static final String PREFIX = "org.slf4j.simpleLogger.log.";

    /**
     * Logger name prefixes of the broker, the MiniCluster and their libraries, and their default
     * level. A few log a routine, harmless condition at WARN on every start and get {@code error}:
     * the KRaft controller's activation, the race of two requests creating {@code
     * __consumer_offsets} ("already exists"), the missing JobManager log file (there is no web UI),
     * the metric name collision of Flink 2.2's sink committer ({@code pendingCommittables}), DJL's
     * CUDA probe on CPU machines and Flink's truncation of long operator names in metrics.
     */
    static final Map<String, String> QUIET_LOGGERS =
            Map.ofEntries(
                    Map.entry("org.apache.kafka", "warn"),
                    Map.entry("org.apache.kafka.controller", "error"),
                    Map.entry("kafka", "warn"),
                    Map.entry("kafka.server.DefaultAutoTopicCreationManager", "error"),
                    Map.entry("state.change.logger", "warn"),
                    Map.entry("org.apache.flink", "warn"),
                    Map.entry("org.apache.flink.runtime.webmonitor.WebMonitorUtils", "error"),
                    Map.entry("org.apache.flink.metrics.MetricGroup", "error"),
                    Map.entry("org.apache.pekko", "warn"),
                    Map.entry("org.apache.zookeeper", "warn"),
                    Map.entry("org.apache.commons", "warn"),
                    Map.entry("org.rocksdb", "warn"),
                    // DJL probes for CUDA when the tokenizer loads and warns on a CPU machine.
                    Map.entry("ai.djl.util.cuda", "error"),
                    // Flink truncates long operator names for metrics, with a warning each.
                    Map.entry("org.apache.flink.runtime.metrics.util.MetricUtils", "error"));

    private RuntimeLogging() {}

    /** Sets the levels of the {@link #QUIET_LOGGERS} that have none configured. Idempotent. */
    public static void quietByDefault() {
        QUIET_LOGGERS.forEach(
                (name, level) -> {
                    String key = PREFIX + name;
                    if (System.getProperty(key) == null) {
                        System.setProperty(key, level);
                    }
                });
    }
}
