package org.sentimentstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.ops.ServiceMetrics;
import org.sentimentstream.stream.ProcessingMetrics;

/** The operations wiring from the settings: a server on any free port, none with -1, and a port in use. */
class ServiceOperationsTest {

    private static SentimentStreamConfig config(String port) {
        Map<String, String> settings = new HashMap<>();
        settings.put(SentimentStreamConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        settings.put(SentimentStreamConfig.METRICS_PORT_CONFIG, port);
        settings.put(SentimentStreamConfig.METRICS_ADDRESS_CONFIG, "127.0.0.1");
        return new SentimentStreamConfig(settings);
    }

    @Test
    void shouldRecordAndServeOnAnyFreePortWithPortZero() {
        try (ServiceOperations operations = new ServiceOperations(config("0"))) {
            operations.startServer();

            assertThat(operations.address())
                    .hasValueSatisfying(address -> assertThat(address.getPort()).isPositive());
            assertThat(operations.processingMetrics()).isInstanceOf(ServiceMetrics.class);
        }
    }

    @Test
    void shouldNeitherServeNorRecordWithPortMinusOne() {
        try (ServiceOperations operations = new ServiceOperations(config("-1"))) {
            operations.startServer();

            assertThat(operations.address()).isEmpty();
            assertThat(operations.processingMetrics()).isSameAs(ProcessingMetrics.NONE);
        }
    }

    @Test
    void shouldNameMetricsPortWhenThePortIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                ServiceOperations operations = new ServiceOperations(config(Integer.toString(taken.getLocalPort())))) {
            assertThatThrownBy(operations::startServer)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("metrics.port")
                    .hasMessageContaining("0 for any free port");
        }
    }
}
