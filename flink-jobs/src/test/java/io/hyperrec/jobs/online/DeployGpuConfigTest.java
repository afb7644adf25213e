package io.hyperrec.jobs.online;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.api.common.resources.ExternalResource;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.externalresource.ExternalResourceUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/gpu/flink-conf-gpu.yaml, read by Flink's own configuration loader and external-resource
 * utilities: one GPU per TaskManager under the name the jobs look up ({@link TaskGpus#RESOURCE}),
 * Flink's GPU driver, and the Kubernetes resource key.
 */
class DeployGpuConfigTest {
    @TempDir Path dir;

    @Test
    void flinkReadsOneGpuPerTaskManagerWithTheNvidiaDriverAndKubernetesKey() throws Exception {
        Path source = Path.of("..", "deploy", "gpu", "flink-conf-gpu.yaml");
        assertThat(source).exists();
        Files.copy(source, dir.resolve(GlobalConfiguration.getFlinkConfFilename()));

        Configuration c = GlobalConfiguration.loadConfiguration(dir.toString());

        assertThat(ExternalResourceUtils.getExternalResourcesCollection(c))
                .containsExactly(new ExternalResource(TaskGpus.RESOURCE, 1));
        Map<String, String> k8s =
                ExternalResourceUtils.getExternalResourceConfigurationKeys(
                        c, "kubernetes.config-key");
        assertThat(k8s).containsExactly(Map.entry(TaskGpus.RESOURCE, "nvidia.com/gpu"));
        assertThat(c.toMap())
                .containsEntry(
                        "external-resource.gpu.driver-factory.class",
                        "org.apache.flink.externalresource.gpu.GPUDriverFactory")
                .containsEntry(
                        "external-resource.gpu.param.discovery-script.path",
                        "plugins/external-resource-gpu/nvidia-gpu-discovery.sh")
                .containsEntry("taskmanager.numberOfTaskSlots", "1");
        assertThat(Path.of("..", "deploy", "gpu", "k8s", "pod-template-taskmanager-gpu.yaml"))
                .exists();
        assertThat(c.toMap().get("kubernetes.pod-template-file.taskmanager"))
                .endsWith("pod-template-taskmanager-gpu.yaml");
    }
}
