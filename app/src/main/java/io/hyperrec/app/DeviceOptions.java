package io.hyperrec.app;

import io.hyperrec.core.kernel.Device;
import io.hyperrec.core.kernel.Devices;
import io.hyperrec.core.kernel.Kernels;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Where a training command's kernels run ({@code train}, {@code phase1}). */
final class DeviceOptions {
    @Option(
            names = "--device",
            defaultValue = "cpu",
            paramLabel = "cpu|cuda[:N]",
            converter = DeviceConverter.class,
            description =
                    "Where the kernels run: cpu, or cuda[:N] for the N-th NVIDIA GPU (0 if N is left out; needs the GPU build, docs/gpu.md). Default: ${DEFAULT-VALUE}.")
    Device device;

    /** Parses {@code --device} values, with {@link Device#parse}'s message on a bad one. */
    static final class DeviceConverter implements ITypeConverter<Device> {
        @Override
        public Device convert(String value) {
            try {
                return Device.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * Opens the kernels on the device; the caller closes them.
     *
     * @throws io.hyperrec.core.kernel.DeviceException naming what is missing (e.g. CUDA support in
     *     this build, the driver, the device)
     */
    Kernels open(boolean deterministic) {
        return Devices.open(device, deterministic);
    }
}
