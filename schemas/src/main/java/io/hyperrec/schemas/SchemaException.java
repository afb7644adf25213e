package io.hyperrec.schemas;

/**
 * The unchecked domain exception of the {@code schemas} module: something about an Avro schema, a
 * wire format or a schema registry went wrong. It wraps third-party checked exceptions (Avro's
 * {@code IOException}s, the HTTP client's) with the context needed to act on them.
 *
 * <p>Callers usually catch one of the two subclasses, because they call for different handling:
 *
 * <ul>
 *   <li>{@link MalformedRecordException}: one input record is bad. A streaming job sends it to the
 *       dead-letter topic with the exception's message as the reason and carries on.
 *   <li>{@link SchemaRegistryException}: the schema registry could not be used (unreachable,
 *       misconfigured, refused a schema). Retrying the record elsewhere would not help; the job
 *       should fail and restart from its last checkpoint.
 * </ul>
 *
 * Thrown directly for problems of the module itself (an unreadable stored schema, a record class
 * that is not a generated Avro class).
 */
public class SchemaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, naming the values involved
     */
    public SchemaException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the values involved
     * @param cause the underlying exception
     */
    public SchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
