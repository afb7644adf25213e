package io.hyperrec.jobs.online;

import io.hyperrec.core.kernel.CpuKernels;
import io.hyperrec.core.kernel.Kernels;
import java.io.Serializable;

/**
 * Creates the kernels a subtask runs its micro-batches on. Part of the job graph, so it is
 * serialisable; each subtask creates its own instance in {@code open()}. The GPU implementation
 * plugs in here.
 */
@FunctionalInterface
public interface KernelsFactory extends Serializable {
    /** New kernels, owned by the caller. */
    Kernels create();

    /**
     * The CPU kernels.
     *
     * @param deterministic whether results repeat bit for bit across processes (needed for a
     *     restored job to reproduce an uninterrupted one exactly)
     */
    static KernelsFactory cpu(boolean deterministic) {
        return () -> new CpuKernels(deterministic);
    }
}
