package org.sentimentstream.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sentimentstream.localbroker.Folders;
import org.sentimentstream.localbroker.ListenerSecurity;
import org.sentimentstream.localbroker.LocalKafkaBroker;

/**
 * Security matrix, mutual TLS row (docs/SECURITY.md): the broker's client listener requires a client
 * certificate signed by the test CA. A client with one produces, classifies and consumes; a client without
 * one, or with an expired one, stops at start-up with one line and exit code 2.
 */
@Tag("integration")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class KafkaMutualTlsIT {

    /**
     * How a refused client certificate reads: under TLS 1.3 the broker's alert arrives after the client's side
     * of the handshake ("Failed to process post-handshake messages: Received fatal alert: bad_certificate").
     */
    private static final String REFUSED_CLIENT_CERTIFICATE =
            "SSL handshake failed|post-handshake messages: Received fatal alert: (bad_certificate|certificate_unknown)";

    private static Path folder;
    private static TestCertificates ca;
    private static Path clientKeyStore;
    private static Path expiredClientKeyStore;

    @RegisterExtension
    static final LocalBrokerExtension KAFKA = new LocalBrokerExtension(KafkaMutualTlsIT::startBroker);

    private static LocalKafkaBroker startBroker() {
        try {
            folder = Files.createTempDirectory("kafka-mtls-it");
            ca = TestCertificates.newCa(folder, "main");
            Path brokerKeyStore = ca.keyStore("broker", "ip:127.0.0.1", null, 3);
            clientKeyStore = ca.keyStore("sentiment-client", null, null, 3);
            expiredClientKeyStore = ca.keyStore("expired-client", null, "-10d", 1);
            Map<String, String> server = SecuredKafkaRuns.with(
                    SecuredKafkaRuns.brokerTls(brokerKeyStore),
                    "listener.name.client.ssl.truststore.type",
                    "PKCS12",
                    "listener.name.client.ssl.truststore.location",
                    ca.trustStore().toString(),
                    "listener.name.client.ssl.truststore.password",
                    TestCertificates.STORE_PASSWORD,
                    "listener.name.client.ssl.client.auth",
                    "required");
            return LocalKafkaBroker.builder()
                    .listenerSecurity(new ListenerSecurity(SecurityProtocol.SSL, server, List.of()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void deleteCertificates() throws IOException {
        Folders.deleteRecursively(folder);
    }

    private SecuredKafkaRuns runs() {
        return new SecuredKafkaRuns(KAFKA.broker(), folder);
    }

    private static Map<String, String> withClientCertificate(Path keyStore) {
        return SecuredKafkaRuns.with(
                SecuredKafkaRuns.tls(ca),
                "ssl.keystore.type",
                "PKCS12",
                "ssl.keystore.location",
                keyStore.toString(),
                "ssl.keystore.password",
                TestCertificates.STORE_PASSWORD);
    }

    @Test
    void shouldProduceClassifyAndConsumeWithAClientCertificate() throws Exception {
        runs().assertProduceClassifyConsume("mtls", withClientCertificate(clientKeyStore));
    }

    @Test
    void shouldStopAtStartUpWithoutAClientCertificate() throws Exception {
        runs().assertRefusedAtStartUp(
                        KAFKA.broker().clientBootstrapServers(),
                        SecuredKafkaRuns.tls(ca),
                        REFUSED_CLIENT_CERTIFICATE,
                        TestCertificates.STORE_PASSWORD);
    }

    @Test
    void shouldStopAtStartUpWithAnExpiredClientCertificate() throws Exception {
        runs().assertRefusedAtStartUp(
                        KAFKA.broker().clientBootstrapServers(),
                        withClientCertificate(expiredClientKeyStore),
                        REFUSED_CLIENT_CERTIFICATE,
                        TestCertificates.STORE_PASSWORD);
    }
}
