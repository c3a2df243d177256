package org.sentimentstream.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.config.provider.FileConfigProvider;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sentimentstream.localbroker.Folders;
import org.sentimentstream.localbroker.ListenerSecurity;
import org.sentimentstream.localbroker.LocalKafkaBroker;

/**
 * Security matrix, SASL/SCRAM-SHA-512 over TLS row (docs/SECURITY.md): the user is created through the Admin
 * API; the client's password is read from a file by Kafka's {@code FileConfigProvider}, so it is in no
 * setting, argument or environment variable. With it, produce, classify, consume and a short {@code loadtest}
 * (each in its own JVM) work; with a wrong
 * password the service stops at start-up with one line and exit code 2.
 */
@Tag("integration")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class KafkaScramIT {

    private static final String USER = "sentiment-scram";
    private static final String PASSWORD = "scram-Pa55-" + Long.toHexString(System.nanoTime());

    private static Path folder;
    private static TestCertificates ca;

    @RegisterExtension
    static final LocalBrokerExtension KAFKA = new LocalBrokerExtension(KafkaScramIT::startBroker);

    private static LocalKafkaBroker startBroker() {
        try {
            folder = Files.createTempDirectory("kafka-scram-it");
            ca = TestCertificates.newCa(folder, "main");
            Path keyStore = ca.keyStore("broker", "ip:127.0.0.1", null, 3);
            Map<String, String> server = SecuredKafkaRuns.with(
                    SecuredKafkaRuns.brokerTls(keyStore),
                    "sasl.enabled.mechanisms",
                    "SCRAM-SHA-512",
                    "listener.name.client.scram-sha-512.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            return LocalKafkaBroker.builder()
                    .listenerSecurity(new ListenerSecurity(SecurityProtocol.SASL_SSL, server, List.of()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void createUser() throws Exception {
        try (Admin admin = KAFKA.broker().createAdmin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            USER, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), PASSWORD)))
                    .all()
                    .get(1, TimeUnit.MINUTES);
        }
    }

    @AfterAll
    static void deleteCertificates() throws IOException {
        Folders.deleteRecursively(folder);
    }

    private SecuredKafkaRuns runs() {
        return new SecuredKafkaRuns(KAFKA.broker(), folder);
    }

    private static Map<String, String> scram(String passwordValue) {
        return SecuredKafkaRuns.with(
                SecuredKafkaRuns.tls(ca),
                "security.protocol",
                "SASL_SSL",
                "sasl.mechanism",
                "SCRAM-SHA-512",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USER + "\" password=\""
                        + passwordValue + "\";");
    }

    @Test
    void shouldProduceClassifyConsumeAndLoadTestWithAPasswordReadFromAFile() throws Exception {
        Path secrets = Files.writeString(folder.resolve("kafka-client.properties"), "password=" + PASSWORD + "\n");
        Map<String, String> settings = SecuredKafkaRuns.with(
                scram("${file:" + secrets + ":password}"),
                "config.providers",
                "file",
                "config.providers.file.class",
                FileConfigProvider.class.getName());

        runs().assertProduceClassifyConsumeAndLoadTest("scram", settings);
    }

    @Test
    void shouldStopAtStartUpOnAWrongPassword() throws Exception {
        String wrong = "wrong-" + PASSWORD;

        runs().assertRefusedAtStartUp(
                        KAFKA.broker().clientBootstrapServers(), scram(wrong), "Authentication failed", wrong);
    }
}
