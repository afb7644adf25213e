package io.hyperrec.gpu;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The arguments of one kernel launch, in the form {@code cuLaunchKernel} takes them: one 8-byte
 * slot per argument and an array of pointers to the slots. Allocated once per device and refilled
 * for every launch (a launch copies the values, so the slots can be reused at once). Not
 * thread-safe.
 */
final class KernelArgs implements AutoCloseable {
    private static final int MAX_ARGS = 16;

    private final Gpu gpu;
    private final BytePointer values = new BytePointer(8L * MAX_ARGS);
    private final PointerPointer<Pointer> pointers = new PointerPointer<>(MAX_ARGS);
    private int count;

    KernelArgs(Gpu gpu) {
        this.gpu = gpu;
        for (int i = 0; i < MAX_ARGS; i++) {
            pointers.put(i, new BytePointer(values).position(8L * i));
        }
    }

    /** Empties the list for the next launch. */
    KernelArgs reset() {
        count = 0;
        return this;
    }

    private long next() {
        if (count == MAX_ARGS) {
            throw new IllegalStateException("more than " + MAX_ARGS + " kernel arguments");
        }
        return 8L * count++;
    }

    /** Adds a device pointer. */
    KernelArgs ptr(long devicePtr) {
        values.putLong(next(), devicePtr);
        return this;
    }

    /** Adds an {@code int}. */
    KernelArgs i32(int v) {
        values.putInt(next(), v);
        return this;
    }

    /** Adds a {@code long long}. */
    KernelArgs i64(long v) {
        values.putLong(next(), v);
        return this;
    }

    /** Adds a {@code float}. */
    KernelArgs f32(float v) {
        values.putFloat(next(), v);
        return this;
    }

    /** Number of arguments added since {@link #reset}. */
    int count() {
        return count;
    }

    /** The slots, 8 bytes per argument. */
    BytePointer values() {
        return values;
    }

    /** Pointers to the slots, as {@code cuLaunchKernel}'s {@code kernelParams}. */
    PointerPointer<Pointer> pointers() {
        return pointers;
    }

    /** Queues {@code fn} on {@code grid} blocks of {@code block} threads with these arguments. */
    void launch(Fn fn, long grid, int block) {
        gpu.launch(fn, grid, block, this);
    }

    /** Queues a one-warp-per-row kernel over {@code rows} rows. */
    void launchRows(Fn fn, long rows) {
        long perBlock = Gpu.ROW_BLOCK / 32;
        launch(fn, (rows + perBlock - 1) / perBlock, Gpu.ROW_BLOCK);
    }

    /** Queues an elementwise kernel over {@code n} elements. */
    void launchElements(Fn fn, long n) {
        launch(fn, (n + Gpu.ELEMENT_BLOCK - 1) / Gpu.ELEMENT_BLOCK, Gpu.ELEMENT_BLOCK);
    }

    @Override
    public void close() {
        pointers.close();
        values.close();
    }
}
