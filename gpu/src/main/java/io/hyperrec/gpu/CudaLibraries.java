package io.hyperrec.gpu;

import io.hyperrec.core.kernel.Device;
import io.hyperrec.core.kernel.DeviceException;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.javacpp.Loader;

/**
 * Loads the JavaCPP bindings of the CUDA driver API and runtime, NVRTC and cuBLAS, once per
 * process, turning the linkage errors of a missing native library into a {@link DeviceException}
 * that names it. JavaCPP extracts its JNI libraries from the {@code linux-x86_64} jar; these link
 * against libcuda.so.1 (the driver), libcudart, libnvrtc and libcublas/libcublasLt of the bindings'
 * CUDA major version, found in a {@code cuda-redist} jar on the class path or by the dynamic
 * loader.
 *
 * <p>A class whose static initialiser failed cannot be initialised again, and later attempts only
 * say "Could not initialize class": the first failure is kept and repeated (for any device).
 */
final class CudaLibraries {
    private static boolean loaded;
    private static String failedComponent;
    private static Throwable failure;

    private CudaLibraries() {}

    /**
     * Loads the bindings, or throws a {@link DeviceException} naming what is missing.
     *
     * @param device the device asked for, named in the message
     */
    static synchronized void load(Device device) {
        if (loaded) {
            return;
        }
        if (failure == null) {
            String platform;
            try {
                platform = Loader.getPlatform();
            } catch (LinkageError e) {
                failedComponent = "JavaCPP";
                failure = e;
                throw fail(device);
            }
            if (!platform.equals("linux-x86_64")) {
                throw new DeviceException(CudaMessages.wrongPlatform(device, platform));
            }
            String component = "CUDA driver API and runtime";
            try {
                Loader.load(cudart.class);
                component = "NVRTC";
                Loader.load(nvrtc.class);
                component = "cuBLAS";
                Loader.load(cublas.class);
                loaded = true;
                return;
            } catch (LinkageError e) {
                // UnsatisfiedLinkError, ExceptionInInitializerError, NoClassDefFoundError.
                failedComponent = component;
                failure = e;
            }
        }
        throw fail(device);
    }

    private static DeviceException fail(Device device) {
        return new DeviceException(
                CudaMessages.loadFailure(
                        device, failedComponent, failure, System.getenv("LD_LIBRARY_PATH")),
                failure);
    }
}
