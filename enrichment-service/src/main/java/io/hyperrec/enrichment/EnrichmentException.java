package io.hyperrec.enrichment;

/**
 * The enrichment module's unchecked exception: wraps I/O, HTTP and parse failures with the item,
 * endpoint or value concerned.
 */
public class EnrichmentException extends RuntimeException {
    public EnrichmentException(String message) {
        super(message);
    }

    public EnrichmentException(String message, Throwable cause) {
        super(message, cause);
    }
}
