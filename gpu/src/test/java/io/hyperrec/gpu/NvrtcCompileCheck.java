package io.hyperrec.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compiles {@code hyperrec_kernels.cu} with NVRTC for the architectures of current NVIDIA GPUs,
 * without a GPU. Opt-in ({@code mvn -Pnvrtc-check -pl gpu -am verify}): it needs the 362 MB {@code
 * cuda-redist} jar for libnvrtc, and runs in a JVM of its own because, where no NVIDIA driver is
 * installed, it first loads a stand-in libcuda.so.1 without symbols (built here with {@code cc}),
 * so that the bindings (whose JNI library links against the driver) load at all. Nothing calls into
 * the stand-in.
 */
class NvrtcCompileCheck {
    /** Turing, Ampere (A100, A10/RTX 30), Ada (L4, RTX 40), Hopper (H100/H200), Blackwell. */
    private static final int[] ARCHITECTURES = {75, 80, 86, 89, 90, 100, 120};

    @BeforeAll
    static void loadNvrtc() throws IOException, InterruptedException {
        String nvrtc = "org/bytedeco/cuda/linux-x86_64/libnvrtc.so." + CudaMessages.CUDA_MAJOR;
        if (NvrtcCompileCheck.class.getClassLoader().getResource(nvrtc) == null) {
            Assumptions.abort(
                    "NVRTC is not on the class path: run with -Pnvrtc-check (the cuda-redist jar)");
        }
        if (!Files.exists(Path.of("/proc/driver/nvidia/version"))) {
            Path dir = Files.createTempDirectory("hyperrec-libcuda-stand-in");
            Path src = Files.writeString(dir.resolve("empty.c"), "/* no symbols */\n");
            Path lib = dir.resolve("libcuda.so.1");
            Process cc;
            try {
                cc =
                        new ProcessBuilder(
                                        "cc",
                                        "-shared",
                                        "-fPIC",
                                        "-Wl,-soname,libcuda.so.1",
                                        "-o",
                                        lib.toString(),
                                        src.toString())
                                .redirectErrorStream(true)
                                .start();
            } catch (IOException e) {
                Assumptions.abort("no C compiler (cc) to build the libcuda.so.1 stand-in: " + e);
                return;
            }
            String out = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(cc.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(cc.exitValue()).as("cc: %s", out).isZero();
            System.load(lib.toString());
            EmulatedGpu.deleteTree(dir); // the loaded library stays mapped
        }
        Loader.load(nvrtc.class);
    }

    @Test
    void theKernelsCompileForEveryCurrentArchitectureAndDefineEveryFunction() {
        int[] supported = Nvrtc.supportedArchitectures();
        List<String> targets = new ArrayList<>();
        for (int cc : ARCHITECTURES) {
            targets.add(Nvrtc.target(cc, supported));
        }
        targets.add("compute_90"); // PTX, as for a device newer than NVRTC knows
        assertThat(targets).contains("sm_90");
        StringBuilder report = new StringBuilder("NVRTC " + Nvrtc.version() + ":");
        for (String target : targets) {
            Nvrtc.Image image = Nvrtc.compile(Nvrtc.source(), target);
            assertThat(image.cubin()).isEqualTo(target.startsWith("sm_"));
            String bytes = new String(image.bytes(), StandardCharsets.ISO_8859_1);
            for (Fn fn : Fn.values()) {
                // A CUBIN's symbol table holds NUL-terminated names, PTX ".entry name(".
                String entry = image.cubin() ? fn.symbol + "\0" : ".entry " + fn.symbol + "(";
                assertThat(bytes).as("%s in %s", fn.symbol, target).contains(entry);
            }
            report.append(' ')
                    .append(target)
                    .append(' ')
                    .append(image.bytes().length)
                    .append(" B;");
        }
        System.out.println(report);
    }

    @Test
    void aCompileErrorComesBackWithNvrtcsLog() {
        assertThatThrownBy(
                        () ->
                                Nvrtc.compile(
                                        "extern \"C\" __global__ void broken() { undeclared(); }",
                                        "sm_90"))
                .isInstanceOf(CudaException.class)
                .hasMessageStartingWith("NVRTC ")
                .hasMessageContaining("could not compile hyperrec_kernels.cu for sm_90")
                .hasMessageContaining("undeclared");
    }
}
