package io.hyperrec.core.kernel;

import io.hyperrec.gpu.CudaEmulation;

/**
 * The kernel contract on the emulated GPU in deterministic mode (see the non-deterministic one).
 */
class EmulatedDeterministicCudaKernelsContractTest extends KernelsContractTest {
    @Override
    protected Kernels create() {
        return CudaEmulation.openOrSkip(true);
    }
}
