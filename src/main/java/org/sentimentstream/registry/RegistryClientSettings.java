package org.sentimentstream.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.ssl.DefaultSslEngineFactory;

/**
 * The settings of the schema registry client, under the names Confluent's clients use, so that a
 * producer's or consumer's registry configuration can be copied unchanged: {@code schema.registry.url}
 * (several URLs fail over), {@code basic.auth.credentials.source} and {@code basic.auth.user.info},
 * {@code schema.registry.ssl.*} (Kafka's {@code ssl.*} client settings with the prefix, read by Kafka's
 * own SSL factory: JKS, PKCS12 and PEM), {@code http.connect.timeout.ms}, {@code http.read.timeout.ms},
 * {@code retries.wait.ms}, {@code retries.max.wait.ms}, {@code missing.id.cache.ttl.sec} and
 * {@code max.schemas.per.subject}; and one of this service's own,
 * {@code schema.registry.retry.timeout.ms}, which bounds how long one call keeps retrying.
 */
public final class RegistryClientSettings extends AbstractConfig {

    public static final String URL_CONFIG = "schema.registry.url";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";
    public static final String USER_INFO_CONFIG = "basic.auth.user.info";
    /** Confluent's older name of {@link #USER_INFO_CONFIG}, still read by its clients. */
    public static final String LEGACY_USER_INFO_CONFIG = "schema.registry.basic.auth.user.info";

    public static final String HTTP_CONNECT_TIMEOUT_MS_CONFIG = "http.connect.timeout.ms";
    public static final String HTTP_READ_TIMEOUT_MS_CONFIG = "http.read.timeout.ms";
    public static final String RETRIES_WAIT_MS_CONFIG = "retries.wait.ms";
    public static final String RETRIES_MAX_WAIT_MS_CONFIG = "retries.max.wait.ms";
    public static final String RETRY_TIMEOUT_MS_CONFIG = "schema.registry.retry.timeout.ms";
    public static final String MISSING_ID_CACHE_TTL_SEC_CONFIG = "missing.id.cache.ttl.sec";
    public static final String MAX_SCHEMAS_PER_SUBJECT_CONFIG = "max.schemas.per.subject";
    /** Prefix of the SSL settings of the registry's HTTPS connections. */
    public static final String SSL_PREFIX = "schema.registry.";

    public static final long DEFAULT_RETRY_TIMEOUT_MS = 120_000;
    public static final long DEFAULT_MISSING_ID_CACHE_TTL_SEC = 60;
    public static final int DEFAULT_MAX_SCHEMAS_PER_SUBJECT = 1000;

    private static final ConfigDef CONFIG_DEF = defineSettings();

    /** Where basic-auth credentials come from. */
    public enum CredentialsSource {
        /** The user info of each URL ({@code https://user:password@host/...}); none when a URL has none. */
        URL,
        /** {@code basic.auth.user.info} (or {@code schema.registry.basic.auth.user.info}). */
        USER_INFO
    }

    /**
     * One registry URL, without its user info, and the {@code Authorization} header to send to it.
     *
     * @param baseUri       the API's base, such as {@code http://host:8081} or
     *                      {@code http://host:8080/apis/ccompat/v7}, without a trailing slash
     * @param authorization the {@code Basic ...} header value, if credentials are configured
     */
    public record Endpoint(URI baseUri, Optional<String> authorization) {

        @Override
        public String toString() {
            return baseUri.toString();
        }
    }

    public RegistryClientSettings(Map<?, ?> settings) {
        super(CONFIG_DEF, settings, false);
    }

    /** A copy of the definitions of the client's settings. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    private static ConfigDef defineSettings() {
        ConfigDef def = new ConfigDef()
                .define(
                        URL_CONFIG,
                        Type.LIST,
                        "",
                        ConfigDef.LambdaValidator.with(
                                (name, value) -> {
                                    for (Object url : (List<?>) value) {
                                        parseUrl(name, url.toString());
                                    }
                                },
                                () -> "http(s) URLs, comma-separated"),
                        Importance.HIGH,
                        "Base URLs of the schema registry's Confluent-compatible REST API (for Apicurio Registry,"
                                + " http://HOST:PORT/apis/ccompat/v7), comma-separated: a URL that cannot be"
                                + " reached fails over to the next. Required by the confluent-avro format.")
                .define(
                        BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG,
                        Type.STRING,
                        CredentialsSource.URL.name(),
                        ConfigDef.LambdaValidator.with(
                                (name, value) -> credentialsSource(name, (String) value), () -> "URL, USER_INFO"),
                        Importance.MEDIUM,
                        "Where the registry's basic-auth credentials come from. URL: the user info of each"
                                + " URL (https://user:password@host/...), none if it has none; USER_INFO:"
                                + " basic.auth.user.info. (Confluent's SASL_INHERIT is not supported.)")
                .define(
                        USER_INFO_CONFIG,
                        Type.PASSWORD,
                        "",
                        Importance.MEDIUM,
                        "Basic-auth credentials for the registry, USER:PASSWORD, with"
                                + " basic.auth.credentials.source=USER_INFO.")
                .define(
                        LEGACY_USER_INFO_CONFIG,
                        Type.PASSWORD,
                        "",
                        Importance.LOW,
                        "Confluent's older name of basic.auth.user.info, read when that is empty.")
                .define(
                        HTTP_CONNECT_TIMEOUT_MS_CONFIG,
                        Type.INT,
                        10_000,
                        Range.between(1, 600_000),
                        Importance.LOW,
                        "Longest wait, in milliseconds, for a connection to one registry URL before failing"
                                + " over to the next (Confluent's client waits 60000).")
                .define(
                        HTTP_READ_TIMEOUT_MS_CONFIG,
                        Type.INT,
                        30_000,
                        Range.between(1, 600_000),
                        Importance.LOW,
                        "Longest wait, in milliseconds, for the registry's answer to one request before"
                                + " failing over to the next URL (Confluent's client waits 60000).")
                .define(
                        RETRIES_WAIT_MS_CONFIG,
                        Type.INT,
                        1000,
                        Range.between(1, 600_000),
                        Importance.LOW,
                        "Back-off, in milliseconds, before the first retry once every registry URL has failed;"
                                + " it doubles at each retry, up to retries.max.wait.ms.")
                .define(
                        RETRIES_MAX_WAIT_MS_CONFIG,
                        Type.INT,
                        20_000,
                        Range.between(1, 600_000),
                        Importance.LOW,
                        "Longest back-off, in milliseconds, between two retries of a registry call.")
                .define(
                        RETRY_TIMEOUT_MS_CONFIG,
                        Type.LONG,
                        DEFAULT_RETRY_TIMEOUT_MS,
                        Range.between(0, 3_600_000),
                        Importance.MEDIUM,
                        "Longest time, in milliseconds, one registry call keeps retrying while no registry"
                                + " URL answers (connection refused, time-out, HTTP 5xx) before it fails. On a"
                                + " stream thread, a record whose schema id is not cached yet waits this long"
                                + " (it is never dead-lettered for an unreachable registry), then the service"
                                + " stops with exit code 1 without committing it. Keep it below Kafka's"
                                + " max.poll.interval.ms (300000).")
                .define(
                        MISSING_ID_CACHE_TTL_SEC_CONFIG,
                        Type.LONG,
                        DEFAULT_MISSING_ID_CACHE_TTL_SEC,
                        Range.between(0, 86_400),
                        Importance.LOW,
                        "Seconds a schema id the registry does not know (404, error 40403, asked twice"
                                + " retries.wait.ms apart) is answered from memory: records naming it are"
                                + " dead-lettered as UNKNOWN_SCHEMA_ID without asking again. 0: never"
                                + " remembered, every such record asks twice. Confluent's name; its default is 0,"
                                + " this service's 60 (see docs/SCHEMA_REGISTRY.md).")
                .define(
                        MAX_SCHEMAS_PER_SUBJECT_CONFIG,
                        Type.INT,
                        DEFAULT_MAX_SCHEMAS_PER_SUBJECT,
                        Range.between(1, 1_000_000),
                        Importance.LOW,
                        "Capacity of each of the registry client's caches (schemas by id, ids by subject and"
                                + " schema, and the readers resolved per writer id); beyond it the least"
                                + " recently used entry is dropped and asked again when needed. Confluent's"
                                + " serdes pass this setting to their client as the same capacity.");
        ConfigDef ssl = new ConfigDef().withClientSslSupport();
        for (ConfigDef.ConfigKey key : ssl.configKeys().values()) {
            if (key.name.equals(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG)) {
                continue; // a plug-in for Kafka's own connections; the registry client needs an SSLContext
            }
            def.define(
                    SSL_PREFIX + key.name,
                    key.type,
                    key.defaultValue,
                    key.validator,
                    Importance.LOW,
                    "Kafka's " + key.name + ", for HTTPS connections to the schema registry.");
        }
        return def;
    }

    /** The registry URLs; empty when none is configured. */
    public List<Endpoint> endpoints() {
        List<String> urls = getList(URL_CONFIG);
        Optional<String> userInfo = switch (credentialsSource()) {
            case URL -> Optional.empty();
            case USER_INFO -> Optional.of(userInfo());
        };
        List<Endpoint> endpoints = new ArrayList<>();
        for (String url : urls) {
            URI uri = parseUrl(URL_CONFIG, url);
            Optional<String> credentials = userInfo.isPresent() ? userInfo : Optional.ofNullable(uri.getUserInfo());
            endpoints.add(new Endpoint(withoutUserInfo(uri), credentials.map(RegistryClientSettings::basicAuth)));
        }
        return endpoints;
    }

    /**
     * Checks what the settings need together, for a configuration that uses the registry: at least one
     * URL, credentials where USER_INFO is chosen, and host-name verification for HTTPS.
     *
     * @throws ConfigException naming the setting at fault
     */
    public void requireUsable(String requiredBy) {
        if (getList(URL_CONFIG).isEmpty()) {
            throw new ConfigException(URL_CONFIG, "", "Required by " + requiredBy);
        }
        if (credentialsSource() == CredentialsSource.USER_INFO) {
            userInfo();
        }
        String identification = getString(SSL_PREFIX + SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG);
        if (usesHttps() && (identification == null || !identification.equalsIgnoreCase("https"))) {
            throw new ConfigException(
                    SSL_PREFIX + SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG,
                    identification,
                    "Must be https: the registry client always verifies the registry's host name");
        }
        if (usesHttps()) {
            sslContext();
        }
        endpoints();
    }

    /** Whether one of the URLs is HTTPS. */
    public boolean usesHttps() {
        return getList(URL_CONFIG).stream()
                .anyMatch(url -> url.trim().toLowerCase(Locale.ROOT).startsWith("https:"));
    }

    /**
     * The SSL context of HTTPS connections, built by Kafka's own SSL factory from the
     * {@code schema.registry.ssl.*} settings.
     *
     * @throws ConfigException when a key store or trust store cannot be loaded
     */
    public SSLContext sslContext() {
        Map<String, Object> ssl = new HashMap<>();
        for (String name : CONFIG_DEF.names()) {
            if (name.startsWith(SSL_PREFIX + "ssl.")) {
                ssl.put(name.substring(SSL_PREFIX.length()), get(name));
            }
        }
        ssl.put(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, null);
        DefaultSslEngineFactory factory = new DefaultSslEngineFactory();
        try {
            factory.configure(ssl);
            return factory.sslContext();
        } catch (RuntimeException e) {
            throw new ConfigException("The " + SSL_PREFIX + "ssl.* settings cannot be used: " + e.getMessage());
        }
    }

    public Duration connectTimeout() {
        return Duration.ofMillis(getInt(HTTP_CONNECT_TIMEOUT_MS_CONFIG));
    }

    public Duration readTimeout() {
        return Duration.ofMillis(getInt(HTTP_READ_TIMEOUT_MS_CONFIG));
    }

    public Duration retriesWait() {
        return Duration.ofMillis(getInt(RETRIES_WAIT_MS_CONFIG));
    }

    public Duration retriesMaxWait() {
        return Duration.ofMillis(getInt(RETRIES_MAX_WAIT_MS_CONFIG));
    }

    public Duration retryTimeout() {
        return Duration.ofMillis(getLong(RETRY_TIMEOUT_MS_CONFIG));
    }

    /** How long an unknown schema id is remembered; zero when misses are not remembered. */
    public Duration missingIdCacheTtl() {
        return Duration.ofSeconds(getLong(MISSING_ID_CACHE_TTL_SEC_CONFIG));
    }

    /** The capacity of each cache of the client. */
    public int cacheCapacity() {
        return getInt(MAX_SCHEMAS_PER_SUBJECT_CONFIG);
    }

    CredentialsSource credentialsSource() {
        return credentialsSource(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, getString(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG));
    }

    private String userInfo() {
        Password info = getPassword(USER_INFO_CONFIG);
        String value = info == null ? "" : info.value();
        String name = USER_INFO_CONFIG;
        if (value.isEmpty()) {
            Password legacy = getPassword(LEGACY_USER_INFO_CONFIG);
            value = legacy == null ? "" : legacy.value();
            name = value.isEmpty() ? USER_INFO_CONFIG : LEGACY_USER_INFO_CONFIG;
        }
        if (value.indexOf(':') < 1) {
            throw new ConfigException(
                    name,
                    "[hidden]",
                    "Must be USER:PASSWORD with " + BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG + "=USER_INFO");
        }
        return value;
    }

    private static CredentialsSource credentialsSource(String name, String value) {
        String given = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        if (given.equals("SASL_INHERIT")) {
            throw new ConfigException(name, value, "SASL_INHERIT is not supported; use USER_INFO or URL");
        }
        try {
            return CredentialsSource.valueOf(given);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, "Must be URL or USER_INFO");
        }
    }

    /** The value of an {@code Authorization} header for basic auth with USER:PASSWORD (RFC 7617, UTF-8). */
    static String basicAuth(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    private static URI parseUrl(String name, String url) {
        String trimmed = url.trim();
        URI uri;
        try {
            uri = new URI(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
        } catch (URISyntaxException e) {
            throw new ConfigException(name, trimmed.contains("@") ? "[a URL with user info]" : url, "Not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new ConfigException(name, redact(uri), "Must be an http:// or https:// URL with a host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ConfigException(name, redact(uri), "Must have no query or fragment");
        }
        return uri;
    }

    private static URI withoutUserInfo(URI uri) {
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
        } catch (URISyntaxException e) {
            throw new ConfigException(URL_CONFIG, redact(uri), "Not a URL: " + e.getReason());
        }
    }

    /** The URL with its user info hidden, for messages. */
    static String redact(URI uri) {
        return uri.getUserInfo() == null ? uri.toString() : uri.toString().replace(uri.getRawUserInfo(), "[hidden]");
    }
}
