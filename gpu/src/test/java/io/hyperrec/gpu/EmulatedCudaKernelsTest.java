package io.hyperrec.gpu;

/**
 * The behaviour suite on the CPU emulation of a GPU ({@link EmulatedGpu}): hyperrec's CUDA C and
 * the Java around it, without the CUDA libraries. Skipped, with the reason, where g++ is missing.
 */
class EmulatedCudaKernelsTest extends CudaKernelsBehaviourTest {
    @Override
    CudaKernels open(boolean deterministic, long workspaceBudget) {
        return new CudaKernels(EmulatedGpu.openOrSkip(), deterministic, workspaceBudget);
    }
}
