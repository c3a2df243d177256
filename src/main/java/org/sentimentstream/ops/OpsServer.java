package org.sentimentstream.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations HTTP server (the JDK's {@code com.sun.net.httpserver}): {@code GET /metrics} (Prometheus
 * text format), {@code GET /health/live} and {@code GET /health/ready} (200 or 503 with a small JSON body
 * saying why). Read-only: no request changes anything; other methods get 405, other paths 404.
 *
 * <p>Hostile clients (docs/SECURITY.md): the JDK server reads a request's line and headers on a worker
 * thread, so {@value #WORKERS} daemon workers serve requests, and {@link #REQUEST_LIMITS} bound what a
 * client can hold: a request whose line and headers are not complete within 2 s is cut, as is a
 * response not sent within 10 s; request heads are capped at 8 KiB and 32 headers; an idle connection
 * is closed after 10 s. A probe therefore waits at most about 3 s behind any number of half-sent or
 * slow requests. These limits are JVM-wide system properties read once, when the JDK's server is first
 * used: {@link #applyRequestLimits()} sets each one not set already, and the command line calls it
 * first thing.
 */
public final class OpsServer implements AutoCloseable {

    public static final String METRICS_PATH = "/metrics";
    public static final String LIVE_PATH = "/health/live";
    public static final String READY_PATH = "/health/ready";

    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Worker threads: a probe never waits behind a scrape, and a few stalled clients hold no probe. */
    static final int WORKERS = 4;
    /** Requests waiting for a worker; beyond this a new connection is closed at once. */
    static final int QUEUE = 256;

    /**
     * The JDK HTTP server's limits (module jdk.httpserver, {@code sun.net.httpserver.ServerConfig}): times in
     * seconds except {@code clockTick}, in milliseconds (how often idle connections are looked at).
     */
    public static final Map<String, String> REQUEST_LIMITS = Map.of(
            "sun.net.httpserver.maxReqTime", "2",
            "sun.net.httpserver.maxRspTime", "10",
            "sun.net.httpserver.maxReqHeaders", "32",
            "sun.net.httpserver.maxReqHeaderSize", "8192",
            "sun.net.httpserver.idleInterval", "10",
            "sun.net.httpserver.clockTick", "1000",
            "sun.net.httpserver.maxIdleConnections", "32");

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
        applyRequestLimits();
        HttpServer server = HttpServer.create(address, 64);
        AtomicInteger threads = new AtomicInteger();
        // A full queue makes execute() throw; the JDK's dispatcher then closes that connection.
        ExecutorService executor = new ThreadPoolExecutor(
                WORKERS,
                WORKERS,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE),
                runnable -> {
                    Thread thread = new Thread(runnable, "ops-http-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                new ThreadPoolExecutor.AbortPolicy());
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

    /**
     * Sets each of {@link #REQUEST_LIMITS} that is not set already (a {@code -D} option wins). Effective only
     * before the JDK's HTTP server is first used in this JVM, which reads them once.
     */
    public static void applyRequestLimits() {
        REQUEST_LIMITS.forEach((name, value) -> {
            if (System.getProperty(name) == null) {
                System.setProperty(name, value);
            }
        });
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
            LOG.warn("The ops server failed on {}: {}", exchange.getRequestURI().getPath(), e.getMessage(), e);
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
                LOG.warn("The ops server's threads did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
