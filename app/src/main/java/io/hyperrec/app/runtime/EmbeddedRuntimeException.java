package io.hyperrec.app.runtime;

/**
 * The embedded runtime (in-process Kafka broker, Flink MiniCluster) could not reach the state a
 * caller asked for: a component failed to start or stop, a topic could not be created, a job
 * failed, or a wait timed out. The message names the component and the values involved; the cause,
 * when present, is the third-party exception that was wrapped.
 */
public final class EmbeddedRuntimeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the component and values involved
     */
    public EmbeddedRuntimeException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the component and values involved
     * @param cause the wrapped third-party exception
     */
    public EmbeddedRuntimeException(String message, Throwable cause) {
        super(message, cause);
    }
}
