package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.provider.FileConfigProvider;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sentimentstream.app.OAuthBearerUrls;
import org.sentimentstream.cli.ExitCodes;
import org.sentimentstream.localbroker.Folders;
import org.sentimentstream.localbroker.ListenerSecurity;
import org.sentimentstream.localbroker.LocalKafkaBroker;

/**
 * Security matrix, SASL/OAUTHBEARER over TLS row (docs/SECURITY.md): a real OAuth 2 token endpoint
 * ({@link TestTokenIssuer}, JDK {@code HttpServer}) hands out RS256 JWTs for the {@code client_credentials}
 * grant; the broker validates them against the issuer's JWKS, audience and issuer
 * ({@code OAuthBearerValidatorCallbackHandler}); the clients log in with {@code OAuthBearerLoginCallbackHandler},
 * the client secret read from a file by Kafka's {@code FileConfigProvider}. The service allows the token
 * endpoint in Kafka's allowed-URLs system property by itself (no {@code -D} is given to the commands); the
 * broker's JVM gets its JWKS URL through {@link ListenerSecurity#systemProperties()}. With the right secret,
 * produce, classify and consume work; a wrong secret stops the service at start-up with one line and exit
 * code 2; a token signed by a key the JWKS does not publish (under the published key id) is refused by the
 * broker for its signature (exit code 2); a token endpoint answering 503, or one that cannot be reached, is
 * retried by Kafka and then stops the service with one line and exit code 1.
 */
@Tag("integration")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class KafkaOAuthIT {

    private static final String AUDIENCE = "sentiment-kafka";
    private static final String ISSUER = "https://issuer.test/sentiment";
    private static final String CLIENT_ID = "sentiment-stream";
    private static final String SECRET = "oauth-Secr3t-" + Long.toHexString(System.nanoTime());
    private static final String ROGUE_ID = "sentiment-rogue";
    private static final String ROGUE_SECRET = "rogue-Secr3t-" + Long.toHexString(System.nanoTime());
    /** What the broker (jose4j) logs about a token whose signature the JWKS's key does not verify. */
    private static final String INVALID_SIGNATURE = "JWT rejected due to invalid signature";

    private static Path folder;
    private static TestCertificates ca;
    private static TestTokenIssuer issuer;

    @RegisterExtension
    static final LocalBrokerExtension KAFKA = new LocalBrokerExtension(KafkaOAuthIT::startBroker);

    private static LocalKafkaBroker startBroker() {
        try {
            folder = Files.createTempDirectory("kafka-oauth-it");
            ca = TestCertificates.newCa(folder, "main");
            issuer = TestTokenIssuer.start(
                    ISSUER,
                    AUDIENCE,
                    TestTokenIssuer.Client.of(CLIENT_ID, SECRET),
                    TestTokenIssuer.Client.rogue(ROGUE_ID, ROGUE_SECRET));
            Path keyStore = ca.keyStore("broker", "ip:127.0.0.1", null, 3);
            Map<String, String> server = SecuredKafkaRuns.with(
                    SecuredKafkaRuns.brokerTls(keyStore),
                    "sasl.enabled.mechanisms",
                    "OAUTHBEARER",
                    "listener.name.client.oauthbearer.sasl.jaas.config",
                    "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;",
                    "listener.name.client.oauthbearer.sasl.server.callback.handler.class",
                    "org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler",
                    "sasl.oauthbearer.jwks.endpoint.url",
                    issuer.jwksUrl(),
                    "sasl.oauthbearer.expected.audience",
                    AUDIENCE,
                    "sasl.oauthbearer.expected.issuer",
                    ISSUER);
            return LocalKafkaBroker.builder()
                    .listenerSecurity(new ListenerSecurity(
                            SecurityProtocol.SASL_SSL,
                            server,
                            List.of(),
                            Map.of(OAuthBearerUrls.ALLOWED_URLS_PROPERTY, issuer.jwksUrl())))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopIssuerAndDeleteCertificates() throws IOException {
        if (issuer != null) {
            issuer.close();
        }
        Folders.deleteRecursively(folder);
    }

    private SecuredKafkaRuns runs() {
        return new SecuredKafkaRuns(KAFKA.broker(), folder);
    }

    /**
     * Client settings of an OAUTHBEARER login over TLS as {@code clientId} with this secret (or a reference to
     * it), with Kafka 4's own settings (the JAAS options {@code clientId}/{@code clientSecret} are deprecated).
     */
    private static Map<String, String> oauth(String clientId, String secretValue) {
        return oauth(issuer.tokenUrl(), clientId, secretValue);
    }

    /** As {@link #oauth(String, String)}, with this token endpoint. */
    private static Map<String, String> oauth(String tokenUrl, String clientId, String secretValue) {
        return SecuredKafkaRuns.with(
                SecuredKafkaRuns.tls(ca),
                "security.protocol",
                "SASL_SSL",
                "sasl.mechanism",
                "OAUTHBEARER",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;",
                "sasl.login.callback.handler.class",
                "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler",
                "sasl.oauthbearer.token.endpoint.url",
                tokenUrl,
                "sasl.oauthbearer.client.credentials.client.id",
                clientId,
                "sasl.oauthbearer.client.credentials.client.secret",
                secretValue,
                "sasl.oauthbearer.scope",
                "sentiment");
    }

    @Test
    void shouldProduceClassifyAndConsumeWithATokenFromTheIssuerAndASecretReadFromAFile() throws Exception {
        Path secrets = Files.writeString(folder.resolve("oauth-client.properties"), "secret=" + SECRET + "\n");
        Map<String, String> settings = SecuredKafkaRuns.with(
                oauth(CLIENT_ID, "${file:" + secrets + ":secret}"),
                "config.providers",
                "file",
                "config.providers.file.class",
                FileConfigProvider.class.getName());

        runs().assertProduceClassifyConsume("oauth", settings);
    }

    @Test
    void shouldStopAtStartUpOnAWrongClientSecret() throws Exception {
        String wrong = "wrong-" + SECRET;

        runs().assertRefusedAtStartUp(
                        KAFKA.broker().clientBootstrapServers(),
                        oauth(CLIENT_ID, wrong),
                        "The response code 401",
                        wrong);
    }

    @Test
    void shouldBeRefusedByTheBrokerWithATokenSignedByAKeyTheJwksDoesNotPublish() throws Exception {
        runs().assertRefusedAtStartUp(
                        KAFKA.broker().clientBootstrapServers(),
                        oauth(ROGUE_ID, ROGUE_SECRET),
                        "invalid_token",
                        ROGUE_SECRET);
        Path brokerLog = KAFKA.broker().logFile();
        assertThat(Conditions.await(
                        () -> Files.readString(brokerLog, StandardCharsets.UTF_8)
                                .contains(INVALID_SIGNATURE),
                        Duration.ofMinutes(1)))
                .as(
                        "the broker refused the token for its signature; broker log:\n%s",
                        KAFKA.broker().logTail())
                .isTrue();
    }

    /**
     * A token endpoint that answers 5xx or cannot be reached is retried by Kafka, with exponential back-off from
     * {@code sasl.login.retry.backoff.ms} for {@code sasl.login.retry.backoff.max.ms} in all (kept short here);
     * each attempt is a WARN of Kafka's {@code Retry} logger (with a stack trace); then the service stops with
     * one error line and exit code 1, a run-time failure that a restart may fix.
     */
    private String assertRetriedThenExitCode1(String tokenUrl) throws Exception {
        Map<String, String> settings = SecuredKafkaRuns.with(
                oauth(tokenUrl, CLIENT_ID, SECRET),
                "sasl.login.retry.backoff.ms",
                "100",
                "sasl.login.retry.backoff.max.ms",
                "1000");

        String output = runs().runUntilItStops(KAFKA.broker().clientBootstrapServers(), settings, ExitCodes.FAILURE);

        List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
        assertThat(output)
                .containsPattern(
                        "Retry - Attempt 1 to make call resulted in an error; sleeping \\d+ ms before retrying")
                .doesNotContain(SECRET);
        String errorLine = lines.get(lines.size() - 1);
        assertThat(errorLine).startsWith("sentiment-stream run: error: ");
        return errorLine;
    }

    @Test
    void shouldRetryATokenEndpointAnswering503ThenStopWithExitCode1() throws Exception {
        try (TestTokenIssuer down = TestTokenIssuer.startUnavailable(ISSUER, AUDIENCE)) {
            String errorLine = assertRetriedThenExitCode1(down.tokenUrl());

            assertThat(errorLine).contains("The unexpected response code 503");
            assertThat(down.tokenRequests())
                    .as("Kafka retried the token request")
                    .isGreaterThan(1);
        }
    }

    @Test
    void shouldRetryAnUnreachableTokenEndpointThenStopWithExitCode1() throws Exception {
        String tokenUrl;
        try (TestTokenIssuer gone = TestTokenIssuer.startUnavailable(ISSUER, AUDIENCE)) {
            tokenUrl = gone.tokenUrl();
        }

        String errorLine = assertRetriedThenExitCode1(tokenUrl);

        assertThat(errorLine).contains("Connection refused");
    }
}
