package io.hyperrec.core.kernel;

/**
 * A device cannot be used or failed: no support for it in this build, a missing driver or library,
 * no such device, not enough device memory, or an error reported by the device. The message names
 * the device and what is missing or what failed, so that a command can print it as it is.
 */
public class DeviceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message that names the device and the problem. */
    public DeviceException(String message) {
        super(message);
    }

    /** An exception with a message and the underlying error. */
    public DeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
