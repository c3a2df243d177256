package org.sentimentstream.app;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.SaslConfigs;
import org.sentimentstream.config.SentimentStreamConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets Kafka's SASL/OAUTHBEARER login reach the token endpoint the configuration names. Kafka 4 fetches a
 * token only from a URL listed in the JVM system property {@value #ALLOWED_URLS_PROPERTY} (empty by default, so
 * every URL is refused); the service sets it to the {@code sasl.oauthbearer.token.endpoint.url} values of its
 * settings (with or without a client prefix such as {@code consumer.}), unless the property is set already: a
 * {@code -D} option wins, untouched, so a platform can still pin the allowed URLs for the JVM. The settings
 * are as trusted as a {@code -D} (both come from whoever deploys the service), so deriving the list from them
 * allows nothing the operator did not ask for. {@code file:} token endpoints are left to
 * {@code -Dorg.apache.kafka.sasl.oauthbearer.allowed.files}.
 */
public final class OAuthBearerUrls {

    /** Kafka's system property of the URLs an OAUTHBEARER login or JWKS may be fetched from. */
    public static final String ALLOWED_URLS_PROPERTY = "org.apache.kafka.sasl.oauthbearer.allowed.urls";

    private static final Logger LOG = LoggerFactory.getLogger(OAuthBearerUrls.class);
    private static final String TOKEN_ENDPOINT = SaslConfigs.SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL;

    private OAuthBearerUrls() {}

    /** Sets {@value #ALLOWED_URLS_PROPERTY} from {@code config} when it names a token endpoint and no -D did. */
    public static void allowConfiguredTokenEndpoints(SentimentStreamConfig config) {
        String current = System.getProperty(ALLOWED_URLS_PROPERTY);
        Optional<String> value = allowedUrls(config.passThroughSettings(), current);
        if (value.isPresent()) {
            System.setProperty(ALLOWED_URLS_PROPERTY, value.get());
            LOG.info(
                    "SASL/OAUTHBEARER token endpoint allowed (system property {}): {}",
                    ALLOWED_URLS_PROPERTY,
                    value.map(OAuthBearerUrls::withoutUserInfo).orElseThrow());
        } else if (current != null
                && !tokenEndpoints(config.passThroughSettings()).isEmpty()) {
            LOG.info("SASL/OAUTHBEARER: using the allowed URLs of -D{}", ALLOWED_URLS_PROPERTY);
        }
    }

    /**
     * The value {@value #ALLOWED_URLS_PROPERTY} should get: the HTTP(S) token endpoints of {@code settings}
     * (the pass-through settings), comma-separated; empty when the property is set already ({@code current} not
     * null) or no such endpoint is configured.
     */
    static Optional<String> allowedUrls(Map<String, Object> settings, String current) {
        if (current != null) {
            return Optional.empty();
        }
        Set<String> urls = tokenEndpoints(settings);
        return urls.isEmpty() ? Optional.empty() : Optional.of(String.join(",", urls));
    }

    /** The HTTP(S) values of {@code sasl.oauthbearer.token.endpoint.url} with any prefix, trimmed. */
    static Set<String> tokenEndpoints(Map<String, Object> settings) {
        Set<String> urls = new TreeSet<>();
        settings.forEach((name, value) -> {
            if ((name.equals(TOKEN_ENDPOINT) || name.endsWith("." + TOKEN_ENDPOINT)) && value != null) {
                String url = value.toString().trim();
                String lower = url.toLowerCase(Locale.ROOT);
                if (lower.startsWith("http://") || lower.startsWith("https://")) {
                    urls.add(url);
                }
            }
        });
        return urls;
    }

    /** {@code urls} (comma-separated) for a log line: without user info, query or fragment. */
    static String withoutUserInfo(String urls) {
        StringBuilder printed = new StringBuilder();
        for (String url : urls.split(",")) {
            if (printed.length() > 0) {
                printed.append(',');
            }
            try {
                URI uri = new URI(url);
                printed.append(new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null));
            } catch (URISyntaxException e) {
                printed.append("(a malformed URL)");
            }
        }
        return printed.toString();
    }
}
