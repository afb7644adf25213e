package io.hyperrec.core.kernel;

import io.hyperrec.gpu.CudaTestDevice;

/**
 * Runs the kernel contract against the CUDA kernels on cuda:0, opened the way the application opens
 * them (through {@link Devices} and the service loader). Each test is skipped, with the reason,
 * where no CUDA device can be opened.
 */
class CudaKernelsContractTest extends KernelsContractTest {
    @Override
    protected Kernels create() {
        return CudaTestDevice.openOrSkip(false);
    }
}
