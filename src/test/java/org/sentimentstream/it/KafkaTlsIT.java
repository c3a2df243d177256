package org.sentimentstream.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * Security matrix, TLS row (docs/SECURITY.md): a broker whose client listener speaks TLS with a certificate
 * for 127.0.0.1 signed by a test CA. Clients that trust the CA, with host-name verification on (Kafka's
 * default), produce, classify and consume through it; a client that trusts another CA, that reaches the
 * broker by a name its certificate does not carry, or that meets a second broker whose certificate has
 * expired, stops at start-up with one line and exit code 2.
 */
@Tag("integration")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class KafkaTlsIT {

    private static Path folder;
    private static TestCertificates ca;
    private static TestCertificates otherCa;

    @RegisterExtension
    static final LocalBrokerExtension KAFKA = new LocalBrokerExtension(KafkaTlsIT::startBroker);

    private static LocalKafkaBroker startBroker() {
        try {
            folder = Files.createTempDirectory("kafka-tls-it");
            ca = TestCertificates.newCa(folder, "main");
            otherCa = TestCertificates.newCa(folder, "other");
            Path keyStore = ca.keyStore("broker", "ip:127.0.0.1", null, 3);
            return LocalKafkaBroker.builder()
                    .listenerSecurity(
                            new ListenerSecurity(SecurityProtocol.SSL, SecuredKafkaRuns.brokerTls(keyStore), List.of()))
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

    @Test
    void shouldProduceClassifyAndConsumeOverTlsWithHostNameVerification() throws Exception {
        runs().assertProduceClassifyConsume("tls", SecuredKafkaRuns.tls(ca));
    }

    @Test
    void shouldStopAtStartUpWhenTheBrokerCertificateIsNotTrusted() throws Exception {
        runs().assertRefusedAtStartUp(
                        KAFKA.broker().clientBootstrapServers(),
                        SecuredKafkaRuns.tls(otherCa),
                        "SSL handshake failed",
                        TestCertificates.STORE_PASSWORD);
    }

    @Test
    void shouldStopAtStartUpWhenTheBrokerCertificateHasExpired() throws Exception {
        Path expired = ca.keyStore("expired-broker", "ip:127.0.0.1", "-10d", 1);
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder()
                .listenerSecurity(
                        new ListenerSecurity(SecurityProtocol.SSL, SecuredKafkaRuns.brokerTls(expired), List.of()))
                .start()) {
            new SecuredKafkaRuns(broker, folder)
                    .assertRefusedAtStartUp(
                            broker.clientBootstrapServers(),
                            SecuredKafkaRuns.tls(ca),
                            "SSL handshake failed.*validity check failed",
                            TestCertificates.STORE_PASSWORD);
        }
    }

    @Test
    void shouldStopAtStartUpWhenTheBrokerCertificateIsForAnotherHostName() throws Exception {
        String byName = KAFKA.broker().clientBootstrapServers().replace("127.0.0.1", "localhost");

        runs().assertRefusedAtStartUp(
                        byName, SecuredKafkaRuns.tls(ca), "SSL handshake failed", TestCertificates.STORE_PASSWORD);
    }
}
