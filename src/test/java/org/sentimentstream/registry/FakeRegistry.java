package org.sentimentstream.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * A fake Confluent-compatible registry on the JDK's HTTP server, bound to 127.0.0.1 on a free port, for
 * unit tests of the client's error mapping without a real registry: each path answers from a script (the
 * last answer repeats), and the requests are counted per path. Paths with no script answer 404 with
 * error code 40403.
 */
public final class FakeRegistry implements AutoCloseable {

    /** One scripted answer: a status and body, or silence (the connection is accepted, nothing is sent). */
    public record Answer(int status, byte[] body, CountDownLatch hold, boolean neverAnswers) {

        /** Answers a JSON body with this status. */
        public static Answer json(int status, String body) {
            return new Answer(status, body.getBytes(StandardCharsets.UTF_8), null, false);
        }

        /** Answers 200 with a schema (Avro by default). */
        public static Answer schema(String schema) {
            return json(200, "{\"schema\":" + quoted(schema) + "}");
        }

        /** Answers 404 with Confluent's error code of an unknown schema id. */
        public static Answer unknownId() {
            return json(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
        }

        /** Answers this status with a body of this many bytes (a JSON string, so valid JSON if complete). */
        public static Answer huge(int status, int bytes) {
            byte[] body = new byte[bytes];
            java.util.Arrays.fill(body, (byte) 'a');
            body[0] = '"';
            body[bytes - 1] = '"';
            return new Answer(status, body, null, false);
        }

        /** Accepts the request and never answers (until the fake registry is closed). */
        public static Answer silent() {
            return new Answer(0, new byte[0], null, true);
        }

        /** The same answer, sent once the latch is released. */
        public Answer heldUntil(CountDownLatch latch) {
            return new Answer(status, body, latch, neverAnswers);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, List<Answer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);

    private FakeRegistry(HttpServer server) {
        this.server = server;
    }

    /** A started fake registry. */
    public static FakeRegistry start() throws IOException {
        return started(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50));
    }

    /**
     * A started fake registry that serves HTTPS only, with the key and certificate of a PKCS12 key store
     * (TLS 1.2 and 1.3, the JDK's defaults; no client certificate asked for).
     */
    public static FakeRegistry startHttps(Path pkcs12KeyStore, char[] password) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext(pkcs12KeyStore, password, null)));
        return started(server);
    }

    /**
     * A started fake registry that serves HTTPS only and requires a client certificate signed by (or equal
     * to) the PEM certificate {@code clientCa}. The JDK's server drops a client without one with no TLS alert
     * (TLS 1.2: the connection is closed; TLS 1.3: the client waits for an answer that never comes), unlike a
     * real registry: to see a refusal as a client does, use an {@code SSLServerSocket} with
     * {@link #serverContext}.
     */
    public static FakeRegistry startMutualTls(Path pkcs12KeyStore, char[] password, Path clientCa) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext(pkcs12KeyStore, password, clientCa)) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                parameters.setSSLParameters(ssl);
            }
        });
        return started(server);
    }

    /**
     * A server's TLS context with the key and certificate of a PKCS12 key store, trusting the PEM certificate
     * {@code clientCa} (null: none) for client certificates.
     */
    static SSLContext serverContext(Path pkcs12KeyStore, char[] password, Path clientCa) throws IOException {
        try (InputStream in = Files.newInputStream(pkcs12KeyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            TrustManager[] trust = null;
            if (clientCa != null) {
                KeyStore trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                try (InputStream pem = Files.newInputStream(clientCa)) {
                    trusted.setCertificateEntry(
                            "client-ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
                }
                TrustManagerFactory trustFactory =
                        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trustFactory.init(trusted);
                trust = trustFactory.getTrustManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the key store " + pkcs12KeyStore, e);
        }
    }

    private static FakeRegistry started(HttpServer server) {
        FakeRegistry registry = new FakeRegistry(server);
        server.createContext("/", registry::handle);
        server.setExecutor(registry.executor);
        server.start();
        return registry;
    }

    /** The base URL of the API ({@code https} when started by {@link #startHttps}). */
    public String url() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:"
                + server.getAddress().getPort();
    }

    /** Scripts the answers of a path, such as {@code /schemas/ids/1}: in this order, the last repeating. */
    public FakeRegistry on(String path, Answer... answers) {
        scripts.put(path, List.of(answers));
        return this;
    }

    /** How many requests a path received. */
    public int requests(String path) {
        AtomicInteger count = counts.get(path);
        return count == null ? 0 : count.get();
    }

    /** How many requests were received in all. */
    public int requests() {
        return total.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            int index = counts.computeIfAbsent(path, p -> new AtomicInteger()).getAndIncrement();
            total.incrementAndGet();
            List<Answer> script = scripts.getOrDefault(path, List.of(Answer.unknownId()));
            Answer answer = script.get(Math.min(index, script.size() - 1));
            if (answer.hold() != null) {
                await(answer.hold());
            }
            if (answer.neverAnswers()) {
                await(closed);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(answer.status(), answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            } catch (IOException e) {
                // the client stopped reading (a capped body): nothing to answer any more
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Stops the server; silent and held answers end. */
    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
