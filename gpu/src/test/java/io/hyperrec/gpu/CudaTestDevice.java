package io.hyperrec.gpu;

import io.hyperrec.core.kernel.Device;
import io.hyperrec.core.kernel.DeviceException;
import io.hyperrec.core.kernel.Devices;
import io.hyperrec.core.kernel.Kernels;
import org.opentest4j.TestAbortedException;

/**
 * Opens cuda:0 for a GPU test, or skips the test with the reason (also printed once per test JVM,
 * so that a build log says why the GPU tests did not run).
 */
public final class CudaTestDevice {
    private static boolean reported;

    private CudaTestDevice() {}

    /** Kernels on cuda:0 opened as the application opens them (service loader), or a skip. */
    public static Kernels openOrSkip(boolean deterministic) {
        try {
            return Devices.open(Device.cuda(0), deterministic);
        } catch (DeviceException e) {
            throw skip(e);
        }
    }

    /** {@link CudaKernels} on cuda:0 with a working-buffer budget, or a skip. */
    static CudaKernels openOrSkip(boolean deterministic, long workspaceBudget) {
        try {
            return CudaKernels.open(Device.cuda(0), deterministic, workspaceBudget);
        } catch (DeviceException e) {
            throw skip(e);
        }
    }

    private static synchronized TestAbortedException skip(DeviceException e) {
        String reason = "GPU test skipped, no usable CUDA device: " + e.getMessage();
        if (!reported) {
            reported = true;
            System.out.println(reason);
        }
        return new TestAbortedException(reason);
    }
}
