package io.hyperrec.enrichment.llm;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Every setting of the {@link ChatClient}, declared once with its default and meaning, validated by
 * the builder (STYLE.md rule 6). Immutable. The API key is not a setting: only the name of the
 * environment variable that holds it is, so the key never appears in configuration files, in these
 * options or in their {@link #toString()}.
 *
 * <ul>
 *   <li>{@code baseUrl} (default {@value #DEFAULT_BASE_URL}, Ollama's): the OpenAI-compatible API
 *       root; requests go to {@code baseUrl + "/chat/completions"}. http or https, without user
 *       info, query or fragment. vLLM serves {@code http://host:8000/v1}, llama.cpp's server {@code
 *       http://host:8080/v1}, OpenAI {@code https://api.openai.com/v1}.
 *   <li>{@code model} (required): the model name the server knows, e.g. {@code qwen2.5:7b}.
 *   <li>{@code connectTimeout} (default 5 s): the TCP (and TLS) connect limit.
 *   <li>{@code requestTimeout} (default 60 s): the limit on one request, from sending it to having
 *       read the whole reply; a request past it is abandoned and retried.
 *   <li>{@code maxAttempts} (default {@value #DEFAULT_MAX_ATTEMPTS}): requests per call, the first
 *       included, whatever failed: timeouts, connection errors, 408/409/429/5xx, and replies that
 *       do not parse or validate.
 *   <li>{@code baseBackoff} (default 500 ms), {@code maxBackoff} (default 30 s): the wait before
 *       retry {@code n} (1-based) is uniform in {@code [0, min(maxBackoff, baseBackoff * 2^(n-1)))}
 *       ("full jitter"); a reply that fails validation is retried at once.
 *   <li>{@code maxRetryAfter} (default 60 s): the longest {@code Retry-After} (on 429 or 503)
 *       waited for; a server asking for longer fails the call at once.
 *   <li>{@code maxConcurrentRequests} (default {@value #DEFAULT_MAX_CONCURRENT_REQUESTS}): requests
 *       in flight at once per client, across threads; a local GPU server serves few at a time.
 *   <li>{@code apiKeyEnv} (default {@value #DEFAULT_API_KEY_ENV}): the environment variable holding
 *       the API key, sent as {@code Authorization: Bearer}; when unset or empty no header is sent
 *       (local servers need none).
 *   <li>{@code jsonMode} (default true): send {@code response_format: {"type": "json_object"}};
 *       turn off for servers that reject it (the reply is parsed strictly either way).
 *   <li>{@code temperature} (default 0): sampling temperature, 0 to 2.
 * </ul>
 */
public final class LlmOptions {
    /** Default API root: a local Ollama. */
    public static final String DEFAULT_BASE_URL = "http://localhost:11434/v1";

    /** Default environment variable holding the API key. */
    public static final String DEFAULT_API_KEY_ENV = "HYPERREC_LLM_API_KEY";

    /** Default requests per call. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    /** Default requests in flight per client. */
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 4;

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(30);

    private final URI baseUrl;
    private final String model;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final int maxAttempts;
    private final Duration baseBackoff;
    private final Duration maxBackoff;
    private final Duration maxRetryAfter;
    private final int maxConcurrentRequests;
    private final String apiKeyEnv;
    private final boolean jsonMode;
    private final double temperature;

    private LlmOptions(Builder b) {
        this.baseUrl = b.baseUrl;
        this.model = b.model;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.maxAttempts = b.maxAttempts;
        this.baseBackoff = b.baseBackoff;
        this.maxBackoff = b.maxBackoff;
        this.maxRetryAfter = b.maxRetryAfter;
        this.maxConcurrentRequests = b.maxConcurrentRequests;
        this.apiKeyEnv = b.apiKeyEnv;
        this.jsonMode = b.jsonMode;
        this.temperature = b.temperature;
    }

    /** A builder with every default; {@link Builder#model} must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.baseUrl = baseUrl;
        b.model = model;
        b.connectTimeout = connectTimeout;
        b.requestTimeout = requestTimeout;
        b.maxAttempts = maxAttempts;
        b.baseBackoff = baseBackoff;
        b.maxBackoff = maxBackoff;
        b.maxRetryAfter = maxRetryAfter;
        b.maxConcurrentRequests = maxConcurrentRequests;
        b.apiKeyEnv = apiKeyEnv;
        b.jsonMode = jsonMode;
        b.temperature = temperature;
        return b;
    }

    /** The API root, without a trailing slash. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** The chat-completions endpoint: {@code baseUrl + "/chat/completions"}. */
    public URI chatCompletionsUrl() {
        return URI.create(baseUrl + "/chat/completions");
    }

    /** The model name. */
    public String model() {
        return model;
    }

    /** The connect limit. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The limit on one request, reply read included. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** Requests per call, the first included. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** The backoff cap before the first retry. */
    public Duration baseBackoff() {
        return baseBackoff;
    }

    /** The largest backoff cap. */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** The longest Retry-After waited for. */
    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /** Requests in flight at once per client. */
    public int maxConcurrentRequests() {
        return maxConcurrentRequests;
    }

    /** The environment variable holding the API key. */
    public String apiKeyEnv() {
        return apiKeyEnv;
    }

    /** Whether {@code response_format: json_object} is sent. */
    public boolean jsonMode() {
        return jsonMode;
    }

    /** The sampling temperature. */
    public double temperature() {
        return temperature;
    }

    /** Every setting; there is no key to leave out, only the variable's name. */
    @Override
    public String toString() {
        return "LlmOptions{baseUrl="
                + baseUrl
                + ", model="
                + model
                + ", connectTimeout="
                + connectTimeout
                + ", requestTimeout="
                + requestTimeout
                + ", maxAttempts="
                + maxAttempts
                + ", baseBackoff="
                + baseBackoff
                + ", maxBackoff="
                + maxBackoff
                + ", maxRetryAfter="
                + maxRetryAfter
                + ", maxConcurrentRequests="
                + maxConcurrentRequests
                + ", apiKeyEnv="
                + apiKeyEnv
                + ", jsonMode="
                + jsonMode
                + ", temperature="
                + temperature
                + "}";
    }

    /** Builds {@link LlmOptions}; each setter fails fast on a bad value; not thread-safe. */
    public static final class Builder {
        private URI baseUrl = URI.create(DEFAULT_BASE_URL);
        private String model;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration baseBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration maxRetryAfter = Duration.ofSeconds(60);
        private int maxConcurrentRequests = DEFAULT_MAX_CONCURRENT_REQUESTS;
        private String apiKeyEnv = DEFAULT_API_KEY_ENV;
        private boolean jsonMode = true;
        private double temperature = 0.0;

        private Builder() {}

        /**
         * Sets the API root: an absolute http(s) URL without user info, query or fragment; a
         * trailing slash is dropped.
         */
        public Builder baseUrl(String baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            URI uri;
            try {
                uri = new URI(baseUrl);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(
                        "baseUrl must be a URL, got '" + baseUrl + "': " + e.getReason(), e);
            }
            if (uri.getRawUserInfo() != null) {
                // Not echoed: user info is a credential.
                throw new IllegalArgumentException(
                        "baseUrl must not carry user info; put the API key in the environment"
                                + " variable named by apiKeyEnv");
            }
            String scheme = uri.getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                throw new IllegalArgumentException(
                        "baseUrl must be an http or https URL, got '" + baseUrl + "'");
            }
            if (uri.getHost() == null
                    || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                throw new IllegalArgumentException(
                        "baseUrl must have a host and no query or fragment, got '" + baseUrl + "'");
            }
            String s = uri.toString();
            this.baseUrl = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
            return this;
        }

        /** Sets the model: non-blank, at most 200 characters, no control characters. */
        public Builder model(String model) {
            Objects.requireNonNull(model, "model");
            if (model.isBlank()
                    || model.length() > 200
                    || model.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException(
                        "model must be non-blank, at most 200 characters and without control"
                                + " characters, got '"
                                + model.replaceAll("\\p{Cntrl}", "?")
                                + "'");
            }
            this.model = model;
            return this;
        }

        /** Sets the connect limit: positive, at most 30 minutes. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        /** Sets the limit on one request: positive, at most 30 minutes. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive("requestTimeout", timeout);
            return this;
        }

        /** Sets the requests per call: 1 to 20. */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1 || attempts > 20) {
                throw new IllegalArgumentException(
                        "maxAttempts must be in [1, 20], got " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /** Sets the backoff cap before the first retry: positive, at most 30 minutes. */
        public Builder baseBackoff(Duration backoff) {
            this.baseBackoff = positive("baseBackoff", backoff);
            return this;
        }

        /** Sets the largest backoff cap: positive, at least baseBackoff (checked by build). */
        public Builder maxBackoff(Duration backoff) {
            this.maxBackoff = positive("maxBackoff", backoff);
            return this;
        }

        /** Sets the longest Retry-After waited for: zero (never wait) to 30 minutes. */
        public Builder maxRetryAfter(Duration limit) {
            Objects.requireNonNull(limit, "maxRetryAfter");
            if (limit.isNegative() || limit.compareTo(MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException(
                        "maxRetryAfter must be in [0, 30 min], got " + limit);
            }
            this.maxRetryAfter = limit;
            return this;
        }

        /** Sets the requests in flight at once: 1 to 1024. */
        public Builder maxConcurrentRequests(int n) {
            if (n < 1 || n > 1024) {
                throw new IllegalArgumentException(
                        "maxConcurrentRequests must be in [1, 1024], got " + n);
            }
            this.maxConcurrentRequests = n;
            return this;
        }

        /** Sets the environment variable holding the API key: a valid variable name. */
        public Builder apiKeyEnv(String name) {
            Objects.requireNonNull(name, "apiKeyEnv");
            if (!ENV_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(
                        "apiKeyEnv must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*),"
                                + " got '"
                                + name
                                + "'");
            }
            this.apiKeyEnv = name;
            return this;
        }

        /** Sets whether {@code response_format: json_object} is sent. */
        public Builder jsonMode(boolean jsonMode) {
            this.jsonMode = jsonMode;
            return this;
        }

        /** Sets the sampling temperature: 0 to 2. */
        public Builder temperature(double temperature) {
            if (!(temperature >= 0.0 && temperature <= 2.0)) {
                throw new IllegalArgumentException(
                        "temperature must be in [0, 2], got " + temperature);
            }
            this.temperature = temperature;
            return this;
        }

        /**
         * The options.
         *
         * @throws IllegalStateException when the model is not set
         * @throws IllegalArgumentException when maxBackoff is below baseBackoff
         */
        public LlmOptions build() {
            if (model == null) {
                throw new IllegalStateException("model must be set");
            }
            if (maxBackoff.compareTo(baseBackoff) < 0) {
                throw new IllegalArgumentException(
                        "maxBackoff must be at least baseBackoff ("
                                + baseBackoff
                                + "), got "
                                + maxBackoff);
            }
            return new LlmOptions(this);
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero() || d.compareTo(MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException(
                        name + " must be positive and at most 30 min, got " + d);
            }
            return d;
        }
    }
}
