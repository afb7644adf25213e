package io.hyperrec.enrichment.service;

/**
 * Every setting of the {@link EnrichmentServer}, declared once with its default and meaning,
 * validated by the builder. Immutable.
 *
 * <ul>
 *   <li>{@code host} (default {@code 0.0.0.0}): the address to listen on.
 *   <li>{@code port} (default {@value #DEFAULT_PORT}): the port; 0 picks a free one (tests).
 *   <li>{@code maxBatchSize} (default {@value #DEFAULT_MAX_BATCH_SIZE}): the most items one {@code
 *       POST /v1/enrich} may carry; a larger batch is answered 413. A batch holds a request thread
 *       until its slowest item is tagged, so this bounds a request's time as well as its size.
 *   <li>{@code maxBodyBytes} (default {@value #DEFAULT_MAX_BODY_BYTES}): the largest request body
 *       read, in bytes; a larger one is answered 413 without being parsed.
 * </ul>
 */
public final class EnrichmentServerOptions {
    /** Default port. */
    public static final int DEFAULT_PORT = 8081;

    /** Default most items per request. */
    public static final int DEFAULT_MAX_BATCH_SIZE = 64;

    /** The largest maxBatchSize accepted. */
    public static final int MAX_BATCH_SIZE_LIMIT = 10_000;

    /** Default largest request body: 1 MiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

    /** The smallest maxBodyBytes accepted. */
    public static final int MIN_BODY_BYTES = 64;

    /** The largest maxBodyBytes accepted: 64 MiB. */
    public static final int MAX_BODY_BYTES_LIMIT = 64 << 20;

    private final String host;
    private final int port;
    private final int maxBatchSize;
    private final int maxBodyBytes;

    private EnrichmentServerOptions(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.maxBatchSize = b.maxBatchSize;
        this.maxBodyBytes = b.maxBodyBytes;
    }

    /** Options with every default. */
    public static EnrichmentServerOptions defaults() {
        return builder().build();
    }

    /** A builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** The address to listen on. */
    public String host() {
        return host;
    }

    /** The port; 0 for any free one. */
    public int port() {
        return port;
    }

    /** The most items per request. */
    public int maxBatchSize() {
        return maxBatchSize;
    }

    /** The largest request body, in bytes. */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    @Override
    public String toString() {
        return "EnrichmentServerOptions{host="
                + host
                + ", port="
                + port
                + ", maxBatchSize="
                + maxBatchSize
                + ", maxBodyBytes="
                + maxBodyBytes
                + "}";
    }

    /** Builds {@link EnrichmentServerOptions}; each setter fails fast; not thread-safe. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;

        private Builder() {}

        /** Sets the address to listen on: non-blank. */
        public Builder host(String host) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host must be non-blank, got '" + host + "'");
            }
            this.host = host;
            return this;
        }

        /** Sets the port: 0 (any free one) to 65535. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Sets the most items per request: 1 to {@value
         * EnrichmentServerOptions#MAX_BATCH_SIZE_LIMIT}.
         */
        public Builder maxBatchSize(int n) {
            if (n < 1 || n > MAX_BATCH_SIZE_LIMIT) {
                throw new IllegalArgumentException(
                        "maxBatchSize must be in [1, " + MAX_BATCH_SIZE_LIMIT + "], got " + n);
            }
            this.maxBatchSize = n;
            return this;
        }

        /**
         * Sets the largest request body in bytes: {@value EnrichmentServerOptions#MIN_BODY_BYTES}
         * to {@value EnrichmentServerOptions#MAX_BODY_BYTES_LIMIT}.
         */
        public Builder maxBodyBytes(int bytes) {
            if (bytes < MIN_BODY_BYTES || bytes > MAX_BODY_BYTES_LIMIT) {
                throw new IllegalArgumentException(
                        "maxBodyBytes must be in ["
                                + MIN_BODY_BYTES
                                + ", "
                                + MAX_BODY_BYTES_LIMIT
                                + "], got "
                                + bytes);
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        /** The options. */
        public EnrichmentServerOptions build() {
            return new EnrichmentServerOptions(this);
        }
    }
}
