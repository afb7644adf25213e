/**
 * CUDA kernels for NVIDIA GPUs: {@link io.hyperrec.gpu.CudaKernels}, found by {@link
 * io.hyperrec.core.kernel.Devices} through {@link io.hyperrec.gpu.CudaKernelsProvider}.
 *
 * <p>How the pieces fit: {@code CudaLibraries} loads the JavaCPP bindings (driver API and runtime,
 * NVRTC, cuBLAS) and turns a missing native library into a message that names it; {@code
 * CudaContext} checks driver, device and memory at start-up, owns the context, stream, module,
 * cuBLAS handle and every device allocation, and launches kernels; {@code Nvrtc} compiles {@code
 * hyperrec_kernels.cu} for the device's architecture; {@code CudaKernels} implements each operation
 * of {@link io.hyperrec.core.kernel.Kernels} with those. docs/gpu.md describes the design and its
 * choices.
 */
package io.hyperrec.gpu;
