package io.hyperrec.store.http;

/**
 * An event could not be handed to the pipeline (e.g. the broker did not acknowledge in time); the
 * HTTP API answers 503 so the client retries.
 */
public final class EventSinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what could not be sent where, naming the topic and key
     * @param cause the underlying failure
     */
    public EventSinkException(String message, Throwable cause) {
        super(message + (cause == null ? "" : ": " + cause.getMessage()), cause);
    }
}
