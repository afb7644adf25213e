package io.hyperrec.jobs.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyperrec.core.kernel.Device;
import io.hyperrec.core.kernel.DeviceException;
import io.hyperrec.core.kernel.Kernels;
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
}
