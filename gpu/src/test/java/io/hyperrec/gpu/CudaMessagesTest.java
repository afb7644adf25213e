package io.hyperrec.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyperrec.core.kernel.Device;
import java.util.List;
import org.junit.jupiter.api.Test;

class CudaMessagesTest {
    private static final Device GPU0 = Device.cuda(0);

    /** The error JavaCPP throws when a JNI library's dependency is missing (as seen here). */
    private static UnsatisfiedLinkError linkError(String jni, String missing) {
        UnsatisfiedLinkError top =
                new UnsatisfiedLinkError("no " + jni + " in java.library.path: /usr/lib");
        top.initCause(
                new UnsatisfiedLinkError(
                        "/root/.javacpp/cache/cuda-13.1-9.19-1.5.13-linux-x86_64.jar/org/bytedeco/cuda/linux-x86_64/lib"
                                + jni
                                + ".so: "
                                + missing
                                + ": cannot open shared object file: No such file or directory"));
        return top;
    }

    @Test
    void theBindingsAreCuda13AndTheBuildNamesTheirArtifacts() {
        assertThat(CudaMessages.CUDA_MAJOR).isEqualTo(13);
        assertThat(CudaMessages.version(CudaMessages.CUDA_VERSION)).isEqualTo("13.1");
        assertThat(CudaMessages.PRESET_VERSION).isEqualTo("13.1-9.19-1.5.13");
        assertThat(CudaMessages.JAVACPP_VERSION).isEqualTo("1.5.13");
    }

    @Test
    void findsTheMissingLibraryInTheCauseOfALinkError() {
        assertThat(CudaMessages.missingLibrary(linkError("jnicudart", "libcuda.so.1")))
                .isEqualTo("libcuda.so.1");
        assertThat(CudaMessages.missingLibrary(linkError("jnicublas", "libcublasLt.so.13")))
                .isEqualTo("libcublasLt.so.13");
        ExceptionInInitializerError wrapped =
                new ExceptionInInitializerError(linkError("jninvrtc", "libnvrtc-builtins.so.13.1"));
        assertThat(CudaMessages.missingLibrary(wrapped)).isEqualTo("libnvrtc-builtins.so.13.1");
        assertThat(CudaMessages.missingLibrary(new UnsatisfiedLinkError("no jnicudart"))).isNull();
    }

    @Test
    void aMissingDriverIsNamedWithWhatToInstall() {
        assertThat(
                        CudaMessages.loadFailure(
                                GPU0,
                                "CUDA driver API and runtime",
                                linkError("jnicudart", "libcuda.so.1"),
                                null))
                .isEqualTo(
                        "cuda:0 cannot be used: the NVIDIA driver library libcuda.so.1 was not"
                                + " found: this machine has no NVIDIA driver, or the driver's"
                                + " libraries are not on the loader path (LD_LIBRARY_PATH is"
                                + " unset). Install an NVIDIA driver that supports CUDA 13 (R580"
                                + " or newer), or use the device cpu.");
    }

    @Test
    void aMissingRuntimeOrNvrtcPointsToTheRedistJarAndTheToolkit() {
        String m =
                CudaMessages.loadFailure(
                        GPU0,
                        "CUDA driver API and runtime",
                        linkError("jnicudart", "libcudart.so.13"),
                        "/opt/x");
        assertThat(m)
                .startsWith(
                        "cuda:0 cannot be used: the CUDA runtime library libcudart.so.13 was not"
                                + " found.")
                .contains("org.bytedeco:cuda-redist:13.1-9.19-1.5.13:linux-x86_64")
                .contains("CUDA Toolkit 13")
                .contains("LD_LIBRARY_PATH is '/opt/x'");
        assertThat(
                        CudaMessages.loadFailure(
                                GPU0, "NVRTC", linkError("jninvrtc", "libnvrtc.so.13"), null))
                .startsWith(
                        "cuda:0 cannot be used: the NVRTC (runtime compiler) library"
                                + " libnvrtc.so.13 was not found.");
    }

    @Test
    void aMissingCublasSaysMavenCentralHasNoneAndWhereToPutIt() {
        String m =
                CudaMessages.loadFailure(
                        Device.cuda(1), "cuBLAS", linkError("jnicublas", "libcublas.so.13"), "");
        assertThat(m)
                .startsWith(
                        "cuda:1 cannot be used: the cuBLAS 13 library libcublas.so.13 was not"
                                + " found.")
                .contains("libcublas.so.13 and libcublasLt.so.13 on LD_LIBRARY_PATH")
                .contains("LD_LIBRARY_PATH is unset")
                .contains("Maven Central has no cuBLAS 13 redistributable");
    }

    @Test
    void missingBindingJarsAndUnknownFailuresAreNamedToo() {
        assertThat(
                        CudaMessages.loadFailure(
                                GPU0,
                                "JavaCPP",
                                new NoClassDefFoundError("org/bytedeco/javacpp/Loader"),
                                null))
                .startsWith(
                        "cuda:0 cannot be used: the JavaCPP CUDA bindings are not on the class"
                                + " path (missing class org/bytedeco/javacpp/Loader).")
                .contains("org.bytedeco:cuda:13.1-9.19-1.5.13")
                .contains("org.bytedeco:javacpp:1.5.13");
        assertThat(
                        CudaMessages.loadFailure(
                                GPU0, "cuBLAS", linkError("jnicublas", "libfoo.so.2"), null))
                .startsWith(
                        "cuda:0 cannot be used: the library libfoo.so.2, which the cuBLAS"
                                + " bindings need, was not found");
        assertThat(CudaMessages.loadFailure(GPU0, "NVRTC", new UnsatisfiedLinkError("weird"), null))
                .startsWith(
                        "cuda:0 cannot be used: the NVRTC bindings could not be loaded"
                                + " (java.lang.UnsatisfiedLinkError: weird)");
    }

    @Test
    void driverDeviceAndMemoryProblemsNameTheValues() {
        assertThat(CudaMessages.wrongPlatform(GPU0, "macosx-arm64"))
                .isEqualTo(
                        "cuda:0 cannot be used: the GPU build carries the CUDA bindings for"
                                + " linux-x86_64 only, and this is macosx-arm64.");
        assertThat(CudaMessages.initFailed(GPU0, "CUDA_ERROR_NO_DEVICE", 100, "7"))
                .isEqualTo(
                        "cuda:0 cannot be used: the NVIDIA driver reports no CUDA device"
                                + " (CUDA_VISIBLE_DEVICES is '7').");
        assertThat(CudaMessages.initFailed(GPU0, "CUDA_ERROR_UNKNOWN", 999, null))
                .isEqualTo(
                        "cuda:0 cannot be used: the NVIDIA driver failed to start (cuInit:"
                                + " CUDA_ERROR_UNKNOWN (999)); CUDA_VISIBLE_DEVICES is unset.");
        assertThat(CudaMessages.driverTooOld(GPU0, 12080))
                .isEqualTo(
                        "cuda:0 cannot be used: the NVIDIA driver supports CUDA up to 12.8, and"
                                + " this build's CUDA libraries are 13.1"
                                + " (org.bytedeco:cuda:13.1-9.19-1.5.13). Update the driver to"
                                + " R580 or newer.");
        assertThat(
                        CudaMessages.noSuchDevice(
                                Device.cuda(2), List.of("NVIDIA H200", "NVIDIA H200"), null))
                .isEqualTo(
                        "cuda:2 does not exist: this machine has 2 CUDA devices (cuda:0 NVIDIA"
                                + " H200, cuda:1 NVIDIA H200); CUDA_VISIBLE_DEVICES is unset.");
        assertThat(CudaMessages.noSuchDevice(Device.cuda(1), List.of("NVIDIA L4"), "0"))
                .isEqualTo(
                        "cuda:1 does not exist: this machine has 1 CUDA device (cuda:0 NVIDIA"
                                + " L4); CUDA_VISIBLE_DEVICES is '0'.");
        assertThat(CudaMessages.archTooOld(GPU0, "Tesla V100-SXM2-16GB", 70, 75, "13.1"))
                .isEqualTo(
                        "cuda:0 cannot be used: Tesla V100-SXM2-16GB has compute capability 7.0,"
                                + " older than the oldest architecture NVRTC 13.1 compiles for"
                                + " (sm_75).");
        assertThat(
                        CudaMessages.outOfMemory(
                                GPU0,
                                "NVIDIA H200",
                                "a 100000x50 matrix",
                                20_000_000L,
                                3L << 20,
                                150_000_000_000L))
                .isEqualTo(
                        "cuda:0 (NVIDIA H200) is out of memory: a 100000x50 matrix needs 19.1"
                                + " MiB, and 3.0 MiB of 139.7 GiB are free.");
        assertThat(
                        CudaMessages.callFailed(
                                GPU0, "cuStreamSynchronize", "CUDA_ERROR_ILLEGAL_ADDRESS", 700))
                .isEqualTo("cuda:0: cuStreamSynchronize failed: CUDA_ERROR_ILLEGAL_ADDRESS (700)");
    }

    @Test
    void formatsBytesAndVersionsForPeople() {
        assertThat(CudaMessages.bytes(512)).isEqualTo("512 bytes");
        assertThat(CudaMessages.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(CudaMessages.bytes(3L << 30)).isEqualTo("3.0 GiB");
        assertThat(CudaMessages.version(12040)).isEqualTo("12.4");
        assertThat(CudaMessages.driverFor(12)).isEqualTo("R525 or newer");
        assertThat(CudaMessages.driverFor(14)).isEqualTo("one that supports CUDA 14");
    }
}
