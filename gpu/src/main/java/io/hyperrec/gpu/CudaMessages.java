package io.hyperrec.gpu;

import io.hyperrec.core.kernel.Device;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.cuda.global.cudart;

/**
 * The messages of the start-up checks: each names the device, what is missing and how to get it.
 * Pure functions of what was found, so that every message is tested without a GPU.
 */
final class CudaMessages {
    /** The CUDA version of the bindings, e.g. 13010 (a constant: reading it loads nothing). */
    static final int CUDA_VERSION = cudart.CUDA_VERSION;

    /** The major CUDA version, which the library sonames carry (libcudart.so.13). */
    static final int CUDA_MAJOR = CUDA_VERSION / 1000;

    /** The JavaCPP CUDA presets version, e.g. 13.1-9.19-1.5.13. */
    static final String PRESET_VERSION;

    /** The JavaCPP version those presets need. */
    static final String JAVACPP_VERSION;

    static {
        Properties p = new Properties();
        try (InputStream in = CudaMessages.class.getResourceAsStream("gpu.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read io/hyperrec/gpu/gpu.properties", e);
        }
        PRESET_VERSION = p.getProperty("cuda.preset.version");
        JAVACPP_VERSION = p.getProperty("javacpp.cuda.version");
    }

    private static final Pattern CANNOT_OPEN =
            Pattern.compile(
                    "(lib[A-Za-z0-9_+\\-]+\\.so(?:\\.[0-9]+)*): cannot open shared object file");

    private CudaMessages() {}

    /** A CUDA version number as the driver API writes it (12080) in the usual form (12.8). */
    static String version(int v) {
        return v / 1000 + "." + (v % 1000) / 10;
    }

    /** A byte count for people: 512 bytes, 3.0 MiB, 139.8 GiB. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static String env(String name, String value) {
        return name + (value == null || value.isEmpty() ? " is unset" : " is '" + value + "'");
    }

    /** The oldest driver branch for a CUDA major version, as NVIDIA's release notes give it. */
    static String driverFor(int cudaMajor) {
        return switch (cudaMajor) {
            case 12 -> "R525 or newer";
            case 13 -> "R580 or newer";
            default -> "one that supports CUDA " + cudaMajor;
        };
    }

    /**
     * The shared library that the dynamic loader could not find, from an {@link
     * UnsatisfiedLinkError} (or an error caused by one), e.g. {@code libcuda.so.1}; null if the
     * error names none.
     */
    static String missingLibrary(Throwable error) {
        List<Throwable> seen = new ArrayList<>();
        List<Throwable> todo = new ArrayList<>(List.of(error));
        while (!todo.isEmpty()) {
            Throwable t = todo.remove(0);
            if (t == null || seen.contains(t)) {
                continue;
            }
            seen.add(t);
            if (t.getMessage() != null) {
                Matcher m = CANNOT_OPEN.matcher(t.getMessage());
                if (m.find()) {
                    return m.group(1);
                }
            }
            todo.add(t.getCause());
            todo.addAll(List.of(t.getSuppressed()));
        }
        return null;
    }

    /**
     * Why the bindings of {@code component} (e.g. "cuBLAS") did not load, and what to do.
     *
     * @param ldLibraryPath the value of LD_LIBRARY_PATH (null if unset)
     */
    static String loadFailure(
            Device device, String component, Throwable error, String ldLibraryPath) {
        String prefix = device + " cannot be used: ";
        String lib = missingLibrary(error);
        String path = env("LD_LIBRARY_PATH", ldLibraryPath);
        if (lib == null) {
            if (error instanceof NoClassDefFoundError
                    && String.valueOf(error.getMessage()).startsWith("org/bytedeco/")) {
                return prefix
                        + "the JavaCPP CUDA bindings are not on the class path (missing class "
                        + error.getMessage()
                        + "). The GPU build brings org.bytedeco:cuda:"
                        + PRESET_VERSION
                        + " (and its linux-x86_64 jar) and org.bytedeco:javacpp:"
                        + JAVACPP_VERSION
                        + "; see docs/gpu.md.";
            }
            return prefix
                    + "the "
                    + component
                    + " bindings could not be loaded ("
                    + error
                    + "); "
                    + path
                    + ". See docs/gpu.md.";
        }
        if (lib.startsWith("libcuda.so")) {
            return prefix
                    + "the NVIDIA driver library "
                    + lib
                    + " was not found: this machine has no NVIDIA driver, or the driver's"
                    + " libraries are not on the loader path ("
                    + path
                    + "). Install an NVIDIA driver that supports CUDA "
                    + CUDA_MAJOR
                    + " ("
                    + driverFor(CUDA_MAJOR)
                    + "), or use the device cpu.";
        }
        if (lib.startsWith("libcublas")) {
            return prefix
                    + "the cuBLAS "
                    + CUDA_MAJOR
                    + " library "
                    + lib
                    + " was not found. Install the CUDA Toolkit "
                    + CUDA_MAJOR
                    + " (or NVIDIA's cuBLAS redistributable for CUDA "
                    + CUDA_MAJOR
                    + ") and put the directory that holds libcublas.so."
                    + CUDA_MAJOR
                    + " and libcublasLt.so."
                    + CUDA_MAJOR
                    + " on LD_LIBRARY_PATH ("
                    + path
                    + "); Maven Central has no cuBLAS "
                    + CUDA_MAJOR
                    + " redistributable. See docs/gpu.md.";
        }
        if (lib.startsWith("libcudart") || lib.startsWith("libnvrtc")) {
            String what = lib.startsWith("libcudart") ? "CUDA runtime" : "NVRTC (runtime compiler)";
            return prefix
                    + "the "
                    + what
                    + " library "
                    + lib
                    + " was not found. Put org.bytedeco:cuda-redist:"
                    + PRESET_VERSION
                    + ":linux-x86_64 on the class path (it carries the CUDA runtime and NVRTC),"
                    + " or install the CUDA Toolkit "
                    + CUDA_MAJOR
                    + " and put its lib64 directory on LD_LIBRARY_PATH ("
                    + path
                    + "). See docs/gpu.md.";
        }
        return prefix
                + "the library "
                + lib
                + ", which the "
                + component
                + " bindings need, was not found ("
                + path
                + "). See docs/gpu.md.";
    }

    /** The bindings exist for linux-x86_64 only. */
    static String wrongPlatform(Device device, String platform) {
        return device
                + " cannot be used: the GPU build carries the CUDA bindings for linux-x86_64 only,"
                + " and this is "
                + platform
                + ".";
    }

    /** cuInit failed. */
    static String initFailed(Device device, String errorName, int code, String visibleDevices) {
        if ("CUDA_ERROR_NO_DEVICE".equals(errorName)) {
            return noDevice(device, visibleDevices);
        }
        return device
                + " cannot be used: the NVIDIA driver failed to start (cuInit: "
                + errorName
                + " ("
                + code
                + ")); "
                + env("CUDA_VISIBLE_DEVICES", visibleDevices)
                + ".";
    }

    /** The driver supports an older CUDA than the bindings. */
    static String driverTooOld(Device device, int driverVersion) {
        return device
                + " cannot be used: the NVIDIA driver supports CUDA up to "
                + version(driverVersion)
                + ", and this build's CUDA libraries are "
                + version(CUDA_VERSION)
                + " (org.bytedeco:cuda:"
                + PRESET_VERSION
                + "). Update the driver to "
                + driverFor(CUDA_MAJOR)
                + ".";
    }

    /** The driver works and sees no device. */
    static String noDevice(Device device, String visibleDevices) {
        return device
                + " cannot be used: the NVIDIA driver reports no CUDA device ("
                + env("CUDA_VISIBLE_DEVICES", visibleDevices)
                + ").";
    }

    /** The ordinal is out of range; {@code names} are the devices there are, by ordinal. */
    static String noSuchDevice(Device device, List<String> names, String visibleDevices) {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            list.append(i == 0 ? "" : ", ")
                    .append("cuda:")
                    .append(i)
                    .append(' ')
                    .append(names.get(i));
        }
        return device
                + " does not exist: this machine has "
                + names.size()
                + (names.size() == 1 ? " CUDA device (" : " CUDA devices (")
                + list
                + "); "
                + env("CUDA_VISIBLE_DEVICES", visibleDevices)
                + ".";
    }

    /** The device is older than every architecture NVRTC compiles for. */
    static String archTooOld(
            Device device, String name, int computeCapability, int oldest, String nvrtcVersion) {
        return device
                + " cannot be used: "
                + name
                + " has compute capability "
                + computeCapability / 10
                + "."
                + computeCapability % 10
                + ", older than the oldest architecture NVRTC "
                + nvrtcVersion
                + " compiles for (sm_"
                + oldest
                + ").";
    }

    /** A device allocation failed for lack of memory. */
    static String outOfMemory(
            Device device, String name, String what, long bytes, long free, long total) {
        return device
                + " ("
                + name
                + ") is out of memory: "
                + what
                + " needs "
                + bytes(bytes)
                + ", and "
                + bytes(free)
                + " of "
                + bytes(total)
                + " are free.";
    }

    /** A library call failed after start-up. */
    static String callFailed(Device device, String call, String errorName, int code) {
        return device + ": " + call + " failed: " + errorName + " (" + code + ")";
    }
}
