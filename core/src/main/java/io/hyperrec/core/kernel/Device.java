package io.hyperrec.core.kernel;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * Where kernels run: the CPU, or one CUDA GPU by its ordinal (as the driver numbers them, after
 * {@code CUDA_VISIBLE_DEVICES}). Written {@code cpu} or {@code cuda:N}; {@link #parse} also accepts
 * {@code cuda} for {@code cuda:0}. Immutable and serialisable (it travels in Flink job graphs).
 *
 * @param kind CPU or CUDA
 * @param ordinal the GPU's ordinal, 0 or more; always 0 for the CPU
 */
public record Device(Kind kind, int ordinal) implements Serializable {

    /** The kind of processor. */
    public enum Kind {
        /** The host CPU ({@link CpuKernels}). */
        CPU,
        /** An NVIDIA GPU through CUDA (the {@code hyperrec-gpu} module). */
        CUDA
    }

    /** The CPU, the default everywhere. */
    public static final Device CPU = new Device(Kind.CPU, 0);

    /** Validates the ordinal (non-negative; 0 for the CPU). */
    public Device {
        Objects.requireNonNull(kind, "kind");
        if (ordinal < 0) {
            throw new IllegalArgumentException("device ordinal must be >= 0, got " + ordinal);
        }
        if (kind == Kind.CPU && ordinal != 0) {
            throw new IllegalArgumentException("the CPU device has no ordinal, got " + ordinal);
        }
    }

    /** The CUDA GPU with this ordinal. */
    public static Device cuda(int ordinal) {
        return new Device(Kind.CUDA, ordinal);
    }

    /**
     * Parses {@code cpu}, {@code cuda} (GPU 0) or {@code cuda:N}, ignoring case and surrounding
     * spaces.
     *
     * @throws IllegalArgumentException naming the value and what was expected
     */
    public static Device parse(String text) {
        Objects.requireNonNull(text, "device");
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) {
            return CPU;
        }
        if (s.equals("cuda")) {
            return cuda(0);
        }
        if (s.startsWith("cuda:")) {
            String n = s.substring("cuda:".length());
            if (!n.isEmpty() && n.length() <= 9 && n.chars().allMatch(Character::isDigit)) {
                return cuda(Integer.parseInt(n));
            }
            throw new IllegalArgumentException(
                    "invalid device '"
                            + text
                            + "': the GPU ordinal after 'cuda:' must be a number 0, 1, ..., got '"
                            + n
                            + "'");
        }
        throw new IllegalArgumentException(
                "invalid device '" + text + "': expected cpu, cuda or cuda:N (N = 0, 1, ...)");
    }

    /** Whether this is a CUDA GPU. */
    public boolean isCuda() {
        return kind == Kind.CUDA;
    }

    /** {@code cpu} or {@code cuda:N}, which {@link #parse} reads back. */
    @Override
    public String toString() {
        return kind == Kind.CPU ? "cpu" : "cuda:" + ordinal;
    }
}
