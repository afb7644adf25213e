package io.hyperrec.gpu;

import io.hyperrec.core.kernel.Kernels;

/** {@link CudaKernels} on the CPU emulation of a GPU, for the contract suite's package. */
public final class CudaEmulation {
    private CudaEmulation() {}

    /** Emulated CUDA kernels, or a skip where the emulator cannot be built (no g++). */
    public static Kernels openOrSkip(boolean deterministic) {
        return new CudaKernels(
                EmulatedGpu.openOrSkip(), deterministic, CudaKernels.DEFAULT_WORKSPACE_BUDGET);
    }
}
