package io.hyperrec.core.kernel;

import io.hyperrec.gpu.CudaTestDevice;

/**
 * Runs the kernel contract against the CUDA kernels in deterministic mode (the margin loss's
 * gradient gathered per row instead of added with atomics); skipped where no CUDA device opens.
 */
class DeterministicCudaKernelsContractTest extends KernelsContractTest {
    @Override
    protected Kernels create() {
        return CudaTestDevice.openOrSkip(true);
    }
}
