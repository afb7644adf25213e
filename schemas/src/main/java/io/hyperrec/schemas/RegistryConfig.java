package io.hyperrec.schemas;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which schema registry to use, as a small serializable value: "local" (the in-process {@link
 * LocalSchemaRegistry}) or the URL of a Confluent-compatible REST registry with its timeouts.
 *
 * <p>Why a config and not a registry: Flink serialises sources, sinks and their (de)serialization
 * schemas into the job graph and rebuilds them on task managers, where a live HTTP client or an
 * in-memory registry from the client JVM would be meaningless. So everything that travels holds a
 * {@code RegistryConfig}, and calls {@link #open()} where it runs.
 *
 * <p>{@link #open()} hands out one registry per config per JVM (class loader, to be exact), so all
 * the tasks of a task manager share one HTTP client and one cache. Immutable.
 */
public final class RegistryConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Default connect timeout of a REST registry. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** Default request timeout of a REST registry. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private static final String LOCAL = "local";
    private static final Map<RegistryConfig, SchemaRegistry> OPEN = new ConcurrentHashMap<>();

    /** The registry's kind. */
    public enum Kind {
        /** {@link LocalSchemaRegistry#shared()}. */
        LOCAL,
        /** A {@link RestSchemaRegistry}. */
        REST
    }

    private final Kind kind;
    private final URI url;
    private final Duration connectTimeout;
    private final Duration requestTimeout;

    private RegistryConfig(Kind kind, URI url, Duration connectTimeout, Duration requestTimeout) {
        this.kind = kind;
        this.url = url;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
    }

    /**
     * @return the config of the JVM's in-process registry
     */
    public static RegistryConfig local() {
        return new RegistryConfig(Kind.LOCAL, null, null, null);
    }

    /**
     * @param url the registry's base URL, e.g. {@code http://registry:8081}
     * @return the config of a REST registry with the default timeouts
     */
    public static RegistryConfig rest(String url) {
        return rest(toUri(url), DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * @param url the registry's base URL (http or https, with a host)
     * @param connectTimeout how long connecting may take, positive
     * @param requestTimeout how long one request may take, positive
     * @return the config of a REST registry
     */
    public static RegistryConfig rest(URI url, Duration connectTimeout, Duration requestTimeout) {
        if (url == null
                || url.getHost() == null
                || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            throw new IllegalArgumentException(
                    "schema registry URL must be an http(s) URL with a host, got " + url);
        }
        checkPositive(connectTimeout, "connect timeout");
        checkPositive(requestTimeout, "request timeout");
        return new RegistryConfig(Kind.REST, url, connectTimeout, requestTimeout);
    }

    /**
     * Reads a config from a configuration value.
     *
     * @param value "local", or the http(s) URL of a REST registry
     * @return the config
     */
    public static RegistryConfig parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(
                    "schema registry must be 'local' or an http(s) URL, got '" + value + "'");
        }
        String v = value.trim();
        return LOCAL.equalsIgnoreCase(v) ? local() : rest(v);
    }

    /**
     * @return the registry this config describes: the JVM's {@link LocalSchemaRegistry#shared()} or
     *     a {@link RestSchemaRegistry} shared by all equal configs in the JVM
     */
    public SchemaRegistry open() {
        if (kind == Kind.LOCAL) {
            return LocalSchemaRegistry.shared();
        }
        return OPEN.computeIfAbsent(
                this, c -> new RestSchemaRegistry(c.url, c.connectTimeout, c.requestTimeout));
    }

    /**
     * @return the kind of registry
     */
    public Kind kind() {
        return kind;
    }

    /**
     * @return the REST registry's URL, null for {@link Kind#LOCAL}
     */
    public URI url() {
        return url;
    }

    private static URI toUri(String url) {
        if (url == null) {
            throw new IllegalArgumentException("schema registry URL must not be null");
        }
        try {
            return new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "schema registry URL is not a URL: '" + url + "' (" + e.getMessage() + ")", e);
        }
    }

    private static void checkPositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegistryConfig c
                && kind == c.kind
                && Objects.equals(url, c.url)
                && Objects.equals(connectTimeout, c.connectTimeout)
                && Objects.equals(requestTimeout, c.requestTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, url, connectTimeout, requestTimeout);
    }

    @Override
    public String toString() {
        return kind == Kind.LOCAL
                ? LOCAL
                : url
                        + " (connect timeout "
                        + connectTimeout
                        + ", request timeout "
                        + requestTimeout
                        + ")";
    }
}
