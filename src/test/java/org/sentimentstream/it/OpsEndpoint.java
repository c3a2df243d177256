package org.sentimentstream.it;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sentimentstream.ops.PrometheusText;

/** GET requests to a running service's metrics and health server. */
final class OpsEndpoint {

    private static final Pattern LISTENING = Pattern.compile("Metrics and health on http://([^:/ ]+):(\\d+)");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final InetSocketAddress address;

    OpsEndpoint(InetSocketAddress address) {
        this.address = address;
    }

    HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + address.getPort() + path);
        return HTTP.send(
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(30))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The endpoint of a service running in its own JVM, from the line its log prints at start-up
     * ({@code Metrics and health on http://HOST:PORT ...}): a service started with {@code metrics.port=0}
     * names the port it got there.
     */
    static OpsEndpoint fromLog(Path logFile, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (Files.exists(logFile)) {
                Matcher matcher = LISTENING.matcher(Files.readString(logFile, StandardCharsets.UTF_8));
                if (matcher.find()) {
                    return new OpsEndpoint(new InetSocketAddress(matcher.group(1), Integer.parseInt(matcher.group(2))));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no 'Metrics and health on' line in " + logFile + " after " + timeout);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /** Scrapes {@code /metrics}. */
    PrometheusText metrics() throws Exception {
        HttpResponse<String> response = get("/metrics");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /metrics answered " + response.statusCode());
        }
        return PrometheusText.parse(response.body());
    }
}
