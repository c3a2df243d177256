package org.sentimentstream.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations HTTP server (the JDK's {@code com.sun.net.httpserver}): {@code GET /metrics} (Prometheus
 * text format), {@code GET /health/live} and {@code GET /health/ready} (200 or 503 with a small JSON body
 * saying why). Read-only: no request changes anything; other methods get 405, other paths 404. One
 * daemon thread serves the requests, one at a time.
 */
public final class OpsServer implements AutoCloseable {

    public static final String METRICS_PATH = "/metrics";
    public static final String LIVE_PATH = "/health/live";
    public static final String READY_PATH = "/health/ready";

    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;

    private OpsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds and starts the server.
     *
     * @param address where to listen (port 0: any free port; {@link #address()} says which)
     * @param scrape  the metrics in Prometheus text format
     * @throws IOException when the address cannot be bound (in use, not an address of this host)
     */
    public static OpsServer start(InetSocketAddress address, Supplier<String> scrape, Health health)
            throws IOException {
        Objects.requireNonNull(scrape, "scrape");
        Objects.requireNonNull(health, "health");
        HttpServer server = HttpServer.create(address, 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ops-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> handle(exchange, scrape, health));
        server.start();
        OpsServer ops = new OpsServer(server, executor);
        LOG.info(
                "Metrics and health on http://{}:{} (GET {}, {}, {})",
                ops.address().getHostString(),
                ops.address().getPort(),
                METRICS_PATH,
                LIVE_PATH,
                READY_PATH);
        return ops;
    }

    /** The bound address (the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static void handle(HttpExchange exchange, Supplier<String> scrape, Health health) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            boolean known = path.equals(METRICS_PATH) || path.equals(LIVE_PATH) || path.equals(READY_PATH);
            if (!known) {
                send(
                        exchange,
                        404,
                        "text/plain; charset=utf-8",
                        "Not found. Paths: " + METRICS_PATH + ", " + LIVE_PATH + ", " + READY_PATH + "\n");
                return;
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "Method not allowed: only GET and HEAD\n");
                return;
            }
            switch (path) {
                case METRICS_PATH -> send(exchange, 200, PROMETHEUS_TEXT, scrape.get());
                case LIVE_PATH -> send(exchange, health.liveness());
                default -> send(exchange, health.readiness());
            }
        } catch (RuntimeException e) {
            LOG.warn("The ops server failed on {}: {}", exchange.getRequestURI(), e.getMessage(), e);
            throw e;
        }
    }

    private static void send(HttpExchange exchange, Health.Verdict verdict) throws IOException {
        String body;
        try {
            body = JSON.writeValueAsString(verdict.details()) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a health verdict as JSON", e);
        }
        send(exchange, verdict.ok() ? 200 : 503, "application/json", body);
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Stops listening at once (a request in progress is cut: every request is a read). */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("The ops server's thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
