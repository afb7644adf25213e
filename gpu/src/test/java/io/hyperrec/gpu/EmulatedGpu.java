package io.hyperrec.gpu;

import io.hyperrec.core.kernel.Device;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.opentest4j.TestAbortedException;

/**
 * A {@link Gpu} on the CPU, so that the tests of a machine without a GPU run {@link CudaKernels}
 * with the real {@code hyperrec_kernels.cu}: "device" memory is host memory (filled with NaN bytes
 * when allocated, to expose reads of what was never written), products follow {@link RowMajorGemm}
 * into a column-major gemm with cuBLAS's semantics, and kernels run in {@code cuda_emulator.cpp},
 * built here with g++ and called through JNI. What it cannot check: the CUDA driver, NVRTC, cuBLAS
 * and real parallel execution (threads of a block take turns, one block at a time). x86-64 only.
 */
final class EmulatedGpu implements Gpu {
    private static boolean loaded;
    private static String unavailable;
    private static RuntimeException buildFailure;

    private final Map<Long, Pointer> memory = new LinkedHashMap<>();
    private final KernelArgs args = new KernelArgs(this);

    private static native void launch0(String kernel, int grid, int block, long slots);

    /** A JavaCPP pointer at an address. */
    private static final class At extends Pointer {
        At(long address) {
            this.address = address;
        }
    }

    private EmulatedGpu() {}

    /**
     * An emulated device, or a skip when the emulator cannot be built here (no g++ or JDK headers).
     */
    static EmulatedGpu openOrSkip() {
        synchronized (EmulatedGpu.class) {
            if (!loaded && unavailable == null && buildFailure == null) {
                try {
                    build();
                } catch (RuntimeException e) {
                    buildFailure = e;
                }
            }
            if (buildFailure != null) {
                throw buildFailure;
            }
            if (unavailable != null) {
                throw new TestAbortedException(unavailable);
            }
        }
        return new EmulatedGpu();
    }

    private static void build() {
        String arch = System.getProperty("os.arch");
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            unavailable =
                    "the CUDA emulator switches stacks in x86-64 assembly, and this is " + arch;
            return;
        }
        try {
            Path dir = Files.createTempDirectory("hyperrec-cuda-emulator");
            copy("/io/hyperrec/gpu/cuda_emulator.cpp", dir);
            copy("/io/hyperrec/gpu/" + Nvrtc.SOURCE_NAME, dir);
            StringBuilder table = new StringBuilder();
            for (Fn fn : Fn.values()) {
                table.append("{\"")
                        .append(fn.symbol)
                        .append("\", &Kernel<")
                        .append(fn.symbol)
                        .append(">::run},\n");
            }
            Files.writeString(dir.resolve("kernels_table.inc"), table);
            Path jdk = Path.of(System.getProperty("java.home"));
            Path lib = dir.resolve("libhyperrec_cuda_emulator.so");
            Process gxx;
            try {
                gxx =
                        new ProcessBuilder(
                                        "g++",
                                        "-std=c++17",
                                        "-O2",
                                        "-ffp-contract=off",
                                        "-shared",
                                        "-fPIC",
                                        "-I" + jdk.resolve("include"),
                                        "-I" + jdk.resolve("include/linux"),
                                        "-o",
                                        lib.toString(),
                                        "cuda_emulator.cpp")
                                .directory(dir.toFile())
                                .redirectErrorStream(true)
                                .start();
            } catch (IOException e) {
                unavailable = "no g++ to build the CUDA emulator: " + e.getMessage();
                return;
            }
            String log = new String(gxx.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!gxx.waitFor(300, TimeUnit.SECONDS) || gxx.exitValue() != 0) {
                throw new IllegalStateException("g++ could not build the CUDA emulator:\n" + log);
            }
            System.load(lib.toString());
            loaded = true;
            deleteTree(dir); // the loaded library stays mapped

        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    private static void copy(String resource, Path dir) throws IOException {
        try (InputStream in = EmulatedGpu.class.getResourceAsStream(resource)) {
            Files.write(dir.resolve(Path.of(resource).getFileName()), in.readAllBytes());
        }
    }

    @Override
    public Device device() {
        return Device.cuda(0);
    }

    @Override
    public String name() {
        return "CPU emulation";
    }

    @Override
    public String target() {
        return "emulated";
    }

    @Override
    public long alloc(long bytes, String what) {
        Pointer p = Pointer.malloc(Math.max(bytes, 4));
        Pointer.memset(p, 0xff, Math.max(bytes, 4));
        memory.put(p.address(), p);
        return p.address();
    }

    @Override
    public void free(long ptr) {
        Pointer p = memory.remove(ptr);
        if (p != null) {
            Pointer.free(p);
        }
    }

    @Override
    public void upload(float[] src, int off, int n, long dst) {
        new FloatPointer(new At(dst)).capacity(n).put(src, off, n);
    }

    @Override
    public void upload(int[] src, int off, int n, long dst) {
        new IntPointer(new At(dst)).capacity(n).put(src, off, n);
    }

    @Override
    public void download(long src, float[] dst, int off, int n) {
        new FloatPointer(new At(src)).capacity(n).get(dst, off, n);
    }

    @Override
    public void download(long src, int[] dst, int off, int n) {
        new IntPointer(new At(src)).capacity(n).get(dst, off, n);
    }

    @Override
    public void download(long src, double[] dst, int n) {
        new DoublePointer(new At(src)).capacity(n).get(dst, 0, n);
    }

    @Override
    public void copy(long src, long dst, long bytes) {
        Pointer.memcpy(new At(dst), new At(src), bytes);
    }

    @Override
    public void fill32(long dst, int bits, long n) {
        IntPointer p = new IntPointer(new At(dst)).capacity(n);
        for (long i = 0; i < n; i++) {
            p.put(i, bits);
        }
    }

    @Override
    public void sgemm(
            boolean transA,
            boolean transB,
            int m,
            int n,
            int k,
            float alpha,
            long a,
            int lda,
            long b,
            int ldb,
            float beta,
            long c,
            int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        RowMajorGemm g = RowMajorGemm.of(transA, transB, m, n, k, lda, ldb, ldc);
        // Column-major operands: first (B) is op⁻¹ of m×k, second (A) op⁻¹ of k×n.
        float[] x = read(b, g.ldFirst(), g.transFirst() ? g.m() : g.k());
        float[] y = read(a, g.ldSecond(), g.transSecond() ? g.k() : g.n());
        float[] z = read(c, g.ldc(), g.n());
        for (int i = 0; i < g.m(); i++) {
            for (int j = 0; j < g.n(); j++) {
                float s = 0;
                for (int p = 0; p < g.k(); p++) {
                    float xv = g.transFirst() ? x[p + i * g.ldFirst()] : x[i + p * g.ldFirst()];
                    float yv = g.transSecond() ? y[j + p * g.ldSecond()] : y[p + j * g.ldSecond()];
                    s += xv * yv;
                }
                int q = i + j * g.ldc();
                // As cuBLAS: C is not read when beta is 0.
                z[q] = beta == 0 ? alpha * s : alpha * s + beta * z[q];
            }
        }
        new FloatPointer(new At(c)).capacity(z.length).put(z, 0, z.length);
    }

    /** A column-major matrix of {@code cols} columns with leading dimension {@code ld}. */
    private static float[] read(long address, int ld, int cols) {
        float[] v = new float[ld * cols];
        new FloatPointer(new At(address)).capacity(v.length).get(v, 0, v.length);
        return v;
    }

    @Override
    public KernelArgs args() {
        return args.reset();
    }

    @Override
    public void launch(Fn fn, long grid, int block, KernelArgs a) {
        if (grid == 0) {
            return;
        }
        BytePointer slots = a.values();
        launch0(fn.symbol, Math.toIntExact(grid), block, slots.address());
    }

    @Override
    public void synchronize() {}

    @Override
    public void close() {
        for (Pointer p : memory.values()) {
            Pointer.free(p);
        }
        memory.clear();
        args.close();
    }
}
