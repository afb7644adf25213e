package io.hyperrec.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyperrec.core.kernel.Device;
import io.hyperrec.core.kernel.DeviceException;
import io.hyperrec.core.kernel.Devices;
import org.junit.jupiter.api.Test;

/**
 * The behaviour suite on cuda:0, and what only a real device can show: its name, the ordinals there
 * are, running out of memory. Each test is skipped, with the reason, where cuda:0 does not open.
 */
class CudaKernelsGpuTest extends CudaKernelsBehaviourTest {
    @Override
    CudaKernels open(boolean deterministic, long workspaceBudget) {
        return CudaTestDevice.openOrSkip(deterministic, workspaceBudget);
    }

    @Test
    void namesTheDeviceAndWhatItCompiledFor() {
        try (CudaKernels k = open(true)) {
            assertThat(k.name())
                    .matches("cuda-nvrtc-cublas cuda:0 .+ (sm|compute)_\\d+ deterministic");
        }
    }

    @Test
    void anOrdinalBeyondTheDevicesNamesTheDevicesThereAre() {
        open(false).close();
        assertThatThrownBy(() -> Devices.open(Device.cuda(99), false))
                .isInstanceOf(DeviceException.class)
                .hasMessageStartingWith("cuda:99 does not exist: this machine has ")
                .hasMessageContaining("cuda:0 ");
    }

    @Test
    void runningOutOfDeviceMemoryNamesWhatWasAskedAndWhatIsFree() {
        try (CudaKernels k = open(false)) {
            // 2^31 - 9 floats (8 GiB) at a time, until the device is full.
            assertThatThrownBy(
                            () -> {
                                for (int i = 0; i < 1024; i++) {
                                    k.allocate(Integer.MAX_VALUE - 8, 1);
                                }
                            })
                    .isInstanceOf(CudaException.class)
                    .hasMessageContaining(
                            ") is out of memory: a 2147483639x1 matrix needs 8.0 GiB, and ")
                    .hasMessageEndingWith(" are free.");
        }
    }
}
