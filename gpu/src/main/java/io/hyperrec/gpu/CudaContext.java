package io.hyperrec.gpu;

import static org.bytedeco.cuda.global.cublas.CUBLAS_DEFAULT_MATH;
import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_N;
import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_T;
import static org.bytedeco.cuda.global.cublas.CUBLAS_STATUS_SUCCESS;
import static org.bytedeco.cuda.global.cublas.cublasCreate_v2;
import static org.bytedeco.cuda.global.cublas.cublasDestroy_v2;
import static org.bytedeco.cuda.global.cublas.cublasGetStatusName;
import static org.bytedeco.cuda.global.cublas.cublasSetMathMode;
import static org.bytedeco.cuda.global.cublas.cublasSetStream_v2;
import static org.bytedeco.cuda.global.cublas.cublasSgemm_v2;
import static org.bytedeco.cuda.global.cudart.CUDA_ERROR_OUT_OF_MEMORY;
import static org.bytedeco.cuda.global.cudart.CUDA_SUCCESS;
import static org.bytedeco.cuda.global.cudart.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
import static org.bytedeco.cuda.global.cudart.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;
import static org.bytedeco.cuda.global.cudart.CU_STREAM_NON_BLOCKING;
import static org.bytedeco.cuda.global.cudart.cuCtxSetCurrent;
import static org.bytedeco.cuda.global.cudart.cuDeviceGet;
import static org.bytedeco.cuda.global.cudart.cuDeviceGetAttribute;
import static org.bytedeco.cuda.global.cudart.cuDeviceGetCount;
import static org.bytedeco.cuda.global.cudart.cuDeviceGetName;
import static org.bytedeco.cuda.global.cudart.cuDevicePrimaryCtxRelease;
import static org.bytedeco.cuda.global.cudart.cuDevicePrimaryCtxRetain;
import static org.bytedeco.cuda.global.cudart.cuDriverGetVersion;
import static org.bytedeco.cuda.global.cudart.cuGetErrorName;
import static org.bytedeco.cuda.global.cudart.cuInit;
import static org.bytedeco.cuda.global.cudart.cuLaunchKernel;
import static org.bytedeco.cuda.global.cudart.cuMemAlloc;
import static org.bytedeco.cuda.global.cudart.cuMemAllocHost;
import static org.bytedeco.cuda.global.cudart.cuMemFree;
import static org.bytedeco.cuda.global.cudart.cuMemFreeHost;
import static org.bytedeco.cuda.global.cudart.cuMemGetInfo;
import static org.bytedeco.cuda.global.cudart.cuMemcpyDtoDAsync;
import static org.bytedeco.cuda.global.cudart.cuMemcpyDtoHAsync;
import static org.bytedeco.cuda.global.cudart.cuMemcpyHtoDAsync;
import static org.bytedeco.cuda.global.cudart.cuMemsetD32Async;
import static org.bytedeco.cuda.global.cudart.cuModuleGetFunction;
import static org.bytedeco.cuda.global.cudart.cuModuleLoadData;
import static org.bytedeco.cuda.global.cudart.cuModuleUnload;
import static org.bytedeco.cuda.global.cudart.cuStreamCreate;
import static org.bytedeco.cuda.global.cudart.cuStreamDestroy;
import static org.bytedeco.cuda.global.cudart.cuStreamSynchronize;

import io.hyperrec.core.kernel.Device;
import io.hyperrec.core.kernel.DeviceException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUctx_st;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * One device as the kernels use it: the start-up checks, the device's primary context, one
 * non-blocking stream on which everything is queued in order, the compiled module, a cuBLAS handle,
 * every device allocation, a pinned host buffer for copies, and kernel launches.
 *
 * <p>Native resources are owned here and released by {@link #close} in this order: wait for the
 * stream; free device allocations; free the pinned buffer; destroy the cuBLAS handle; unload the
 * module; destroy the stream; release the primary context. Used by one thread at a time; every
 * entry point makes the context current on the calling thread first.
 */
final class CudaContext implements Gpu {
    /** The most a host↔device copy stages at once in pinned memory. */
    private static final long STAGING_MAX = 16L << 20;

    private final Device device;
    private String name = "?";
    private String target = "?";
    private int dev;
    private CUctx_st ctx;
    private CUstream_st stream;
    private CUmod_st module;
    private final CUfunc_st[] functions = new CUfunc_st[Fn.values().length];
    private cublasContext blas;
    private final Set<Long> allocations = new LinkedHashSet<>();
    private Pointer staging;
    private long stagingBytes;
    private final KernelArgs args = new KernelArgs(this);
    private final FloatPointer alpha = new FloatPointer(1);
    private final FloatPointer beta = new FloatPointer(1);
    private final DevicePointer pa = new DevicePointer();
    private final DevicePointer pb = new DevicePointer();
    private final DevicePointer pc = new DevicePointer();
    private boolean closed;

    /** A device address as the JavaCPP pointer type that cuBLAS takes. */
    private static final class DevicePointer extends FloatPointer {
        DevicePointer at(long devicePtr) {
            address = devicePtr;
            return this;
        }
    }

    private CudaContext(Device device) {
        this.device = device;
    }

    /**
     * Checks driver, device and libraries and sets everything up.
     *
     * @throws DeviceException naming what is missing: libraries, driver, device, a device too old
     *     for NVRTC, or memory
     */
    static CudaContext open(Device device) {
        if (!device.isCuda()) {
            throw new IllegalArgumentException("not a CUDA device: " + device);
        }
        CudaLibraries.load(device);
        CudaContext c = new CudaContext(device);
        try {
            c.start();
            return c;
        } catch (RuntimeException e) {
            try {
                c.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void start() {
        String visible = System.getenv("CUDA_VISIBLE_DEVICES");
        int r = cuInit(0);
        if (r != CUDA_SUCCESS) {
            throw new CudaException(CudaMessages.initFailed(device, errorName(r), r, visible), r);
        }
        int[] driver = {0};
        check(cuDriverGetVersion(driver), "cuDriverGetVersion");
        if (driver[0] / 1000 < CudaMessages.CUDA_MAJOR) {
            throw new DeviceException(CudaMessages.driverTooOld(device, driver[0]));
        }
        int[] count = {0};
        check(cuDeviceGetCount(count), "cuDeviceGetCount");
        if (count[0] == 0) {
            throw new DeviceException(CudaMessages.noDevice(device, visible));
        }
        if (device.ordinal() >= count[0]) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < count[0]; i++) {
                names.add(deviceName(i));
            }
            throw new DeviceException(CudaMessages.noSuchDevice(device, names, visible));
        }
        int[] handle = {0};
        check(cuDeviceGet(handle, device.ordinal()), "cuDeviceGet");
        dev = handle[0];
        name = deviceName(device.ordinal());
        int[] major = {0};
        int[] minor = {0};
        check(
                cuDeviceGetAttribute(major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev),
                "cuDeviceGetAttribute");
        check(
                cuDeviceGetAttribute(minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev),
                "cuDeviceGetAttribute");
        int computeCapability = major[0] * 10 + minor[0];
        int[] archs = Nvrtc.supportedArchitectures();
        target = Nvrtc.target(computeCapability, archs);
        if (target == null) {
            throw new DeviceException(
                    CudaMessages.archTooOld(
                            device, name, computeCapability, archs[0], Nvrtc.version()));
        }
        CUctx_st context = new CUctx_st();
        check(cuDevicePrimaryCtxRetain(context, dev), "cuDevicePrimaryCtxRetain");
        ctx = context;
        makeCurrent();
        CUstream_st s = new CUstream_st();
        check(cuStreamCreate(s, CU_STREAM_NON_BLOCKING), "cuStreamCreate");
        stream = s;
        Nvrtc.Image image = Nvrtc.image(target);
        CUmod_st m = new CUmod_st();
        check(cuModuleLoadData(m, new BytePointer(image.bytes())), "cuModuleLoadData " + target);
        module = m;
        for (Fn fn : Fn.values()) {
            CUfunc_st f = new CUfunc_st();
            check(cuModuleGetFunction(f, module, fn.symbol), "cuModuleGetFunction " + fn.symbol);
            functions[fn.ordinal()] = f;
        }
        cublasContext h = new cublasContext();
        checkBlas(cublasCreate_v2(h), "cublasCreate_v2");
        blas = h;
        checkBlas(cublasSetStream_v2(blas, stream), "cublasSetStream_v2");
        // Plain FP32 products: no TF32 tensor-core rounding (CUBLAS_DEFAULT_MATH), as on the CPU.
        checkBlas(cublasSetMathMode(blas, CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
    }

    private static String deviceName(int ordinal) {
        byte[] buf = new byte[256];
        int[] handle = {0};
        if (cuDeviceGet(handle, ordinal) != CUDA_SUCCESS
                || cuDeviceGetName(buf, buf.length, handle[0]) != CUDA_SUCCESS) {
            return "(name unavailable)";
        }
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String target() {
        return target;
    }

    /** The name of a CUDA error code, e.g. CUDA_ERROR_NO_DEVICE. */
    static String errorName(int code) {
        PointerPointer<BytePointer> p = new PointerPointer<>(1);
        if (cuGetErrorName(code, p) != CUDA_SUCCESS || p.get(0) == null || p.get(0).isNull()) {
            return "CUDA error";
        }
        return p.getString(0);
    }

    /** Throws a {@link CudaException} naming the call if a driver call failed. */
    void check(int result, String call) {
        if (result != CUDA_SUCCESS) {
            throw new CudaException(
                    CudaMessages.callFailed(device, call, errorName(result), result), result);
        }
    }

    private void checkBlas(int status, String call) {
        if (status != CUBLAS_STATUS_SUCCESS) {
            throw new CudaException(
                    CudaMessages.callFailed(
                            device, call, cublasGetStatusName(status).getString(), status),
                    status);
        }
    }

    /** Makes this context current on the calling thread; fails once closed. */
    void makeCurrent() {
        if (closed) {
            throw new IllegalStateException("the CUDA kernels on " + device + " are closed");
        }
        check(cuCtxSetCurrent(ctx), "cuCtxSetCurrent");
    }

    /**
     * {@inheritDoc}
     *
     * @throws CudaException naming the bytes asked for and free when out of memory
     */
    @Override
    public long alloc(long bytes, String what) {
        makeCurrent();
        long[] p = {0};
        int r = cuMemAlloc(p, Math.max(bytes, 4));
        if (r == CUDA_ERROR_OUT_OF_MEMORY) {
            SizeTPointer free = new SizeTPointer(1);
            SizeTPointer total = new SizeTPointer(1);
            check(cuMemGetInfo(free, total), "cuMemGetInfo");
            throw new CudaException(
                    CudaMessages.outOfMemory(device, name, what, bytes, free.get(), total.get()),
                    r);
        }
        check(r, "cuMemAlloc (" + what + ")");
        allocations.add(p[0]);
        return p[0];
    }

    @Override
    public void free(long ptr) {
        makeCurrent();
        if (allocations.remove(ptr)) {
            check(cuStreamSynchronize(stream), "cuStreamSynchronize");
            check(cuMemFree(ptr), "cuMemFree");
        }
    }

    @Override
    public void synchronize() {
        makeCurrent();
        check(cuStreamSynchronize(stream), "cuStreamSynchronize");
    }

    private void ensureStaging(long bytes) {
        long want = Math.min(Math.max(bytes, 1L << 16), STAGING_MAX);
        if (stagingBytes >= want) {
            return;
        }
        if (staging != null) {
            check(cuMemFreeHost(staging), "cuMemFreeHost");
            staging = null;
            stagingBytes = 0;
        }
        PointerPointer<Pointer> p = new PointerPointer<>(1);
        check(cuMemAllocHost(p, want), "cuMemAllocHost");
        staging = new BytePointer(p.get(0)).capacity(want).limit(want);
        stagingBytes = want;
    }

    @Override
    public void upload(float[] src, int off, int n, long dst) {
        makeCurrent();
        ensureStaging(4L * n);
        FloatPointer f = new FloatPointer(staging).capacity(stagingBytes / 4);
        for (long done = 0; done < n; ) {
            int c = (int) Math.min(n - done, stagingBytes / 4);
            f.position(0).put(src, (int) (off + done), c);
            check(cuMemcpyHtoDAsync(dst + 4 * done, staging, 4L * c, stream), "cuMemcpyHtoDAsync");
            check(cuStreamSynchronize(stream), "cuStreamSynchronize");
            done += c;
        }
    }

    @Override
    public void upload(int[] src, int off, int n, long dst) {
        makeCurrent();
        ensureStaging(4L * n);
        IntPointer f = new IntPointer(staging).capacity(stagingBytes / 4);
        for (long done = 0; done < n; ) {
            int c = (int) Math.min(n - done, stagingBytes / 4);
            f.position(0).put(src, (int) (off + done), c);
            check(cuMemcpyHtoDAsync(dst + 4 * done, staging, 4L * c, stream), "cuMemcpyHtoDAsync");
            check(cuStreamSynchronize(stream), "cuStreamSynchronize");
            done += c;
        }
    }

    @Override
    public void download(long src, float[] dst, int off, int n) {
        makeCurrent();
        ensureStaging(4L * n);
        FloatPointer f = new FloatPointer(staging).capacity(stagingBytes / 4);
        for (long done = 0; done < n; ) {
            int c = (int) Math.min(n - done, stagingBytes / 4);
            check(cuMemcpyDtoHAsync(staging, src + 4 * done, 4L * c, stream), "cuMemcpyDtoHAsync");
            check(cuStreamSynchronize(stream), "cuStreamSynchronize");
            f.position(0).get(dst, (int) (off + done), c);
            done += c;
        }
    }

    @Override
    public void download(long src, int[] dst, int off, int n) {
        makeCurrent();
        ensureStaging(4L * n);
        IntPointer f = new IntPointer(staging).capacity(stagingBytes / 4);
        for (long done = 0; done < n; ) {
            int c = (int) Math.min(n - done, stagingBytes / 4);
            check(cuMemcpyDtoHAsync(staging, src + 4 * done, 4L * c, stream), "cuMemcpyDtoHAsync");
            check(cuStreamSynchronize(stream), "cuStreamSynchronize");
            f.position(0).get(dst, (int) (off + done), c);
            done += c;
        }
    }

    @Override
    public void download(long src, double[] dst, int n) {
        makeCurrent();
        ensureStaging(8L * n);
        DoublePointer f = new DoublePointer(staging).capacity(stagingBytes / 8);
        for (long done = 0; done < n; ) {
            int c = (int) Math.min(n - done, stagingBytes / 8);
            check(cuMemcpyDtoHAsync(staging, src + 8 * done, 8L * c, stream), "cuMemcpyDtoHAsync");
            check(cuStreamSynchronize(stream), "cuStreamSynchronize");
            f.position(0).get(dst, (int) done, c);
            done += c;
        }
    }

    @Override
    public void copy(long src, long dst, long bytes) {
        makeCurrent();
        if (bytes == 0) {
            return;
        }
        check(cuMemcpyDtoDAsync(dst, src, bytes, stream), "cuMemcpyDtoDAsync");
    }

    @Override
    public void fill32(long dst, int bits, long n) {
        makeCurrent();
        if (n == 0) {
            return;
        }
        check(cuMemsetD32Async(dst, bits, n, stream), "cuMemsetD32Async");
    }

    @Override
    public void sgemm(
            boolean transA,
            boolean transB,
            int m,
            int n,
            int k,
            float a,
            long pA,
            int lda,
            long pB,
            int ldb,
            float b,
            long pC,
            int ldc) {
        makeCurrent();
        if (m == 0 || n == 0) {
            return;
        }
        RowMajorGemm g = RowMajorGemm.of(transA, transB, m, n, k, lda, ldb, ldc);
        alpha.put(0, a);
        beta.put(0, b);
        checkBlas(
                cublasSgemm_v2(
                        blas,
                        g.transFirst() ? CUBLAS_OP_T : CUBLAS_OP_N,
                        g.transSecond() ? CUBLAS_OP_T : CUBLAS_OP_N,
                        g.m(),
                        g.n(),
                        g.k(),
                        alpha,
                        pb.at(pB),
                        g.ldFirst(),
                        pa.at(pA),
                        g.ldSecond(),
                        beta,
                        pc.at(pC),
                        g.ldc()),
                "cublasSgemm_v2");
    }

    @Override
    public KernelArgs args() {
        return args.reset();
    }

    @Override
    public void launch(Fn fn, long grid, int block, KernelArgs a) {
        makeCurrent();
        if (grid == 0) {
            return;
        }
        if (grid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    fn.symbol + ": grid of " + grid + " blocks is too large");
        }
        check(
                cuLaunchKernel(
                        functions[fn.ordinal()],
                        (int) grid,
                        1,
                        1,
                        block,
                        1,
                        1,
                        0,
                        stream,
                        a.pointers(),
                        (PointerPointer<?>) null),
                "cuLaunchKernel " + fn.symbol);
    }

    /**
     * Releases everything in the documented order; errors are reported after all is released.
     *
     * @throws CudaException the first release that failed (an earlier asynchronous failure shows
     *     here at the latest)
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        List<Runnable> steps = new ArrayList<>();
        if (ctx != null) {
            steps.add(() -> check(cuCtxSetCurrent(ctx), "cuCtxSetCurrent"));
        }
        if (stream != null) {
            steps.add(() -> check(cuStreamSynchronize(stream), "cuStreamSynchronize"));
        }
        for (long p : allocations) {
            steps.add(() -> check(cuMemFree(p), "cuMemFree"));
        }
        if (staging != null) {
            steps.add(() -> check(cuMemFreeHost(staging), "cuMemFreeHost"));
        }
        if (blas != null) {
            steps.add(() -> checkBlas(cublasDestroy_v2(blas), "cublasDestroy_v2"));
        }
        if (module != null) {
            steps.add(() -> check(cuModuleUnload(module), "cuModuleUnload"));
        }
        if (stream != null) {
            steps.add(() -> check(cuStreamDestroy(stream), "cuStreamDestroy"));
        }
        if (ctx != null) {
            steps.add(() -> check(cuDevicePrimaryCtxRelease(dev), "cuDevicePrimaryCtxRelease"));
        }
        closed = true;
        RuntimeException first = null;
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        allocations.clear();
        staging = null;
        args.close();
        alpha.close();
        beta.close();
        if (first != null) {
            throw first;
        }
    }
}
