package io.hyperrec.gpu;

import static org.bytedeco.cuda.global.nvrtc.NVRTC_SUCCESS;
import static org.bytedeco.cuda.global.nvrtc.nvrtcCompileProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcCreateProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcDestroyProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetCUBIN;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetCUBINSize;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetErrorString;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetNumSupportedArchs;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetPTX;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetPTXSize;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetProgramLog;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetProgramLogSize;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetSupportedArchs;
import static org.bytedeco.cuda.global.nvrtc.nvrtcVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * Compiles {@code hyperrec_kernels.cu} with NVRTC for one GPU architecture: machine code (CUBIN)
 * for {@code sm_XY} when NVRTC knows the device's compute capability X.Y, otherwise PTX for the
 * newest architecture it knows below it, which the driver compiles when it loads the module. Images
 * are cached per architecture for the life of the process (every subtask of a job opens its own
 * kernels). Needs the bindings loaded ({@link CudaLibraries}); no device is needed to compile.
 */
final class Nvrtc {
    /** The kernels' source, a resource of this package. */
    static final String SOURCE_NAME = "hyperrec_kernels.cu";

    private static final Map<String, Image> CACHE = new ConcurrentHashMap<>();

    private Nvrtc() {}

    /**
     * A compiled module.
     *
     * @param target the architecture option it was compiled with, e.g. {@code sm_90}
     * @param bytes the CUBIN, or the NUL-terminated PTX text
     * @param cubin whether {@code bytes} is machine code
     */
    record Image(String target, byte[] bytes, boolean cubin) {}

    /** NVRTC's version, e.g. "13.1". */
    static String version() {
        int[] major = {0};
        int[] minor = {0};
        check(nvrtcVersion(major, minor), "nvrtcVersion");
        return major[0] + "." + minor[0];
    }

    /** The architectures NVRTC compiles for, as compute capabilities ×10 (75, 80, ..., 90, ...). */
    static int[] supportedArchitectures() {
        int[] n = {0};
        check(nvrtcGetNumSupportedArchs(n), "nvrtcGetNumSupportedArchs");
        int[] archs = new int[n[0]];
        check(nvrtcGetSupportedArchs(archs), "nvrtcGetSupportedArchs");
        Arrays.sort(archs);
        return archs;
    }

    /**
     * The target for a device of compute capability {@code cc} (×10): {@code sm_cc} if supported,
     * else {@code compute_s} for the newest supported s below cc; null if cc is older than all.
     */
    static String target(int cc, int[] supported) {
        int best = -1;
        for (int s : supported) {
            if (s == cc) {
                return "sm_" + cc;
            }
            if (s < cc && s > best) {
                best = s;
            }
        }
        return best < 0 ? null : "compute_" + best;
    }

    /** The kernels' source text. */
    static String source() {
        try (InputStream in = Nvrtc.class.getResourceAsStream(SOURCE_NAME)) {
            if (in == null) {
                throw new IllegalStateException(
                        "resource io/hyperrec/gpu/" + SOURCE_NAME + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read io/hyperrec/gpu/" + SOURCE_NAME, e);
        }
    }

    /** The compiled kernels for {@code target} (see {@link #target}), from the cache if there. */
    static Image image(String target) {
        return CACHE.computeIfAbsent(target, t -> compile(source(), t));
    }

    /**
     * Compiles {@code source} for {@code target}.
     *
     * @throws CudaException with NVRTC's log if the source does not compile
     */
    static Image compile(String source, String target) {
        _nvrtcProgram prog = new _nvrtcProgram();
        check(
                nvrtcCreateProgram(
                        prog,
                        new BytePointer(source),
                        new BytePointer(SOURCE_NAME),
                        0,
                        (PointerPointer<?>) null,
                        (PointerPointer<?>) null),
                "nvrtcCreateProgram");
        try {
            // --fmad=false: a*b+c rounds twice, as in Java, so the kernels repeat the reference.
            String[] options = {
                "--gpu-architecture=" + target, "--std=c++17", "--fmad=false",
            };
            int r = nvrtcCompileProgram(prog, options.length, new PointerPointer<>(options));
            if (r != NVRTC_SUCCESS) {
                throw new CudaException(
                        "NVRTC "
                                + version()
                                + " could not compile "
                                + SOURCE_NAME
                                + " for "
                                + target
                                + ": "
                                + nvrtcGetErrorString(r).getString()
                                + "\n"
                                + log(prog),
                        r);
            }
            boolean cubin = target.startsWith("sm_");
            SizeTPointer size = new SizeTPointer(1);
            check(
                    cubin ? nvrtcGetCUBINSize(prog, size) : nvrtcGetPTXSize(prog, size),
                    "nvrtcGetCUBINSize");
            byte[] bytes = new byte[(int) size.get()];
            check(cubin ? nvrtcGetCUBIN(prog, bytes) : nvrtcGetPTX(prog, bytes), "nvrtcGetCUBIN");
            return new Image(target, bytes, cubin);
        } finally {
            nvrtcDestroyProgram(prog);
        }
    }

    private static String log(_nvrtcProgram prog) {
        SizeTPointer size = new SizeTPointer(1);
        if (nvrtcGetProgramLogSize(prog, size) != NVRTC_SUCCESS) {
            return "(no log)";
        }
        byte[] log = new byte[(int) size.get()];
        nvrtcGetProgramLog(prog, log);
        return new String(log, StandardCharsets.UTF_8).trim();
    }

    private static void check(int result, String call) {
        if (result != NVRTC_SUCCESS) {
            throw new CudaException(
                    call
                            + " failed: "
                            + nvrtcGetErrorString(result).getString()
                            + " ("
                            + result
                            + ")",
                    result);
        }
    }
}
