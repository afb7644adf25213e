package io.hyperrec.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyperrec.app.HyperrecCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Options validation and the configuration the embedded runtime derives from them. */
class EmbeddedRuntimeOptionsTest {

    @Test
    void invalidKafkaOptionsAreRejectedWithTheirValues() {
        assertThatThrownBy(() -> EmbeddedKafkaOptions.builder().port(70000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("70000");
        assertThatThrownBy(() -> EmbeddedKafkaOptions.builder().partitions(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
        assertThatThrownBy(() -> new EmbeddedKafka.TopicSpec("t", 0, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topic t")
                .hasMessageContaining("got 0");
    }

    @Test
    void invalidFlinkOptionsAreRejectedWithTheirValues() {
        assertThatThrownBy(() -> EmbeddedFlinkOptions.builder().taskSlots(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
        assertThatThrownBy(() -> EmbeddedFlinkOptions.builder().checkpointInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0S");
        assertThatThrownBy(() -> EmbeddedFlinkOptions.builder().managedMemoryMb(8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 8");
    }

    @Test
    void aFixedKafkaPortAddsAHostListenerAndOverridesComeLast() {
        Map<String, String> ephemeral =
                EmbeddedKafka.brokerConfig(EmbeddedKafkaOptions.builder().partitions(3).build());
        assertThat(ephemeral).doesNotContainKey("listeners");
        assertThat(ephemeral)
                .containsEntry("num.partitions", "3")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("auto.create.topics.enable", "false");

        Map<String, String> fixed =
                EmbeddedKafka.brokerConfig(
                        EmbeddedKafkaOptions.builder()
                                .port(19092)
                                .brokerProperty("auto.create.topics.enable", "true")
                                .build());
        assertThat(fixed.get("listeners")).contains("HOST://localhost:19092");
        assertThat(fixed.get("listener.security.protocol.map")).contains("HOST:PLAINTEXT");
        assertThat(fixed).containsEntry("auto.create.topics.enable", "true");
    }

    @Test
    void hyperrecTopicsCompactItemTopicsAndKeepEverythingElse() {
        assertThat(EmbeddedKafka.hyperrecTopics(4))
                .hasSize(8)
                .allSatisfy(t -> assertThat(t.partitions()).isEqualTo(4))
                .anySatisfy(
                        t -> {
                            assertThat(t.name()).isEqualTo("items.enriched");
                            assertThat(t.configs()).containsEntry("cleanup.policy", "compact");
                        })
                .anySatisfy(
                        t -> {
                            assertThat(t.name()).isEqualTo("model.items");
                            assertThat(t.configs()).containsEntry("cleanup.policy", "compact");
                        })
                .filteredOn(
                        t -> !t.name().equals("items.enriched") && !t.name().equals("model.items"))
                .allSatisfy(t -> assertThat(t.configs()).containsEntry("retention.ms", "-1"));
    }

    @Test
    void flinkConfigurationSelectsRocksDbIncrementalRetainedCheckpointsUnderTheWorkDir(
            @TempDir Path dir) {
        Configuration c =
                EmbeddedFlink.configuration(
                        EmbeddedFlinkOptions.builder()
                                .taskSlots(3)
                                .checkpointInterval(Duration.ofSeconds(5))
                                .managedMemoryMb(128)
                                .flinkConfig("execution.checkpointing.timeout", "2 min")
                                .build(),
                        dir);
        Map<String, String> m = c.toMap();
        assertThat(m)
                .containsEntry("state.backend.type", "rocksdb")
                .containsEntry(
                        "execution.checkpointing.dir",
                        dir.resolve("checkpoints").toUri().toString())
                .containsEntry("execution.checkpointing.incremental", "true")
                .containsEntry(
                        "execution.checkpointing.externalized-checkpoint-retention",
                        "RETAIN_ON_CANCELLATION")
                .containsEntry("taskmanager.numberOfTaskSlots", "3")
                .containsEntry("parallelism.default", "3")
                .containsEntry("state.backend.rocksdb.memory.managed", "true")
                .containsEntry("state.backend.rocksdb.thread.num", "1")
                .containsEntry("execution.checkpointing.timeout", "2 min");
        assertThat(
                        c.get(
                                org.apache.flink.configuration.CheckpointingOptions
                                        .CHECKPOINTING_INTERVAL))
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(
                        c.get(org.apache.flink.configuration.TaskManagerOptions.MANAGED_MEMORY_SIZE)
                                .getMebiBytes())
                .isEqualTo(128);
    }

    @Test
    void quietLoggingKeepsLevelsSetOnTheCommandLine() {
        String key = "org.slf4j.simpleLogger.log.org.apache.flink";
        String before = System.getProperty(key);
        try {
            System.setProperty(key, "debug");
            RuntimeLogging.quietByDefault();
            assertThat(System.getProperty(key)).isEqualTo("debug");
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }

    @Test
    void runtimeCheckHasHelpAndIsHiddenFromTheCommandList() {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new HyperrecCli());
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("runtime-check", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: hyperrec runtime-check").contains("--records");

        StringWriter usage = new StringWriter();
        cl.setOut(new PrintWriter(usage));
        assertThat(cl.execute("--help")).isZero();
        assertThat(usage.toString()).contains("demo").doesNotContain("runtime-check");
    }
}
