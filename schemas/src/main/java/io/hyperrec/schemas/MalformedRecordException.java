package io.hyperrec.schemas;

/**
 * A record value could not be decoded: empty, another wire format, an unknown schema, a truncated
 * or over-long body. The message says what was wrong and what was expected, for example {@code
 * expected the Avro single-object header C3 01, got 7B 22 (looks like JSON)}; streaming jobs put it
 * verbatim into the {@code reason} of the {@link io.hyperrec.schemas.avro.DeadLetter} they write,
 * so it must make sense to someone who sees only that record.
 *
 * <p>It is about the bytes, never about the environment: a schema registry that cannot be reached
 * is a {@link SchemaRegistryException} instead, because sending every record to the dead-letter
 * topic while the registry is down would lose data that is perfectly fine.
 */
public class MalformedRecordException extends SchemaException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong with the bytes and what was expected
     */
    public MalformedRecordException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong with the bytes and what was expected
     * @param cause the Avro exception that revealed it
     */
    public MalformedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
