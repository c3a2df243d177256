package org.sentimentstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ops server against hostile clients (review B4), over real sockets: while half-sent, slow, oversized
 * and idle connections are held open, the probes still answer within the Kubernetes probe's time-out
 * (deploy/kubernetes: timeoutSeconds 3; here 10 s, for a loaded machine), and the stalled connections are
 * cut by the server.
 */
@Timeout(120)
class OpsServerHostileClientsTest {

    /** Kubernetes' probe time-out is 3 s; a loaded CI machine gets more. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();
    private final Health health = new Health(() -> "m 1", Duration.ofSeconds(30), System::nanoTime);
    private final List<Socket> hostile = new ArrayList<>();
    private OpsServer server;

    @BeforeEach
    void start() throws IOException {
        server = OpsServer.start(new InetSocketAddress("127.0.0.1", 0), () -> "x_total 1.0\n", health);
        health.onStateChange(State.REBALANCING, State.CREATED);
        health.onStateChange(State.RUNNING, State.REBALANCING);
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : hostile) {
            socket.close();
        }
        server.close();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        hostile.add(socket);
        socket.connect(server.address(), (int) PROBE_TIMEOUT.toMillis());
        return socket;
    }

    private int probe(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + path);
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uri).timeout(PROBE_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Whether the server closed (or reset) the connection, waiting at most 30 s for it. */
    private static boolean closedByServer(Socket socket) throws IOException {
        socket.setSoTimeout(30_000);
        InputStream in = socket.getInputStream();
        try {
            while (true) {
                int read = in.read();
                if (read < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server
        }
    }

    @Test
    void shouldKeepAnsweringProbesWhileMoreHalfSentRequestsThanWorkersAreHeld() throws Exception {
        for (int i = 0; i < OpsServer.WORKERS * 5; i++) {
            send(connect(), "GET /health/live HTTP/1.1\r\nHost: x\r\n"); // no blank line: never complete
        }

        assertThat(probe(OpsServer.LIVE_PATH)).isEqualTo(200);
        assertThat(probe(OpsServer.READY_PATH)).isEqualTo(200);
        assertThat(closedByServer(hostile.get(0)))
                .as("a request head not complete within sun.net.httpserver.maxReqTime is cut")
                .isTrue();
    }

    @Test
    void shouldCutASlowRequestSentAByteAtATime() throws Exception {
        Socket slow = connect();
        String request = "GET /metrics HTTP/1.1\r\nHost: x\r\n";
        boolean cut = false;
        for (int i = 0; i < request.length() && !cut; i++) {
            try {
                send(slow, request.substring(i, i + 1));
                Thread.sleep(500); // the client's pace, not a wait for the server
            } catch (IOException e) {
                cut = true;
            }
        }

        assertThat(cut || closedByServer(slow)).isTrue();
        assertThat(probe(OpsServer.LIVE_PATH)).isEqualTo(200);
    }

    @Test
    void shouldRefuseAnOversizedRequestLineAndKeepServing() throws Exception {
        Socket socket = connect();
        send(socket, "GET /" + "a".repeat(64 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(statusOrClosed(socket)).isIn("closed", "400", "413", "414", "431");
        assertThat(probe(OpsServer.LIVE_PATH)).isEqualTo(200);
    }

    @Test
    void shouldRefuseOversizedAndTooManyHeadersAndKeepServing() throws Exception {
        Socket big = connect();
        send(big, "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(32 * 1024) + "\r\n\r\n");
        Socket many = connect();
        StringBuilder headers = new StringBuilder("GET /metrics HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 100; i++) {
            headers.append("X-H").append(i).append(": v\r\n");
        }
        send(many, headers.append("\r\n").toString());

        assertThat(statusOrClosed(big)).isIn("closed", "400", "413", "431");
        assertThat(statusOrClosed(many)).isIn("closed", "400", "413", "431");
        assertThat(probe(OpsServer.READY_PATH)).isEqualTo(200);
    }

    @Test
    void shouldKeepAnsweringProbesWithManyIdleConnectionsOpen() throws Exception {
        for (int i = 0; i < 300; i++) {
            connect();
        }

        assertThat(probe(OpsServer.LIVE_PATH)).isEqualTo(200);
        assertThat(closedByServer(hostile.get(0)))
                .as("a connection that sends nothing is closed")
                .isTrue();
    }

    @Test
    void shouldAnswerUnknownPathsAndMethodsWithoutEchoingThem() throws Exception {
        Socket socket = connect();
        send(socket, "BREW /%3Cscript%3E HTTP/1.1\r\nHost: x\r\n\r\n");
        String answer = readAll(socket);

        assertThat(answer).startsWith("HTTP/1.1 404").doesNotContain("script");
        assertThat(probe("/health/live")).isEqualTo(200);
    }

    /** The status code of the server's answer, or "closed" if it closed the connection without one. */
    private static String statusOrClosed(Socket socket) throws IOException {
        String answer = readAll(socket);
        if (answer.isEmpty()) {
            return "closed";
        }
        return answer.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3);
    }

    private static String readAll(Socket socket) throws IOException {
        socket.setSoTimeout(30_000);
        StringBuilder text = new StringBuilder();
        try {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            int read;
            while ((read = in.read(buffer)) > 0) {
                text.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
                if (text.indexOf("\r\n\r\n") >= 0) {
                    break;
                }
            }
        } catch (IOException e) {
            // closed or reset by the server: what was read is the answer
        }
        return text.toString();
    }
}
