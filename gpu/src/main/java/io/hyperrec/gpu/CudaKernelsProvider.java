package io.hyperrec.gpu;

import io.hyperrec.core.kernel.Device;
import io.hyperrec.core.kernel.Kernels;
import io.hyperrec.core.kernel.KernelsProvider;

/**
 * Registers {@link CudaKernels} for {@code cuda:N} devices with {@link
 * io.hyperrec.core.kernel.Devices} (through {@code META-INF/services}). Instantiating it loads
 * nothing native; {@link #open} does.
 */
public final class CudaKernelsProvider implements KernelsProvider {

    /** The provider, as the service loader creates it. */
    public CudaKernelsProvider() {}

    @Override
    public boolean supports(Device device) {
        return device.isCuda();
    }

    @Override
    public Kernels open(Device device, boolean deterministic) {
        return CudaKernels.open(device, deterministic);
    }
}
