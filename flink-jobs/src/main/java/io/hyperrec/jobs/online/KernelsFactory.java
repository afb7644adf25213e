package io.hyperrec.jobs.online;

import io.hyperrec.core.kernel.Device;
import io.hyperrec.core.kernel.Devices;
import io.hyperrec.core.kernel.Kernels;
import java.io.Serializable;
import java.util.Objects;

/**
 * Creates the kernels a subtask runs its micro-batches on. Part of the job graph, so it is
 * serialisable; each subtask creates its own instance in {@code open()}, so a device that cannot be
 * used fails the job at start-up with a {@link io.hyperrec.core.kernel.DeviceException} naming what
 * is missing.
 */
@FunctionalInterface
public interface KernelsFactory extends Serializable {
    /** New kernels, owned by the caller. */
    Kernels create();

    /**
     * New kernels for one subtask, given the GPUs Flink's external-resource framework assigned to
     * its TaskManager ({@link TaskGpus}). Fixed-device factories ignore them; {@link #auto} uses
     * them.
     *
     * @param gpus the GPU indexes of the TaskManager (empty without GPUs)
     * @param subtask the subtask's index, which picks one of several GPUs
     */
    default Kernels create(java.util.List<Integer> gpus, int subtask) {
        return create();
    }

    /**
     * The kernels of a device: the CPU, or a CUDA GPU where the GPU kernels are on the class path
     * (see {@link Devices}). Every subtask of a TaskManager opens its own kernels on that device.
     *
     * @param deterministic whether results repeat bit for bit across processes (needed for a
     *     restored job to reproduce an uninterrupted one exactly)
     */
    static KernelsFactory of(Device device, boolean deterministic) {
        Objects.requireNonNull(device, "device");
        return () -> Devices.open(device, deterministic);
    }

    /**
     * The GPU where the TaskManager has one, else the CPU: subtask {@code i} of a TaskManager given
     * GPUs {@code g} (Flink's external resource {@code gpu}, deploy/gpu) opens {@code cuda:g[i mod
     * |g|]}; without GPUs, the CPU kernels. A TaskManager that was given a GPU which cannot be used
     * (no GPU build, no driver) fails the job at start-up with the reason, rather than running
     * silently on its CPU.
     *
     * @param deterministic whether results repeat bit for bit across processes
     */
    static KernelsFactory auto(boolean deterministic) {
        return new AutoKernelsFactory(deterministic);
    }

    /**
     * The CPU kernels; {@code of(Device.CPU, deterministic)}.
     *
     * @param deterministic whether results repeat bit for bit across processes
     */
    static KernelsFactory cpu(boolean deterministic) {
        return of(Device.CPU, deterministic);
    }
}
