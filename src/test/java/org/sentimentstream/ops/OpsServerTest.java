package org.sentimentstream.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operations HTTP server over a real socket: its paths, status codes, and that it only reads. */
class OpsServerTest {

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicInteger scrapes = new AtomicInteger();
    private final Health health = new Health(() -> "m 1", Duration.ofSeconds(30), System::nanoTime);
    private OpsServer server;

    @BeforeEach
    void start() throws IOException {
        server = OpsServer.start(
                new InetSocketAddress("127.0.0.1", 0),
                () -> "# TYPE x counter\nx_total " + scrapes.incrementAndGet() + ".0\n",
                health);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> request(String method, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + path);
        return http.send(
                HttpRequest.newBuilder(uri)
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldServeMetricsInPrometheusTextFormat() throws Exception {
        HttpResponse<String> response = request("GET", "/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains("x_total 1.0");
        assertThat(server.address().getPort())
                .as("a real port when 0 was asked")
                .isPositive();
    }

    @Test
    void shouldAnswer503WithTheReasonUntilReadyThen200() throws Exception {
        HttpResponse<String> starting = request("GET", "/health/ready");
        health.onStateChange(State.REBALANCING, State.CREATED);
        health.onStateChange(State.RUNNING, State.REBALANCING);
        HttpResponse<String> running = request("GET", "/health/ready");

        assertThat(starting.statusCode()).isEqualTo(503);
        assertThat(starting.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(starting.body()).contains("\"status\":\"DOWN\"", "\"state\":\"CREATED\"", "\"reason\"");
        assertThat(running.statusCode()).isEqualTo(200);
        assertThat(running.body()).startsWith("{\"status\":\"UP\",\"state\":\"RUNNING\",\"model\":\"m 1\"");
    }

    @Test
    void shouldAnswerLivenessAnd503OnceAThreadDied() throws Exception {
        assertThat(request("GET", "/health/live").statusCode()).isEqualTo(200);

        health.onStreamThreadFailure(new IllegalStateException("broker-7.internal:9093 refused"));

        HttpResponse<String> dead = request("GET", "/health/live");
        assertThat(dead.statusCode()).isEqualTo(503);
        assertThat(dead.body())
                .contains("a stream thread died: java.lang.IllegalStateException")
                .as("the exception's message goes to the log only")
                .doesNotContain("broker-7");
    }

    @Test
    void shouldRefuseOtherMethodsWithoutDoingAnything() throws Exception {
        HttpResponse<String> post = request("POST", "/metrics");
        HttpResponse<String> delete = request("DELETE", "/health/ready");

        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(scrapes).as("a refused request does not scrape").hasValue(0);
    }

    @Test
    void shouldAnswerHeadWithoutABody() throws Exception {
        HttpResponse<String> head = request("HEAD", "/health/live");

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void shouldAnswer404ForOtherPathsIncludingLongerOnes() throws Exception {
        assertThat(request("GET", "/").statusCode()).isEqualTo(404);
        assertThat(request("GET", "/metrics/extra").statusCode()).isEqualTo(404);
        assertThat(request("GET", "/health").statusCode()).isEqualTo(404);
    }

    @Test
    void shouldFailToStartOnAPortInUse() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", taken.getLocalPort());

            assertThatThrownBy(() -> OpsServer.start(address, () -> "", health)).isInstanceOf(IOException.class);
        }
    }
}
