package io.hyperrec.enrichment.service;

import io.hyperrec.enrichment.EnrichmentException;

/**
 * The enrichment service answered a request with a non-2xx status. The message names the request,
 * the item, the status and the service's {@code error} message; {@link #status()} lets a caller
 * tell a bad item (4xx: retrying will not help) from a failing service (5xx).
 */
public final class EnrichmentHttpException extends EnrichmentException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String serverError;

    /**
     * @param message the full message
     * @param status the HTTP status
     * @param serverError the service's {@code error} message, or the body's start when it had none
     */
    public EnrichmentHttpException(String message, int status, String serverError) {
        super(message);
        this.status = status;
        this.serverError = serverError;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The service's {@code error} message (or the body's start when it had none). */
    public String serverError() {
        return serverError;
    }
}
