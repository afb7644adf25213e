package io.hyperrec.jobs.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyperrec.core.kernel.Device;
import io.hyperrec.core.kernel.DeviceException;
import io.hyperrec.core.kernel.Kernels;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/** The factory travels in the job graph and opens its device in each subtask. */
class KernelsFactoryTest {
    private static KernelsFactory roundTrip(KernelsFactory f) throws Exception {
        return InstantiationUtil.clone(f, KernelsFactoryTest.class.getClassLoader());
    }

    @Test
    void theCpuFactoryOpensTheCpuKernelsAfterTravellingInTheJobGraph() throws Exception {
        try (Kernels k = roundTrip(KernelsFactory.of(Device.CPU, true)).create()) {
            assertThat(k.name()).isEqualTo("cpu-nd4j-vector-deterministic");
        }
        try (Kernels k = roundTrip(KernelsFactory.cpu(false)).create()) {
            assertThat(k.name()).isEqualTo("cpu-nd4j-vector");
        }
    }

    @Test
    void aCudaFactoryTravelsAndFailsOnlyWhenASubtaskOpensIt() throws Exception {
        KernelsFactory f = roundTrip(KernelsFactory.of(Device.parse("cuda:1"), false));
        // flink-jobs has no GPU kernels on its class path.
        assertThatThrownBy(f::create)
                .isInstanceOf(DeviceException.class)
                .hasMessageStartingWith(
                        "cuda:1 was asked for, but this build of hyperrec has no CUDA support");
    }

    @Test
    void aMissingDeviceIsRefusedAtOnce() {
        assertThatThrownBy(() -> KernelsFactory.of(null, false))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("device");
    }

    private static ExternalResourceInfo gpu(String index) {
        return new ExternalResourceInfo() {
            @Override
            public Optional<String> getProperty(String key) {
                return key.equals("index") ? Optional.ofNullable(index) : Optional.empty();
            }

            @Override
            public Collection<String> getKeys() {
                return index == null ? List.of() : List.of("index");
            }
        };
    }

    @Test
    void autoRunsOnTheCpuWithoutGpusAndOnTheSubtasksGpuWithThem() throws Exception {
        KernelsFactory f = roundTrip(KernelsFactory.auto(true));
        try (Kernels k = f.create(List.of(), 3)) {
            assertThat(k.name()).isEqualTo("cpu-nd4j-vector-deterministic");
        }
        // Subtask 3 of a TaskManager with GPUs 0 and 2 takes GPU 2; here that GPU cannot be used,
        // and the job says so instead of running on the CPU.
        assertThatThrownBy(() -> f.create(List.of(0, 2), 3))
                .isInstanceOf(DeviceException.class)
                .hasMessageStartingWith("cuda:2 was asked for");
        assertThatThrownBy(() -> f.create(List.of(0, 2), 4))
                .hasMessageStartingWith("cuda:0 was asked for");
        // A fixed device ignores the TaskManager's GPUs.
        try (Kernels k = KernelsFactory.cpu(false).create(List.of(0), 0)) {
            assertThat(k.name()).isEqualTo("cpu-nd4j-vector");
        }
    }

    @Test
    void theTaskManagersGpuIndexesAreReadFromItsExternalResources() {
        assertThat(TaskGpus.indexes(List.of(gpu("3"), gpu(" 1 "), gpu(null))))
                .containsExactly(1, 3);
        assertThat(TaskGpus.indexes(List.of())).isEmpty();
        assertThatThrownBy(() -> TaskGpus.indexes(List.of(gpu("GPU-5f1c"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("index 'GPU-5f1c', expected a number");
    }
}
