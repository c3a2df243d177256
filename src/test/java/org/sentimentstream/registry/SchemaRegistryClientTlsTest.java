package org.sentimentstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sentimentstream.it.TestCertificates;
import org.sentimentstream.registry.FakeRegistry.Answer;

/**
 * The client against {@link FakeRegistry} serving HTTPS with a certificate for 127.0.0.1 signed by a test CA
 * ({@link TestCertificates}, made with {@code keytool}): a certificate the client does not trust, an expired
 * one, one for another host name and a refused client certificate fail at once as {@link RegistryTlsException}, with no
 * retry, whatever the retry time-out; the right trust store (and client key store) work; a connection lost
 * during the handshake is still an outage, retried.
 */
@Timeout(180)
class SchemaRegistryClientTlsTest {

    private static final String PASSWORD = TestCertificates.STORE_PASSWORD;
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[]}";

    @TempDir
    static Path folder;

    private static TestCertificates ca;
    private static Path registryStore;
    private static Path clientStore;

    @BeforeAll
    static void makeKeys() throws IOException {
        ca = TestCertificates.newCa(folder, "fake-registry");
        registryStore = ca.keyStore("registry", "ip:127.0.0.1", null, 2);
        clientStore = ca.keyStore("client", null, null, 2);
    }

    private static SchemaRegistryClient clientOf(String url, String... keyValues) {
        Map<String, String> settings = new HashMap<>();
        settings.put("schema.registry.url", url);
        settings.put("retries.wait.ms", "10");
        settings.put("retries.max.wait.ms", "20");
        settings.put("schema.registry.retry.timeout.ms", "60000");
        for (int i = 0; i < keyValues.length; i += 2) {
            settings.put(keyValues[i], keyValues[i + 1]);
        }
        return new SchemaRegistryClient(new RegistryClientSettings(settings));
    }

    private static String[] trustingTheRegistry(String... more) {
        List<String> settings = new ArrayList<>(List.of(
                "schema.registry.ssl.truststore.type",
                "PEM",
                "schema.registry.ssl.truststore.location",
                ca.caCertificate().toString()));
        settings.addAll(List.of(more));
        return settings.toArray(String[]::new);
    }

    @Test
    void shouldReadASchemaOverHttpsWhenTheTrustStoreHoldsTheCertificate() throws IOException {
        try (FakeRegistry registry = FakeRegistry.startHttps(registryStore, PASSWORD.toCharArray())) {
            registry.on("/schemas/ids/1", Answer.schema(SCHEMA));

            assertThat(clientOf(registry.url(), trustingTheRegistry())
                            .schemaById(1)
                            .schema())
                    .isEqualTo(SCHEMA);
        }
    }

    @Test
    void shouldFailAtOnceWithoutRetryOnACertificateOutsideTheTrustStore() throws IOException {
        try (FakeRegistry registry = FakeRegistry.startHttps(registryStore, PASSWORD.toCharArray())) {
            SchemaRegistryClient client = clientOf(registry.url() + "," + registry.url());

            assertThatThrownBy(() -> client.schemaById(1))
                    .isInstanceOf(RegistryTlsException.class)
                    .hasMessageContaining("The TLS handshake with the schema registry " + registry.url())
                    .hasMessageContaining("while schema id 1")
                    .hasMessageContaining("PKIX path building failed")
                    .hasMessageContaining("schema.registry.ssl.truststore");
            assertThat(client.requestCount()).as("no retry, no fail-over").isEqualTo(1);
            assertThat(registry.requests()).isZero();
        }
    }

    @Test
    void shouldFailAtOnceOnACertificateForAnotherHostName() throws IOException {
        try (FakeRegistry registry = FakeRegistry.startHttps(registryStore, PASSWORD.toCharArray())) {
            String byName = registry.url().replace("127.0.0.1", "localhost");
            SchemaRegistryClient client = clientOf(byName, trustingTheRegistry());

            assertThatThrownBy(() -> client.register("s-value", "AVRO", SCHEMA))
                    .isInstanceOf(RegistryTlsException.class)
                    .hasMessageContaining(byName)
                    .hasMessageContaining("localhost");
            assertThat(client.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void shouldFailAtOnceOnAnExpiredCertificate() throws IOException {
        Path expired = ca.keyStore("expired-registry", "ip:127.0.0.1", "-10d", 1);
        try (FakeRegistry registry = FakeRegistry.startHttps(expired, PASSWORD.toCharArray())) {
            SchemaRegistryClient client = clientOf(registry.url(), trustingTheRegistry());

            assertThatThrownBy(() -> client.schemaById(1))
                    .isInstanceOf(RegistryTlsException.class)
                    .hasMessageContaining(registry.url())
                    .hasMessageContaining("validity check failed");
            assertThat(client.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void shouldNameTheUrlWithoutItsUserInfo() throws IOException {
        try (FakeRegistry registry = FakeRegistry.startHttps(registryStore, PASSWORD.toCharArray())) {
            String withUserInfo = registry.url().replace("https://", "https://svc:sentinel-pw@");
            SchemaRegistryClient client = clientOf(withUserInfo);

            assertThatThrownBy(() -> client.schemaById(1))
                    .isInstanceOf(RegistryTlsException.class)
                    .hasMessageContaining(registry.url())
                    .hasMessageNotContaining("sentinel-pw")
                    .hasMessageNotContaining("svc:");
        }
    }

    @Test
    void shouldPresentTheClientCertificateToARegistryThatRequiresOne() throws IOException {
        try (FakeRegistry registry =
                FakeRegistry.startMutualTls(registryStore, PASSWORD.toCharArray(), ca.caCertificate())) {
            registry.on("/schemas/ids/2", Answer.schema(SCHEMA));
            SchemaRegistryClient client = clientOf(
                    registry.url(),
                    trustingTheRegistry(
                            "schema.registry.ssl.keystore.type",
                            "PKCS12",
                            "schema.registry.ssl.keystore.location",
                            clientStore.toString(),
                            "schema.registry.ssl.keystore.password",
                            PASSWORD));

            assertThat(client.schemaById(2).schema()).isEqualTo(SCHEMA);
        }
    }

    @Test
    void shouldFailAtOnceWhenTheRegistryRefusesAClientWithoutACertificate() throws Exception {
        SSLContext context = FakeRegistry.serverContext(registryStore, PASSWORD.toCharArray(), ca.caCertificate());
        try (SSLServerSocket server = (SSLServerSocket)
                context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            server.setNeedClientAuth(true);
            AtomicInteger accepted = new AtomicInteger();
            Thread refuser = daemon(() -> handshakeEveryConnection(server, accepted));
            SchemaRegistryClient client = clientOf("https://127.0.0.1:" + server.getLocalPort(), trustingTheRegistry());

            assertThatThrownBy(() -> client.schemaById(2))
                    .isInstanceOf(RegistryTlsException.class)
                    .hasMessageContaining("https://127.0.0.1:" + server.getLocalPort())
                    .hasMessageContaining("Received fatal alert");
            assertThat(client.requestCount()).as("no retry").isEqualTo(1);
            server.close();
            refuser.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    @Test
    void shouldRetryAConnectionLostDuringTheHandshakeAsAnOutage() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread closer = daemon(() -> closeEveryConnection(server, accepted));
            SchemaRegistryClient client = clientOf(
                    "https://127.0.0.1:" + server.getLocalPort(),
                    trustingTheRegistry("schema.registry.retry.timeout.ms", "300"));

            assertThatThrownBy(() -> client.schemaById(1)).isInstanceOf(RegistryUnavailableException.class);
            assertThat(client.requestCount()).as("retried").isGreaterThan(1);
            assertThat(accepted.get()).isGreaterThan(1);
            server.close();
            closer.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    private static void closeEveryConnection(ServerSocket server, AtomicInteger accepted) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                accepted.incrementAndGet();
            } catch (IOException e) {
                return; // the server socket was closed: the test is over
            }
        }
    }

    /** Shakes hands with each client (a client without a certificate gets the server's fatal alert). */
    private static void handshakeEveryConnection(SSLServerSocket server, AtomicInteger accepted) {
        while (!server.isClosed()) {
            try (SSLSocket socket = (SSLSocket) server.accept()) {
                accepted.incrementAndGet();
                socket.startHandshake();
                socket.getInputStream().read(); // TLS 1.3: the client's certificate arrives after its Finished
            } catch (IOException e) {
                // the refusal this test expects, or the server socket closed at its end
            }
        }
    }

    private static Thread daemon(Runnable body) {
        Thread thread = new Thread(body, "fake-tls-peer");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
