package io.hyperrec.core.kernel;

/**
 * A service that opens {@link Kernels} on devices other than the CPU, found with {@link
 * java.util.ServiceLoader} (registered in {@code
 * META-INF/services/io.hyperrec.core.kernel.KernelsProvider}). The {@code hyperrec-gpu} module
 * provides CUDA this way, so that core and the default build stay CPU-only; {@link Devices#open} is
 * the one caller.
 *
 * <p>Implementations need a public no-argument constructor that does no native work (the service
 * loader instantiates every provider on the class path); loading drivers and libraries belongs in
 * {@link #open}.
 */
public interface KernelsProvider {

    /**
     * Whether this provider handles devices of this kind. Says nothing about whether the device is
     * present: {@link #open} finds that out.
     */
    boolean supports(Device device);

    /**
     * Opens kernels on the device; the caller closes them.
     *
     * @param deterministic whether results must repeat bit for bit across runs on the same hardware
     *     and software
     * @throws DeviceException when the device cannot be used, naming what is missing (driver,
     *     library, device, memory)
     */
    Kernels open(Device device, boolean deterministic);
}
