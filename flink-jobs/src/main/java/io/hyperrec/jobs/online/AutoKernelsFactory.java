package io.hyperrec.jobs.online;

import io.hyperrec.core.kernel.Device;
import io.hyperrec.core.kernel.Devices;
import io.hyperrec.core.kernel.Kernels;
import java.util.List;

/** {@link KernelsFactory#auto}: the TaskManager's GPU when it has one, else the CPU. */
record AutoKernelsFactory(boolean deterministic) implements KernelsFactory {
    private static final long serialVersionUID = 1L;

    /** Without knowing the TaskManager's GPUs: the CPU. */
    @Override
    public Kernels create() {
        return Devices.open(Device.CPU, deterministic);
    }

    @Override
    public Kernels create(List<Integer> gpus, int subtask) {
        if (gpus.isEmpty()) {
            return create();
        }
        return Devices.open(
                Device.cuda(gpus.get(Math.floorMod(subtask, gpus.size()))), deterministic);
    }
}
