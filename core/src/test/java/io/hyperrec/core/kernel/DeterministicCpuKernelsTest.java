package io.hyperrec.core.kernel;

/** Runs the kernel contract against the CPU kernels in deterministic mode. */
class DeterministicCpuKernelsTest extends KernelsContractTest {
    @Override
    protected Kernels create() {
        return new CpuKernels(true);
    }
}
