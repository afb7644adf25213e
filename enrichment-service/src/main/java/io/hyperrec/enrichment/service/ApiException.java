package io.hyperrec.enrichment.service;

/**
 * A request the {@link EnrichmentServer} answers with an error status and {@code {"error":
 * message}}; the message names the field, the value and what was expected.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    static ApiException tooLarge(String message) {
        return new ApiException(413, message);
    }

    int status() {
        return status;
    }
}
