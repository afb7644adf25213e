package io.hyperrec.app.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Options of the {@link EmbeddedFlink} MiniCluster. Immutable; built and validated by {@link
 * Builder}.
 *
 * <table>
 *   <caption>Options</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code workDir}</td><td>none</td><td>Directory for checkpoints ({@code
 *       checkpoints/<job id>/chk-<n>}), savepoints, RocksDB working files and Flink's temporary
 *       files. When set, checkpoints survive a restart of the process. When absent, a temporary
 *       directory is used and deleted on close.</td></tr>
 *   <tr><td>{@code taskSlots}</td><td>2</td><td>Task slots of the single TaskManager, and the
 *       default parallelism of jobs.</td></tr>
 *   <tr><td>{@code checkpointInterval}</td><td>10 s</td><td>Interval of periodic
 *       checkpoints.</td></tr>
 *   <tr><td>{@code managedMemoryMb}</td><td>256</td><td>Managed (off-heap) memory of the
 *       TaskManager in MiB, shared by the slots; RocksDB's block cache and write buffers are
 *       bounded by a slot's share.</td></tr>
 *   <tr><td>{@code restPort}</td><td>0</td><td>Port of the REST API on localhost (0 = ephemeral).
 *       There is no web UI: {@code flink-runtime-web} is not on the classpath.</td></tr>
 *   <tr><td>{@code flinkConfig}</td><td>empty</td><td>Extra Flink configuration ({@code
 *       config.yaml} keys); these override everything above.</td></tr>
 * </table>
 */
public final class EmbeddedFlinkOptions {
    /** Default number of task slots (and default parallelism). */
    public static final int DEFAULT_TASK_SLOTS = 2;

    /** Default checkpoint interval. */
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

    /** Default managed memory of the TaskManager, in MiB. */
    public static final int DEFAULT_MANAGED_MEMORY_MB = 256;

    private final Path workDir;
    private final int taskSlots;
    private final Duration checkpointInterval;
    private final int managedMemoryMb;
    private final int restPort;
    private final Map<String, String> flinkConfig;

    private EmbeddedFlinkOptions(Builder b) {
        this.workDir = b.workDir == null ? null : b.workDir.toAbsolutePath().normalize();
        this.taskSlots = b.taskSlots;
        this.checkpointInterval = b.checkpointInterval;
        this.managedMemoryMb = b.managedMemoryMb;
        this.restPort = b.restPort;
        this.flinkConfig = Map.copyOf(b.flinkConfig);
    }

    /**
     * @return a builder with the defaults above
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the persistent work directory (absolute), or empty for a temporary one
     */
    public Optional<Path> workDir() {
        return Optional.ofNullable(workDir);
    }

    /**
     * @return task slots of the TaskManager, at least 1
     */
    public int taskSlots() {
        return taskSlots;
    }

    /**
     * @return the periodic checkpoint interval, positive
     */
    public Duration checkpointInterval() {
        return checkpointInterval;
    }

    /**
     * @return managed memory of the TaskManager in MiB, at least 16
     */
    public int managedMemoryMb() {
        return managedMemoryMb;
    }

    /**
     * @return the REST port, 0 for an ephemeral one
     */
    public int restPort() {
        return restPort;
    }

    /**
     * @return extra Flink configuration overriding the embedded defaults, never null
     */
    public Map<String, String> flinkConfig() {
        return flinkConfig;
    }

    @Override
    public String toString() {
        return "EmbeddedFlinkOptions{workDir="
                + (workDir == null ? "<temporary>" : workDir)
                + ", taskSlots="
                + taskSlots
                + ", checkpointInterval="
                + checkpointInterval
                + ", managedMemoryMb="
                + managedMemoryMb
                + ", restPort="
                + restPort
                + ", flinkConfig="
                + flinkConfig
                + '}';
    }

    /** Builder of {@link EmbeddedFlinkOptions}; not thread-safe. */
    public static final class Builder {
        private Path workDir;
        private int taskSlots = DEFAULT_TASK_SLOTS;
        private Duration checkpointInterval = DEFAULT_CHECKPOINT_INTERVAL;
        private int managedMemoryMb = DEFAULT_MANAGED_MEMORY_MB;
        private int restPort;
        private final Map<String, String> flinkConfig = new LinkedHashMap<>();

        private Builder() {}

        /**
         * @param workDir persistent work directory, or null for a temporary one deleted on close
         * @return this builder
         */
        public Builder workDir(Path workDir) {
            this.workDir = workDir;
            return this;
        }

        /**
         * @param taskSlots task slots (and default parallelism), at least 1
         * @return this builder
         */
        public Builder taskSlots(int taskSlots) {
            if (taskSlots < 1) {
                throw new IllegalArgumentException(
                        "Flink task slots must be positive, got " + taskSlots);
            }
            this.taskSlots = taskSlots;
            return this;
        }

        /**
         * @param interval periodic checkpoint interval, at least 10 ms
         * @return this builder
         */
        public Builder checkpointInterval(Duration interval) {
            if (interval == null || interval.toMillis() < 10) {
                throw new IllegalArgumentException(
                        "Flink checkpoint interval must be at least 10 ms, got " + interval);
            }
            this.checkpointInterval = interval;
            return this;
        }

        /**
         * @param managedMemoryMb managed memory of the TaskManager in MiB, at least 16
         * @return this builder
         */
        public Builder managedMemoryMb(int managedMemoryMb) {
            if (managedMemoryMb < 16) {
                throw new IllegalArgumentException(
                        "Flink managed memory must be at least 16 MiB, got " + managedMemoryMb);
            }
            this.managedMemoryMb = managedMemoryMb;
            return this;
        }

        /**
         * @param restPort REST port in [0, 65535]; 0 picks an ephemeral port
         * @return this builder
         */
        public Builder restPort(int restPort) {
            if (restPort < 0 || restPort > 65535) {
                throw new IllegalArgumentException(
                        "Flink REST port must be in [0, 65535] (0 = ephemeral), got " + restPort);
            }
            this.restPort = restPort;
            return this;
        }

        /**
         * @param key a Flink configuration key, e.g. {@code execution.checkpointing.timeout}
         * @param value its value
         * @return this builder
         */
        public Builder flinkConfig(String key, String value) {
            if (key == null || key.isBlank() || value == null) {
                throw new IllegalArgumentException(
                        "Flink configuration needs a key and a value, got " + key + "=" + value);
            }
            flinkConfig.put(key, value);
            return this;
        }

        /**
         * @return the validated options
         */
        public EmbeddedFlinkOptions build() {
            return new EmbeddedFlinkOptions(this);
        }
    }
}
