package io.hyperrec.app.runtime;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Options of the {@link EmbeddedKafka} broker. Immutable; built and validated by {@link Builder}.
 *
 * <table>
 *   <caption>Options</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code logDir}</td><td>none</td><td>Directory of the broker's metadata and topic
 *       logs. When set, data survives a restart (the directory is formatted once and reused).
 *       When absent, a fresh temporary directory is used and deleted on close.</td></tr>
 *   <tr><td>{@code port}</td><td>0</td><td>TCP port of the client listener on localhost; 0 picks
 *       an ephemeral port ({@link EmbeddedKafka#bootstrapServers()} tells which).</td></tr>
 *   <tr><td>{@code partitions}</td><td>2</td><td>Partition count of the topics the broker
 *       creates, and the broker's {@code num.partitions}; match the Flink parallelism.</td></tr>
 *   <tr><td>{@code brokerProperties}</td><td>empty</td><td>Extra broker configuration (Kafka
 *       {@code server.properties} keys); these override the embedded defaults.</td></tr>
 * </table>
 */
public final class EmbeddedKafkaOptions {
    /** Default partition count of hyperrec's topics. */
    public static final int DEFAULT_PARTITIONS = 2;

    private final Path logDir;
    private final int port;
    private final int partitions;
    private final Map<String, String> brokerProperties;

    private EmbeddedKafkaOptions(Builder b) {
        this.logDir = b.logDir == null ? null : b.logDir.toAbsolutePath().normalize();
        this.port = b.port;
        this.partitions = b.partitions;
        this.brokerProperties = Map.copyOf(b.brokerProperties);
    }

    /**
     * @return a builder with the defaults above
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the persistent log directory (absolute), or empty for a temporary one
     */
    public Optional<Path> logDir() {
        return Optional.ofNullable(logDir);
    }

    /**
     * @return the client listener port, 0 for an ephemeral one
     */
    public int port() {
        return port;
    }

    /**
     * @return the partition count of created topics, at least 1
     */
    public int partitions() {
        return partitions;
    }

    /**
     * @return extra broker configuration overriding the embedded defaults, never null
     */
    public Map<String, String> brokerProperties() {
        return brokerProperties;
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaOptions{logDir="
                + (logDir == null ? "<temporary>" : logDir)
                + ", port="
                + port
                + ", partitions="
                + partitions
                + ", brokerProperties="
                + brokerProperties
                + '}';
    }

    /** Builder of {@link EmbeddedKafkaOptions}; not thread-safe. */
    public static final class Builder {
        private Path logDir;
        private int port;
        private int partitions = DEFAULT_PARTITIONS;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();

        private Builder() {}

        /**
         * @param logDir persistent log directory, or null for a temporary one deleted on close
         * @return this builder
         */
        public Builder logDir(Path logDir) {
            this.logDir = logDir;
            return this;
        }

        /**
         * @param port client listener port in [0, 65535]; 0 picks an ephemeral port
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(
                        "Kafka port must be in [0, 65535] (0 = ephemeral), got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * @param partitions partition count of created topics, at least 1
         * @return this builder
         */
        public Builder partitions(int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException(
                        "Kafka topic partitions must be positive, got " + partitions);
            }
            this.partitions = partitions;
            return this;
        }

        /**
         * @param key a Kafka broker configuration key, e.g. {@code log.retention.ms}
         * @param value its value
         * @return this builder
         */
        public Builder brokerProperty(String key, String value) {
            if (key == null || key.isBlank() || value == null) {
                throw new IllegalArgumentException(
                        "broker property needs a key and a value, got " + key + "=" + value);
            }
            brokerProperties.put(key, value);
            return this;
        }

        /**
         * @return the validated options
         */
        public EmbeddedKafkaOptions build() {
            return new EmbeddedKafkaOptions(this);
        }
    }
}
