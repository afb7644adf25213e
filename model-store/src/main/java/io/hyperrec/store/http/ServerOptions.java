package io.hyperrec.store.http;

import java.time.Clock;
import java.util.Objects;

/**
 * Every setting of the {@link ServingServer}, declared once with its default and meaning, validated
 * by the builder (STYLE.md rule 6). Immutable.
 *
 * <ul>
 *   <li>{@code host} (default {@code 0.0.0.0}): the address to listen on.
 *   <li>{@code port} (default {@value #DEFAULT_PORT}): the port; 0 picks a free one (tests).
 *   <li>{@code defaultK} (default {@value #DEFAULT_K}): recommendations when {@code k} is absent.
 *   <li>{@code maxK} (default {@value #MAX_K}): the largest {@code k} accepted; a scan's cost and a
 *       response's size grow with it.
 *   <li>{@code clock} (default the UTC system clock): the default {@code eventTime} of posted
 *       events and the freshness gauge.
 * </ul>
 */
public final class ServerOptions {
    /** Default port. */
    public static final int DEFAULT_PORT = 8080;

    /** Default k. */
    public static final int DEFAULT_K = 20;

    /** Default largest k. */
    public static final int MAX_K = 1000;

    private final String host;
    private final int port;
    private final int defaultK;
    private final int maxK;
    private final Clock clock;

    private ServerOptions(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.defaultK = b.defaultK;
        this.maxK = b.maxK;
        this.clock = b.clock;
    }

    /** Options with every default. */
    public static ServerOptions defaults() {
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

    /** Recommendations when k is absent. */
    public int defaultK() {
        return defaultK;
    }

    /** The largest k accepted. */
    public int maxK() {
        return maxK;
    }

    /** The clock. */
    public Clock clock() {
        return clock;
    }

    /** Builds {@link ServerOptions}; not thread-safe. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private int defaultK = DEFAULT_K;
        private int maxK = MAX_K;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** Sets the address to listen on. */
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

        /** Sets the default k: 1 to maxK. */
        public Builder defaultK(int k) {
            this.defaultK = k;
            return this;
        }

        /** Sets the largest k accepted: at least 1. */
        public Builder maxK(int k) {
            this.maxK = k;
            return this;
        }

        /** Sets the clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The options. */
        public ServerOptions build() {
            if (maxK < 1) {
                throw new IllegalArgumentException("maxK must be positive, got " + maxK);
            }
            if (defaultK < 1 || defaultK > maxK) {
                throw new IllegalArgumentException(
                        "defaultK must be in [1, " + maxK + "], got " + defaultK);
            }
            return new ServerOptions(this);
        }
    }
}
