package org.sentimentstream.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OAuth 2 authorization server for the SASL/OAUTHBEARER tests, on the JDK's {@link HttpServer} bound to
 * 127.0.0.1: {@code GET /jwks} publishes the public half of an RSA key pair made here (a JWK with a
 * {@code kid}), and {@code POST /token} answers a {@code client_credentials} grant of a registered client
 * (id and secret in HTTP basic authentication or in the form) with an RS256 JWT carrying {@code sub} (the
 * client id), {@code iat}, {@code exp}, {@code scope}, {@code aud} and {@code iss}. A wrong secret gets 401.
 *
 * <p>A client registered with {@link Client#rogue(String, String)} gets tokens signed by a second key pair that the JWKS does
 * not publish, under the published {@code kid}: a token a broker must refuse. An issuer made with {@link
 * #startUnavailable(String, String)} answers every token request with 503 and counts them. JWTs are signed with the JDK
 * ({@code SHA256withRSA}); nothing here is a secret worth keeping.
 */
final class TestTokenIssuer implements AutoCloseable {

    /** How long a token is valid ({@code expires_in}). */
    static final Duration TOKEN_LIFETIME = Duration.ofHours(1);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final String issuer;
    private final String audience;
    private final Map<String, Client> clients;
    private final KeyPair published;
    private final KeyPair unpublished;
    private final String keyId;
    private final HttpServer server;
    private final ExecutorService executor;
    /** Whether {@code POST /token} answers 503 to every request (an identity provider that is down). */
    private final boolean unavailable;

    private final AtomicInteger tokenRequests = new AtomicInteger();

    /** A registered client: its id, its secret, and whether its tokens are signed by the unpublished key. */
    record Client(String id, String secret, boolean rogue) {

        /** A client whose tokens the broker accepts. */
        static Client of(String id, String secret) {
            return new Client(id, secret, false);
        }

        /** A client whose tokens are signed by a key the JWKS does not publish. */
        static Client rogue(String id, String secret) {
            return new Client(id, secret, true);
        }
    }

    private TestTokenIssuer(String issuer, String audience, Map<String, Client> clients, boolean unavailable)
            throws IOException, GeneralSecurityException {
        this.unavailable = unavailable;
        this.issuer = issuer;
        this.audience = audience;
        this.clients = Map.copyOf(clients);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        this.published = generator.generateKeyPair();
        this.unpublished = generator.generateKeyPair();
        this.keyId = "test-"
                + BASE64URL
                        .encodeToString(MessageDigest.getInstance("SHA-256")
                                .digest(published.getPublic().getEncoded()))
                        .substring(0, 12);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.executor = Executors.newFixedThreadPool(2);
        server.setExecutor(executor);
        server.createContext("/jwks", this::jwks);
        server.createContext("/token", this::token);
        server.start();
    }

    /** Starts an issuer for these clients, whose tokens name {@code issuer} and {@code audience}. */
    static TestTokenIssuer start(String issuer, String audience, Client... clients) {
        return start(issuer, audience, false, clients);
    }

    /**
     * Starts an issuer whose token endpoint answers every request with 503 Service Unavailable (a server error,
     * which Kafka retries), as an identity provider that is down does; its JWKS still answers.
     */
    static TestTokenIssuer startUnavailable(String issuer, String audience) {
        return start(issuer, audience, true);
    }

    private static TestTokenIssuer start(String issuer, String audience, boolean unavailable, Client... clients) {
        Map<String, Client> byId = new LinkedHashMap<>();
        for (Client client : clients) {
            byId.put(client.id(), client);
        }
        try {
            return new TestTokenIssuer(issuer, audience, byId, unavailable);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot start the test token issuer", e);
        }
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The JWKS endpoint ({@code sasl.oauthbearer.jwks.endpoint.url}). */
    String jwksUrl() {
        return base() + "/jwks";
    }

    /** The token endpoint ({@code sasl.oauthbearer.token.endpoint.url}). */
    String tokenUrl() {
        return base() + "/token";
    }

    /** How many requests {@code POST /token} has had (answered or not). */
    int tokenRequests() {
        return tokenRequests.get();
    }

    private void jwks(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                send(exchange, 405, error("invalid_request"));
                return;
            }
            RSAPublicKey key = (RSAPublicKey) published.getPublic();
            ObjectNode jwk = JSON.createObjectNode()
                    .put("kty", "RSA")
                    .put("use", "sig")
                    .put("alg", "RS256")
                    .put("kid", keyId)
                    .put("n", unsigned(key.getModulus()))
                    .put("e", unsigned(key.getPublicExponent()));
            ObjectNode body = JSON.createObjectNode();
            body.putArray("keys").add(jwk);
            send(exchange, 200, body);
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                send(exchange, 405, error("invalid_request"));
                return;
            }
            tokenRequests.incrementAndGet();
            if (unavailable) {
                send(exchange, 503, error("temporarily_unavailable"));
                return;
            }
            Map<String, String> form =
                    form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (!"client_credentials".equals(form.get("grant_type"))) {
                send(exchange, 400, error("unsupported_grant_type"));
                return;
            }
            String[] credentials = credentials(exchange.getRequestHeaders().getFirst("Authorization"), form);
            Client client = credentials == null ? null : clients.get(credentials[0]);
            if (client == null || !MessageDigest.isEqual(bytes(client.secret()), bytes(credentials[1]))) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"test\"");
                send(exchange, 401, error("invalid_client"));
                return;
            }
            String scope = form.getOrDefault("scope", "sentiment");
            ObjectNode body = JSON.createObjectNode()
                    .put("access_token", jwt(client, scope))
                    .put("token_type", "Bearer")
                    .put("expires_in", TOKEN_LIFETIME.toSeconds())
                    .put("scope", scope);
            send(exchange, 200, body);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot sign a token", e);
        }
    }

    private String jwt(Client client, String scope) throws GeneralSecurityException, IOException {
        Instant now = Instant.now();
        ObjectNode header =
                JSON.createObjectNode().put("alg", "RS256").put("typ", "JWT").put("kid", keyId);
        ObjectNode claims = JSON.createObjectNode()
                .put("sub", client.id())
                .put("iss", issuer)
                .put("aud", audience)
                .put("scope", scope)
                .put("iat", now.getEpochSecond())
                .put("exp", now.plus(TOKEN_LIFETIME).getEpochSecond());
        String signingInput = BASE64URL.encodeToString(JSON.writeValueAsBytes(header)) + "."
                + BASE64URL.encodeToString(JSON.writeValueAsBytes(claims));
        PrivateKey key = client.rogue() ? unpublished.getPrivate() : published.getPrivate();
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + BASE64URL.encodeToString(signature.sign());
    }

    /** {id, secret} from HTTP basic authentication (RFC 6749 2.3.1: form-encoded parts) or the form. */
    private static String[] credentials(String authorization, Map<String, String> form) {
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(
                        Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int colon = decoded.indexOf(':');
            return colon < 0
                    ? null
                    : new String[] {decode(decoded.substring(0, colon)), decode(decoded.substring(colon + 1))};
        }
        String id = form.get("client_id");
        String secret = form.get("client_secret");
        return id == null || secret == null ? null : new String[] {id, secret};
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            form.put(
                    decode(equals < 0 ? pair : pair.substring(0, equals)),
                    equals < 0 ? "" : decode(pair.substring(equals + 1)));
        }
        return form;
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String value) {
        return Objects.requireNonNull(value).getBytes(StandardCharsets.UTF_8);
    }

    /** A JWK integer: big-endian, unsigned (no leading zero byte), base64url. */
    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        int start = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
        byte[] trimmed = new byte[bytes.length - start];
        System.arraycopy(bytes, start, trimmed, 0, trimmed.length);
        return BASE64URL.encodeToString(trimmed);
    }

    private static ObjectNode error(String code) {
        return JSON.createObjectNode().put("error", code);
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops the server at once and its threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
