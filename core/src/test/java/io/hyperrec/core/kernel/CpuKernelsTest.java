package io.hyperrec.core.kernel;

/** Runs the kernel contract against the default CPU kernels. */
class CpuKernelsTest extends KernelsContractTest {
    @Override
    protected Kernels create() {
        return new CpuKernels();
    }
}
