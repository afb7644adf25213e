package io.hyperrec.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DevicesTest {

    /** A provider for CUDA that opens the reference kernels and records what it was asked. */
    private static final class RecordingProvider implements KernelsProvider {
        final List<String> opened = new ArrayList<>();

        @Override
        public boolean supports(Device device) {
            return device.isCuda();
        }

        @Override
        public Kernels open(Device device, boolean deterministic) {
            opened.add(device + (deterministic ? " deterministic" : ""));
            return new ReferenceKernels();
        }
    }

    /** A provider for no device at all. */
    private static final class UselessProvider implements KernelsProvider {
        @Override
        public boolean supports(Device device) {
            return false;
        }

        @Override
        public Kernels open(Device device, boolean deterministic) {
            throw new AssertionError("never called for a device it does not support");
        }
    }

    @Test
    void theCpuOpensTheCpuKernels() {
        try (Kernels k = Devices.open(Device.CPU, false)) {
            assertThat(k).isInstanceOf(CpuKernels.class);
            assertThat(k.name()).isEqualTo("cpu-nd4j-vector");
        }
        try (Kernels k = Devices.open(Device.CPU, true)) {
            assertThat(k.name()).isEqualTo("cpu-nd4j-vector-deterministic");
        }
    }

    @Test
    void cudaInABuildWithoutAProviderSaysSoAndHowToGetIt() {
        // core's class path has no KernelsProvider: this goes through the real ServiceLoader.
        assertThatThrownBy(() -> Devices.open(Device.cuda(1), false))
                .isInstanceOf(DeviceException.class)
                .hasMessageStartingWith(
                        "cuda:1 was asked for, but this build of hyperrec has no CUDA support")
                .hasMessageContaining("mvn -Pcuda -pl app -am package")
                .hasMessageContaining("hyperrec-gpu")
                .hasMessageContaining("docs/gpu.md")
                .hasMessageContaining("or use the device cpu");
    }

    @Test
    void theFirstProviderThatSupportsTheDeviceOpensIt() {
        RecordingProvider cuda = new RecordingProvider();
        RecordingProvider second = new RecordingProvider();
        try (Kernels k =
                Devices.open(Device.cuda(2), true, List.of(new UselessProvider(), cuda, second))) {
            assertThat(k.name()).isEqualTo("reference");
        }
        assertThat(cuda.opened).containsExactly("cuda:2 deterministic");
        assertThat(second.opened).isEmpty();
    }

    @Test
    void providersAreNotAskedForTheCpu() {
        RecordingProvider cuda = new RecordingProvider();
        try (Kernels k = Devices.open(Device.CPU, false, List.of(cuda))) {
            assertThat(k).isInstanceOf(CpuKernels.class);
        }
        assertThat(cuda.opened).isEmpty();
    }

    @Test
    void aProvidersOwnFailureReachesTheCallerUnchanged() {
        DeviceException noDriver = new DeviceException("cuda:0: no NVIDIA driver");
        KernelsProvider failing =
                new KernelsProvider() {
                    @Override
                    public boolean supports(Device device) {
                        return true;
                    }

                    @Override
                    public Kernels open(Device device, boolean deterministic) {
                        throw noDriver;
                    }
                };
        assertThatThrownBy(() -> Devices.open(Device.cuda(0), false, List.of(failing)))
                .isSameAs(noDriver);
    }
}
