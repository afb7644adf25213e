package io.hyperrec.core.kernel;

import io.hyperrec.gpu.CudaEmulation;

/**
 * Runs the kernel contract against the CUDA kernels on a CPU emulation of a GPU: the real CUDA C
 * (compiled with g++ against an emulation of the CUDA execution model) and the real Java around it,
 * without the CUDA driver, NVRTC or cuBLAS. Skipped, with the reason, where g++ is missing.
 */
class EmulatedCudaKernelsContractTest extends KernelsContractTest {
    @Override
    protected Kernels create() {
        return CudaEmulation.openOrSkip(false);
    }
}
