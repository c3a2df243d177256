package org.sentimentstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The client's behaviour when nothing answers: a closed port on 127.0.0.1 refuses every connection, as a
 * stopped registry does. (Answers of a real registry: the integration tests against Apicurio Registry.)
 */
class SchemaRegistryClientTest {

    @Test
    void shouldRetryEveryUrlWithBackOffThenFailAsUnavailable() throws IOException {
        int closedA = closedPort();
        int closedB = closedPort();
        SchemaRegistryClient client = new SchemaRegistryClient(new RegistryClientSettings(Map.of(
                "schema.registry.url", "http://127.0.0.1:" + closedA + ",http://127.0.0.1:" + closedB,
                "retries.wait.ms", "20",
                "retries.max.wait.ms", "40",
                "schema.registry.retry.timeout.ms", "300")));

        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("schema id 1")
                .hasMessageContaining("schema.registry.retry.timeout.ms");
        assertThat(client.requestCount())
                .as("both URLs, in more than one round")
                .isGreaterThanOrEqualTo(4)
                .isEven();
    }

    @Test
    void shouldFailAtOnceWithoutRetriesWhenTheRetryTimeoutIsZero() throws IOException {
        SchemaRegistryClient client = new SchemaRegistryClient(new RegistryClientSettings(Map.of(
                "schema.registry.url", "http://127.0.0.1:" + closedPort(), "schema.registry.retry.timeout.ms", "0")));

        assertThatThrownBy(() -> client.register("s-value", "AVRO", "\"string\""))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("registering a schema under subject s-value");
        assertThat(client.requestCount()).isEqualTo(1);
    }

    /** A port nothing listens on: bound, then released. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
