package io.hyperrec.enrichment.llm;

import io.hyperrec.enrichment.EnrichmentException;

/**
 * A model's reply arrived but is not usable: it does not parse as the schema asked for, or breaks a
 * validation rule. The {@link ChatClient} counts it as an attempt and asks again.
 */
public final class InvalidReplyException extends EnrichmentException {
    /**
     * @param reason what is wrong with the reply, naming the value
     */
    public InvalidReplyException(String reason) {
        super(reason);
    }

    /**
     * @param reason what is wrong with the reply, naming the value
     * @param cause the parse or validation failure
     */
    public InvalidReplyException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
