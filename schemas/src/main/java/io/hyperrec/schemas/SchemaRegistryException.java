package io.hyperrec.schemas;

/**
 * A {@link SchemaRegistry} could not answer: it is unreachable or timed out, it answered with an
 * error status, or it refused a schema (for example as incompatible with the subject's earlier
 * versions). The message names the request (method and URL, or the local registry), the subject or
 * schema id, and the registry's own error code and message when it sent one.
 *
 * <p>{@link #isSchemaNotFound()} separates the one answer that is about a record rather than the
 * registry: "no schema with this id" (Confluent error code {@value #SCHEMA_NOT_FOUND}). Decoders
 * turn that into a {@link MalformedRecordException}; everything else is left to fail the job.
 */
public class SchemaRegistryException extends SchemaException {
    private static final long serialVersionUID = 1L;

    /** Confluent Schema Registry error code for "schema not found" (HTTP 404). */
    public static final int SCHEMA_NOT_FOUND = 40403;

    /** Confluent Schema Registry error code for "incompatible schema" (HTTP 409). */
    public static final int INCOMPATIBLE_SCHEMA = 409;

    private final int httpStatus;
    private final int errorCode;

    /**
     * @param message what went wrong, naming the request and subject or id
     * @param httpStatus the HTTP status of the answer, or -1 when there was no HTTP answer
     * @param errorCode the registry's {@code error_code}, or -1 when it sent none
     * @param cause the underlying exception, or null
     */
    public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /**
     * @return the HTTP status the registry answered with, or -1 when there was no HTTP answer (a
     *     connection failure, a timeout, the in-process registry)
     */
    public int httpStatus() {
        return httpStatus;
    }

    /**
     * @return the registry's {@code error_code} (e.g. {@value #SCHEMA_NOT_FOUND}), or -1 when it
     *     sent none
     */
    public int errorCode() {
        return errorCode;
    }

    /**
     * @return whether the registry answered that it has no schema with the requested id
     */
    public boolean isSchemaNotFound() {
        return errorCode == SCHEMA_NOT_FOUND;
    }
}
