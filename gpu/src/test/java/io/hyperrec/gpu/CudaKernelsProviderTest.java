package io.hyperrec.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.hyperrec.core.kernel.Device;
import io.hyperrec.core.kernel.DeviceException;
import io.hyperrec.core.kernel.Devices;
import io.hyperrec.core.kernel.Kernels;
import io.hyperrec.core.kernel.KernelsProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The provider's registration, and what opening a GPU does on a machine that cannot. */
class CudaKernelsProviderTest {

    /** Whether cuda:0 opens here (then the failure tests do not apply). */
    private static boolean cudaOpens() {
        try (Kernels k = Devices.open(Device.cuda(0), false)) {
            return true;
        } catch (DeviceException e) {
            return false;
        }
    }

    @Test
    void theServiceLoaderFindsTheProviderForCudaOnly() {
        List<KernelsProvider> found = new ArrayList<>();
        ServiceLoader.load(KernelsProvider.class).forEach(found::add);
        assertThat(found).hasSize(1).first().isInstanceOf(CudaKernelsProvider.class);
        assertThat(found.get(0).supports(Device.cuda(3))).isTrue();
        assertThat(found.get(0).supports(Device.CPU)).isFalse();
    }

    @Test
    void withoutAUsableGpuOpeningCudaFailsWithAMessageNotACrash() {
        assumeFalse(cudaOpens(), "cuda:0 opens on this machine");
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> Devices.open(Device.cuda(0), false))
                    .isInstanceOf(DeviceException.class)
                    .hasMessageStartingWith("cuda:0 cannot be used: ")
                    .hasMessageNotContaining("no CUDA support");
        }
    }

    @Test
    void withoutAnNvidiaDriverTheMessageNamesTheDriverLibrary() {
        assumeFalse(
                Files.exists(Path.of("/proc/driver/nvidia/version")),
                "an NVIDIA driver is installed on this machine");
        String ld = System.getenv("LD_LIBRARY_PATH");
        String path =
                ld == null || ld.isEmpty()
                        ? "LD_LIBRARY_PATH is unset"
                        : "LD_LIBRARY_PATH is '" + ld + "'";
        // The first failure is kept and repeated, for any device asked for later.
        for (Device d : new Device[] {Device.cuda(0), Device.cuda(1)}) {
            assertThatThrownBy(() -> CudaKernels.open(d, false))
                    .isInstanceOf(DeviceException.class)
                    .hasMessage(
                            d
                                    + " cannot be used: the NVIDIA driver library libcuda.so.1"
                                    + " was not found: this machine has no NVIDIA driver, or the"
                                    + " driver's libraries are not on the loader path ("
                                    + path
                                    + "). Install an NVIDIA driver that supports CUDA 13 (R580 or"
                                    + " newer), or use the device cpu.")
                    .hasCauseInstanceOf(LinkageError.class);
        }
    }
}
