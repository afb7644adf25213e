package io.hyperrec.store;

import java.nio.file.Path;

/** The model store's one unchecked exception: names the store and its directory. */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Wraps a failure of the store called {@code store} in {@code dir}. */
    public StoreException(String store, Path dir, String what, Throwable cause) {
        super(
                store
                        + " at "
                        + dir
                        + ": "
                        + what
                        + (cause == null ? "" : ": " + cause.getMessage()),
                cause);
    }
}
