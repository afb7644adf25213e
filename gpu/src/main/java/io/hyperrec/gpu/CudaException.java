package io.hyperrec.gpu;

import io.hyperrec.core.kernel.DeviceException;

/**
 * A CUDA, NVRTC or cuBLAS call failed after start-up (the start-up checks throw plain {@link
 * DeviceException}s that name what is missing). The message names the device, the call and the
 * error as the library names it, e.g. {@code cuda:0: cuStreamSynchronize failed:
 * CUDA_ERROR_ILLEGAL_ADDRESS (700)}.
 */
public final class CudaException extends DeviceException {
    private static final long serialVersionUID = 1L;

    /** The error code the library returned. */
    private final int code;

    CudaException(String message, int code) {
        super(message);
        this.code = code;
    }

    /**
     * The error code the library returned ({@code CUresult}, {@code nvrtcResult} or {@code
     * cublasStatus_t}).
     */
    public int code() {
        return code;
    }
}
