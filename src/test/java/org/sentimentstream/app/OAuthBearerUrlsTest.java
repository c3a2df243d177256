package org.sentimentstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which token endpoints the service allows for SASL/OAUTHBEARER (Kafka's allowed-URLs system property): the
 * configured HTTP(S) ones, with any client prefix, unless a {@code -D} set the property already.
 */
class OAuthBearerUrlsTest {

    private static final String TOKEN_URL = "sasl.oauthbearer.token.endpoint.url";

    @Test
    void shouldAllowTheConfiguredTokenEndpointWhenNoSystemPropertyIsSet() {
        assertThat(OAuthBearerUrls.allowedUrls(Map.of(TOKEN_URL, " https://idp.example/token "), null))
                .contains("https://idp.example/token");
    }

    @Test
    void shouldAllowTheTokenEndpointsOfPrefixedClientSettingsToo() {
        Map<String, Object> settings = Map.of(
                TOKEN_URL,
                "https://idp.example/token",
                "consumer." + TOKEN_URL,
                "https://other.example/oauth2/token",
                "main.consumer." + TOKEN_URL,
                "https://idp.example/token");

        assertThat(OAuthBearerUrls.allowedUrls(settings, null))
                .contains("https://idp.example/token,https://other.example/oauth2/token");
    }

    @Test
    void shouldLeaveASystemPropertySetOnTheCommandLineAsItIs() {
        assertThat(OAuthBearerUrls.allowedUrls(Map.of(TOKEN_URL, "https://idp.example/token"), "https://pinned/t"))
                .isEmpty();
    }

    @Test
    void shouldAllowNothingWithoutAnHttpTokenEndpoint() {
        assertThat(OAuthBearerUrls.allowedUrls(Map.of("sasl.mechanism", "OAUTHBEARER"), null))
                .isEmpty();
        assertThat(OAuthBearerUrls.allowedUrls(Map.of(TOKEN_URL, "file:/var/run/token.jwt"), null))
                .isEmpty();
        assertThat(OAuthBearerUrls.allowedUrls(Map.of("not." + TOKEN_URL + ".really", "https://x/t"), null))
                .isEmpty();
    }

    @Test
    void shouldLogTheAllowedUrlsWithoutUserInfoOrQuery() {
        assertThat(OAuthBearerUrls.withoutUserInfo("https://user:s3cret@idp.example:8443/token?key=s3cret,http://a/t"))
                .isEqualTo("https://idp.example:8443/token,http://a/t")
                .doesNotContain("s3cret");
    }
}
