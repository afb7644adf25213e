package io.hyperrec.enrichment.embed;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Immutable, validated settings of {@link OpenAiEmbedder}. Build with {@link #builder()}; {@link
 * Builder#baseUrl}, {@link Builder#model} and {@link Builder#dimension} are required, every other
 * setting has a default. The options hold the <em>name</em> of the environment variable with the
 * API key, never the key. Thread-safe.
 */
public final class OpenAiEmbedderOptions {

    /** The default environment variable holding the API key. */
    public static final String DEFAULT_API_KEY_ENV = "HYPERREC_EMBEDDINGS_API_KEY";

    /** The default number of texts per request. */
    public static final int DEFAULT_BATCH_SIZE = 64;

    /** The most inputs the OpenAI embeddings API accepts in one request. */
    public static final int MAX_BATCH_SIZE = 2048;

    /** The default connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** The default timeout of one request, from sending to the end of the response. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

    /** The default number of attempts per request, the first one included. */
    public static final int DEFAULT_MAX_ATTEMPTS = 5;

    /** The default delay before the first retry (before jitter). */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);

    /** The default cap of the exponential backoff. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

    /** The default longest {@code Retry-After} the embedder waits for before giving up. */
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(120);

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final URI baseUrl;
    private final String model;
    private final int dimension;
    private final String encoderName;
    private final int batchSize;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration maxRetryAfter;
    private final String apiKeyEnv;

    private OpenAiEmbedderOptions(Builder b) {
        this.baseUrl = b.baseUrl;
        this.model = b.model;
        this.dimension = b.dimension;
        this.encoderName = b.encoderName != null ? b.encoderName : b.model;
        this.batchSize = b.batchSize;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.maxRetryAfter = b.maxRetryAfter;
        this.apiKeyEnv = b.apiKeyEnv;
    }

    /**
     * Returns a builder holding the defaults and no base URL, model or dimension.
     *
     * @return a new builder (not thread-safe)
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the API base URL, e.g. {@code https://api.openai.com/v1}, without a trailing slash.
     *
     * @return the base URL
     */
    public URI baseUrl() {
        return baseUrl;
    }

    /**
     * Returns the embeddings endpoint, {@code {baseUrl}/embeddings}.
     *
     * @return the endpoint URI
     */
    public URI endpoint() {
        return URI.create(baseUrl + "/embeddings");
    }

    /**
     * Returns the model sent in each request, e.g. {@code text-embedding-3-small}.
     *
     * @return the model name
     */
    public String model() {
        return model;
    }

    /**
     * Returns the dimension every returned vector must have.
     *
     * @return the dimension, positive
     */
    public int dimension() {
        return dimension;
    }

    /**
     * Returns the encoder name recorded on enriched items; the model name unless set.
     *
     * @return the encoder name
     */
    public String encoderName() {
        return encoderName;
    }

    /**
     * Returns the number of texts sent per request.
     *
     * @return the batch size, in {@code [1, 2048]}
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Returns the TCP connect timeout.
     *
     * @return a positive duration
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * Returns the timeout of one request.
     *
     * @return a positive duration
     */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * Returns the number of attempts per request, the first one included; 1 disables retries.
     *
     * @return the attempt count, in {@code [1, 20]}
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * Returns the backoff before the first retry; retry {@code k} (1-based) waits {@code
     * min(maxBackoff, initialBackoff * 2^(k-1))} scaled by a jitter factor in {@code [0.5, 1)}.
     *
     * @return a positive duration
     */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /**
     * Returns the cap of the exponential backoff.
     *
     * @return a duration not shorter than {@link #initialBackoff()}
     */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /**
     * Returns the longest {@code Retry-After} the embedder honours; a server asking for a longer
     * wait fails the call at once.
     *
     * @return a non-negative duration
     */
    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /**
     * Returns the name of the environment variable holding the API key (sent as a bearer token; no
     * {@code Authorization} header when the variable is unset or blank).
     *
     * @return the variable name
     */
    public String apiKeyEnv() {
        return apiKeyEnv;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpenAiEmbedderOptions other
                && baseUrl.equals(other.baseUrl)
                && model.equals(other.model)
                && dimension == other.dimension
                && encoderName.equals(other.encoderName)
                && batchSize == other.batchSize
                && connectTimeout.equals(other.connectTimeout)
                && requestTimeout.equals(other.requestTimeout)
                && maxAttempts == other.maxAttempts
                && initialBackoff.equals(other.initialBackoff)
                && maxBackoff.equals(other.maxBackoff)
                && maxRetryAfter.equals(other.maxRetryAfter)
                && apiKeyEnv.equals(other.apiKeyEnv);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                baseUrl,
                model,
                dimension,
                encoderName,
                batchSize,
                connectTimeout,
                requestTimeout,
                maxAttempts,
                initialBackoff,
                maxBackoff,
                maxRetryAfter,
                apiKeyEnv);
    }

    @Override
    public String toString() {
        return "OpenAiEmbedderOptions[baseUrl="
                + baseUrl
                + ", model="
                + model
                + ", dimension="
                + dimension
                + ", encoderName="
                + encoderName
                + ", batchSize="
                + batchSize
                + ", connectTimeout="
                + connectTimeout
                + ", requestTimeout="
                + requestTimeout
                + ", maxAttempts="
                + maxAttempts
                + ", initialBackoff="
                + initialBackoff
                + ", maxBackoff="
                + maxBackoff
                + ", maxRetryAfter="
                + maxRetryAfter
                + ", apiKeyEnv="
                + apiKeyEnv
                + "]";
    }

    /**
     * Mutable builder of {@link OpenAiEmbedderOptions}; each setter rejects a bad value at once.
     */
    public static final class Builder {
        private URI baseUrl;
        private String model;
        private int dimension;
        private String encoderName;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
        private String apiKeyEnv = DEFAULT_API_KEY_ENV;

        private Builder() {}

        /**
         * Sets the API base URL; a trailing slash is removed.
         *
         * @param value an absolute {@code http} or {@code https} URL without query or fragment
         * @return this builder
         * @throws IllegalArgumentException naming the value when it is not such a URL
         */
        public Builder baseUrl(String value) {
            Objects.requireNonNull(value, "baseUrl");
            URI uri;
            try {
                uri =
                        URI.create(
                                value.endsWith("/")
                                        ? value.substring(0, value.length() - 1)
                                        : value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("baseUrl is not a valid URI, got " + value, e);
            }
            String scheme = uri.getScheme();
            if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
                throw new IllegalArgumentException(
                        "baseUrl must be an http or https URL, got " + value);
            }
            if (uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalArgumentException(
                        "baseUrl must have a host and no query or fragment, got " + value);
            }
            this.baseUrl = uri;
            return this;
        }

        /**
         * Sets the model sent in each request.
         *
         * @param value non-blank
         * @return this builder
         * @throws IllegalArgumentException when blank
         */
        public Builder model(String value) {
            this.model = requireNonBlank(value, "model");
            return this;
        }

        /**
         * Sets the dimension every returned vector must have.
         *
         * @param value in {@code [1, 65536]}
         * @return this builder
         * @throws IllegalArgumentException naming the value when out of range
         */
        public Builder dimension(int value) {
            if (value < 1 || value > 65_536) {
                throw new IllegalArgumentException("dimension must be in [1, 65536], got " + value);
            }
            this.dimension = value;
            return this;
        }

        /**
         * Sets the encoder name recorded on enriched items (default: the model name).
         *
         * @param value non-blank
         * @return this builder
         * @throws IllegalArgumentException when blank
         */
        public Builder encoderName(String value) {
            this.encoderName = requireNonBlank(value, "encoderName");
            return this;
        }

        /**
         * Sets the number of texts per request.
         *
         * @param value in {@code [1, 2048]}
         * @return this builder
         * @throws IllegalArgumentException naming the value when out of range
         */
        public Builder batchSize(int value) {
            if (value < 1 || value > MAX_BATCH_SIZE) {
                throw new IllegalArgumentException(
                        "batchSize must be in [1, " + MAX_BATCH_SIZE + "], got " + value);
            }
            this.batchSize = value;
            return this;
        }

        /**
         * Sets the connect timeout.
         *
         * @param value positive
         * @return this builder
         * @throws IllegalArgumentException naming the value when not positive
         */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = requirePositive(value, "connectTimeout");
            return this;
        }

        /**
         * Sets the timeout of one request.
         *
         * @param value positive
         * @return this builder
         * @throws IllegalArgumentException naming the value when not positive
         */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = requirePositive(value, "requestTimeout");
            return this;
        }

        /**
         * Sets the number of attempts per request, the first one included.
         *
         * @param value in {@code [1, 20]}
         * @return this builder
         * @throws IllegalArgumentException naming the value when out of range
         */
        public Builder maxAttempts(int value) {
            if (value < 1 || value > 20) {
                throw new IllegalArgumentException("maxAttempts must be in [1, 20], got " + value);
            }
            this.maxAttempts = value;
            return this;
        }

        /**
         * Sets the backoff before the first retry.
         *
         * @param value positive
         * @return this builder
         * @throws IllegalArgumentException naming the value when not positive
         */
        public Builder initialBackoff(Duration value) {
            this.initialBackoff = requirePositive(value, "initialBackoff");
            return this;
        }

        /**
         * Sets the cap of the exponential backoff; {@link #build()} checks it is not shorter than
         * the initial backoff.
         *
         * @param value positive
         * @return this builder
         * @throws IllegalArgumentException naming the value when not positive
         */
        public Builder maxBackoff(Duration value) {
            this.maxBackoff = requirePositive(value, "maxBackoff");
            return this;
        }

        /**
         * Sets the longest {@code Retry-After} honoured.
         *
         * @param value non-negative
         * @return this builder
         * @throws IllegalArgumentException naming the value when negative
         */
        public Builder maxRetryAfter(Duration value) {
            Objects.requireNonNull(value, "maxRetryAfter");
            if (value.isNegative()) {
                throw new IllegalArgumentException(
                        "maxRetryAfter must not be negative, got " + value);
            }
            this.maxRetryAfter = value;
            return this;
        }

        /**
         * Sets the name of the environment variable holding the API key.
         *
         * @param value a variable name: a letter or underscore, then letters, digits, underscores
         * @return this builder
         * @throws IllegalArgumentException naming the value when it is not a variable name
         */
        public Builder apiKeyEnv(String value) {
            Objects.requireNonNull(value, "apiKeyEnv");
            if (!ENV_NAME.matcher(value).matches()) {
                throw new IllegalArgumentException(
                        "apiKeyEnv must be an environment variable name, got '" + value + "'");
            }
            this.apiKeyEnv = value;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the immutable options
         * @throws IllegalArgumentException when a required setting is missing or the backoff cap is
         *     shorter than the initial backoff
         */
        public OpenAiEmbedderOptions build() {
            if (baseUrl == null) {
                throw new IllegalArgumentException("baseUrl is required");
            }
            if (model == null) {
                throw new IllegalArgumentException("model is required");
            }
            if (dimension == 0) {
                throw new IllegalArgumentException("dimension is required");
            }
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException(
                        "maxBackoff must not be shorter than initialBackoff "
                                + initialBackoff
                                + ", got "
                                + maxBackoff);
            }
            return new OpenAiEmbedderOptions(this);
        }

        private static String requireNonBlank(String value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
            return value;
        }

        private static Duration requirePositive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }
    }
}
