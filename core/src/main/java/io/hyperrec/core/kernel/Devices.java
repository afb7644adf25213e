package io.hyperrec.core.kernel;

import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Opens the kernels of a {@link Device}: {@link CpuKernels} for the CPU, and for any other device
 * the first {@link KernelsProvider} on the class path that supports it (the {@code hyperrec-gpu}
 * module for CUDA). Failures are {@link DeviceException}s whose message names what is missing.
 */
public final class Devices {
    /** How to get CUDA support, for the message of a build without it. */
    static final String HOW_TO_GET_CUDA =
            "Build the GPU jar with the Maven profile cuda: mvn -Pcuda -pl app -am package"
                    + " -DskipTests (it adds the hyperrec-gpu module; see docs/gpu.md), or use the"
                    + " device cpu.";

    private Devices() {}

    /**
     * Opens kernels on {@code device}; the caller closes them.
     *
     * @param deterministic whether results must repeat bit for bit across runs (see {@link
     *     CpuKernels#CpuKernels(boolean)}; a provider documents what it guarantees)
     * @throws DeviceException if this build has no support for the device, or the device cannot be
     *     used
     */
    public static Kernels open(Device device, boolean deterministic) {
        if (device.kind() == Device.Kind.CPU) {
            return new CpuKernels(deterministic);
        }
        ServiceLoader<KernelsProvider> providers;
        try {
            providers = ServiceLoader.load(KernelsProvider.class, Devices.class.getClassLoader());
            return open(device, deterministic, providers);
        } catch (ServiceConfigurationError e) {
            throw new DeviceException(
                    device
                            + ": a kernels provider on the class path cannot be loaded: "
                            + e.getMessage(),
                    e);
        }
    }

    /** Opens kernels with the first of {@code providers} that supports {@code device}. */
    static Kernels open(Device device, boolean deterministic, Iterable<KernelsProvider> providers) {
        if (device.kind() == Device.Kind.CPU) {
            return new CpuKernels(deterministic);
        }
        for (KernelsProvider p : providers) {
            if (p.supports(device)) {
                return p.open(device, deterministic);
            }
        }
        throw new DeviceException(
                device
                        + " was asked for, but this build of hyperrec has no "
                        + device.kind()
                        + " support (no "
                        + KernelsProvider.class.getName()
                        + " for it on the class path). "
                        + HOW_TO_GET_CUDA);
    }
}
