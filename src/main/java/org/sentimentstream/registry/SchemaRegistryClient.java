package org.sentimentstream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of the Confluent Schema Registry REST API (any registry that speaks it: Confluent's, Apicurio's
 * {@code /apis/ccompat/v7}, Karapace, Redpanda): schema by id, register, look up. Thread-safe, and meant
 * to be shared by everything in one process that talks to the registry.
 *
 * <p><b>Caches.</b> A schema id names immutable content, so a schema fetched by id is kept, and so is the id
 * of a schema registered or looked up under a subject: each is asked once, and nothing is asked again after
 * warm-up. Each cache keeps at most {@code max.schemas.per.subject} entries, dropping the least recently
 * used. Concurrent calls for one schema id that is not cached send one request and share its answer.
 *
 * <p><b>Unknown ids.</b> An id the registry says it does not know (404, error code 40403) is asked once
 * more after {@code retries.wait.ms} (a registry follower can lag behind the leader that registered it),
 * and only then is it unknown; it is then remembered for {@code missing.id.cache.ttl.sec} (at most
 * {@link #MAX_UNKNOWN_IDS} of them), so that a run of records naming it costs two requests, not two each.
 *
 * <p><b>Failures.</b> A URL that cannot be reached, times out or answers 5xx, 408 or 429 fails over to the
 * next URL; when every URL has failed, the call waits ({@code retries.wait.ms}, doubling up to
 * {@code retries.max.wait.ms}) and tries them all again, until {@code schema.registry.retry.timeout.ms} has
 * passed: then it throws {@link RegistryUnavailableException}. The deadline is checked before each URL,
 * and each request waits at most the time left (and at most {@code http.read.timeout.ms}); the first
 * request of a call is always sent (with a retry time-out of 0, one to each URL). Any other error answer throws {@link RegistryErrorException} at once,
 * and so does an answer longer than {@link #MAX_ANSWER_BYTES}. A TLS handshake that fails for a reason
 * retrying cannot change (an untrusted, expired or wrong-host certificate, a refused client certificate:
 * {@link TlsFailures}) throws {@link RegistryTlsException} at once, without trying the other URLs, as Kafka's
 * clients stop at an authentication failure. Calls block the calling thread while they wait.
 */
public final class SchemaRegistryClient {

    /** The most unknown ids remembered at once (Confluent's {@code missing.cache.size} default). */
    public static final int MAX_UNKNOWN_IDS = 10_000;
    /**
     * The longest answer read, in bytes: four times the largest schema Confluent's registry can hold (a
     * record of its {@code _schemas} topic, 1 MiB by default), room for JSON escaping.
     */
    public static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryClient.class);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final int MAX_ERROR_MESSAGE = 300;

    private final List<RegistryClientSettings.Endpoint> endpoints;
    private final HttpClient http;
    private final Duration readTimeout;
    private final Duration retriesWait;
    private final Duration retriesMaxWait;
    private final Duration retryTimeout;
    private final Duration missingIdTtl;
    private final ObjectMapper mapper = new ObjectMapper();
    /** The endpoint that answered last: requests start there. */
    private final AtomicInteger current = new AtomicInteger();

    private final BoundedCache<Integer, RegisteredSchema> schemasById;
    private final BoundedCache<Integer, Long> unknownIdsUntil = new BoundedCache<>(MAX_UNKNOWN_IDS);
    private final BoundedCache<SubjectSchema, Integer> idsBySubjectSchema;
    /** The requests for schema ids under way, so that concurrent misses of one id send one request. */
    private final Map<Integer, CompletableFuture<RegisteredSchema>> inFlight = new ConcurrentHashMap<>();

    private final AtomicInteger requests = new AtomicInteger();

    private record SubjectSchema(String subject, String schemaType, String schema, boolean register) {}

    /** A client of the registry the settings name. */
    public SchemaRegistryClient(RegistryClientSettings settings) {
        settings.requireUsable("the schema registry client");
        this.endpoints = settings.endpoints();
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (settings.usesHttps()) {
            builder.sslContext(settings.sslContext());
        }
        this.http = builder.build();
        this.readTimeout = settings.readTimeout();
        this.retriesWait = settings.retriesWait();
        this.retriesMaxWait = settings.retriesMaxWait();
        this.retryTimeout = settings.retryTimeout();
        this.missingIdTtl = settings.missingIdCacheTtl();
        this.schemasById = new BoundedCache<>(settings.cacheCapacity());
        this.idsBySubjectSchema = new BoundedCache<>(settings.cacheCapacity());
        for (RegistryClientSettings.Endpoint endpoint : endpoints) {
            if (endpoint.authorization().isPresent()
                    && endpoint.baseUri().getScheme().equalsIgnoreCase("http")) {
                LOG.warn("Sending basic-auth credentials to the schema registry {} over plain HTTP", endpoint);
            }
        }
    }

    /** The registry URLs, in the order they are tried. */
    public List<RegistryClientSettings.Endpoint> endpoints() {
        return endpoints;
    }

    /** How many HTTP requests this client has sent (retries and fail-overs included): for tests and logs. */
    public int requestCount() {
        return requests.get();
    }

    /**
     * The schema with this id ({@code GET /schemas/ids/{id}}), from the cache after the first call.
     *
     * @throws RegistryErrorException  {@link RegistryErrorException#isSchemaNotFound()} when the registry
     *                                 has no schema with this id
     * @throws RegistryUnavailableException when no registry URL answered within the retry time-out
     */
    public RegisteredSchema schemaById(int id) {
        RegisteredSchema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        CompletableFuture<RegisteredSchema> mine = new CompletableFuture<>();
        CompletableFuture<RegisteredSchema> running = inFlight.putIfAbsent(id, mine);
        if (running != null) {
            return awaitOther(running, id);
        }
        try {
            RegisteredSchema fetched = fetchOrRemembered(id);
            mine.complete(fetched);
            return fetched;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(id, mine);
        }
    }

    /** The schema, asked for by this thread alone (the caches were checked before the last caller left). */
    private RegisteredSchema fetchOrRemembered(int id) {
        RegisteredSchema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Long unknownUntil = unknownIdsUntil.get(id);
        if (unknownUntil != null) {
            if (System.nanoTime() - unknownUntil < 0) {
                throw new RegistryErrorException(
                        "The schema registry has no schema with id " + id + " (answered less than "
                                + missingIdTtl.toSeconds() + " s ago, "
                                + RegistryClientSettings.MISSING_ID_CACHE_TTL_SEC_CONFIG + ")",
                        404,
                        RegistryErrorException.SCHEMA_NOT_FOUND);
            }
            unknownIdsUntil.remove(id, unknownUntil);
        }
        RegisteredSchema fetched;
        try {
            fetched = fetch(id);
        } catch (RegistryErrorException e) {
            if (!e.isSchemaNotFound()) {
                throw e;
            }
            LOG.debug("The schema registry does not know schema id {}; asking again in {} ms", id, retriesWait);
            pause(retriesWait.toMillis(), "asking again for schema id " + id);
            try {
                fetched = fetch(id);
                LOG.info("The schema registry knows schema id {} when asked again (a lagging registry node?)", id);
            } catch (RegistryErrorException again) {
                if (again.isSchemaNotFound()) {
                    rememberUnknown(id);
                }
                throw again;
            }
        }
        schemasById.put(id, fetched);
        return fetched;
    }

    private static RegisteredSchema awaitOther(CompletableFuture<RegisteredSchema> running, int id) {
        try {
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("Interrupted while waiting for schema id " + id, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new RegistryUnavailableException("Failed while asking for schema id " + id, e.getCause());
        }
    }

    private RegisteredSchema fetch(int id) {
        JsonNode answer = call("GET", "/schemas/ids/" + id, null, "schema id " + id);
        JsonNode schema = answer.get("schema");
        if (schema == null || !schema.isTextual()) {
            throw new RegistryErrorException(
                    "The schema registry's answer for schema id " + id + " has no schema", 200, -1);
        }
        JsonNode type = answer.get("schemaType");
        JsonNode references = answer.get("references");
        return new RegisteredSchema(
                id,
                type == null || type.isNull() ? RegisteredSchema.AVRO : type.asText(),
                schema.asText(),
                references != null && references.isArray() && !references.isEmpty());
    }

    /**
     * Registers a schema under a subject ({@code POST /subjects/{subject}/versions}), or finds the id it
     * already has there; from the cache after the first call.
     *
     * @throws RegistryErrorException       when the registry refuses it (409: incompatible with the
     *                                      subject's versions under its compatibility rule)
     * @throws RegistryUnavailableException when no registry URL answered within the retry time-out
     */
    public int register(String subject, String schemaType, String schema) {
        return idOf(new SubjectSchema(subject, schemaType, schema, true));
    }

    /**
     * The id of a schema already registered under a subject ({@code POST /subjects/{subject}}); from the
     * cache after the first call.
     *
     * @throws RegistryErrorException       404 (error code 40401 or 40403) when the subject does not hold
     *                                      this schema
     * @throws RegistryUnavailableException when no registry URL answered within the retry time-out
     */
    public int lookup(String subject, String schemaType, String schema) {
        return idOf(new SubjectSchema(subject, schemaType, schema, false));
    }

    private int idOf(SubjectSchema key) {
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        ObjectNode body = mapper.createObjectNode().put("schema", key.schema());
        if (!key.schemaType().equals(RegisteredSchema.AVRO)) {
            body.put("schemaType", key.schemaType());
        }
        String path = "/subjects/" + pathSegment(key.subject()) + (key.register() ? "/versions" : "");
        String what = (key.register() ? "registering a schema under subject " : "looking up a schema under subject ")
                + key.subject();
        JsonNode answer = call("POST", path, body, what);
        JsonNode id = answer.get("id");
        if (id == null || !id.canConvertToInt()) {
            throw new RegistryErrorException("The schema registry's answer to " + what + " has no id", 200, -1);
        }
        idsBySubjectSchema.put(key, id.intValue());
        LOG.info("Schema registry: subject {} holds the schema with id {} ({})", key.subject(), id.intValue(), what);
        return id.intValue();
    }

    private void rememberUnknown(int id) {
        if (!missingIdTtl.isZero()) {
            unknownIdsUntil.put(id, System.nanoTime() + missingIdTtl.toNanos());
        }
    }

    /**
     * Sends one request, failing over between the URLs and retrying with back-off while none answers,
     * and returns the JSON of a 2xx answer. The deadline is checked before each URL, and bounds each
     * request's time-out; the first request is always sent (with a retry time-out of 0, one to each URL).
     */
    private JsonNode call(String method, String path, JsonNode body, String what) {
        long deadline = System.nanoTime() + retryTimeout.toNanos();
        long waitMs = retriesWait.toMillis();
        int round = 0;
        boolean first = true;
        String lastProblem = null;
        while (true) {
            int start = current.get();
            for (int i = 0; i < endpoints.size(); i++) {
                long left = deadline - System.nanoTime();
                // A retry time-out of 0 means one round over the URLs, each with the full read time-out.
                boolean untimed = first || (retryTimeout.isZero() && round == 0);
                if (!untimed && left <= 0) {
                    throw unavailable(what, lastProblem);
                }
                long timeoutNanos =
                        untimed && left <= 0 ? readTimeout.toNanos() : Math.min(readTimeout.toNanos(), left);
                first = false;
                int index = (start + i) % endpoints.size();
                RegistryClientSettings.Endpoint endpoint = endpoints.get(index);
                HttpResponse<CappedBody> response;
                try {
                    response = send(request(endpoint, method, path, body, timeoutNanos), timeoutNanos, what);
                } catch (IOException e) {
                    Optional<SSLException> tls = TlsFailures.permanent(e);
                    if (tls.isPresent()) {
                        throw tlsFailure(endpoint, tls.get(), what);
                    }
                    lastProblem = endpoint + ": " + describe(e);
                    LOG.debug("Schema registry {} failed {} {}", endpoint, method, path, e);
                    continue;
                }
                int status = response.statusCode();
                CappedBody answer = response.body();
                if (status >= 200 && status < 300) {
                    current.set(index);
                    if (round > 0) {
                        LOG.info("The schema registry {} answers again ({})", endpoint, what);
                    }
                    if (answer.cut()) {
                        throw new RegistryErrorException(
                                "The schema registry " + endpoint + "'s answer to " + what + " is larger than "
                                        + MAX_ANSWER_BYTES + " bytes, the most this client reads",
                                status,
                                -1,
                                true);
                    }
                    return parse(answer.bytes(), what);
                }
                if (status >= 500 || status == 408 || status == 429) {
                    lastProblem = endpoint + ": HTTP " + status + errorSuffix(answer.bytes());
                    continue;
                }
                current.set(index);
                throw error(endpoint, status, answer.bytes(), what);
            }
            round++;
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw unavailable(what, lastProblem);
            }
            long sleepMs = Math.min(waitMs, TimeUnit.NANOSECONDS.toMillis(left) + 1);
            LOG.warn(
                    "No schema registry URL answered while {} ({}); retrying in {} ms (giving up {} s from the first try)",
                    what,
                    lastProblem,
                    sleepMs,
                    retryTimeout.toSeconds());
            pause(sleepMs, what);
            waitMs = Math.min(waitMs * 2, retriesMaxWait.toMillis());
        }
    }

    /**
     * Sends a request and reads its answer (at most {@link #MAX_ANSWER_BYTES}) within the time-out, body
     * included: the request's own time-out ends at the answer's headers.
     */
    private HttpResponse<CappedBody> send(HttpRequest request, long timeoutNanos, String what) throws IOException {
        requests.incrementAndGet();
        CompletableFuture<HttpResponse<CappedBody>> sent =
                http.sendAsync(request, CappedBody.handler(MAX_ANSWER_BYTES));
        try {
            return sent.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            sent.cancel(true);
            throw new HttpTimeoutException(
                    "no complete answer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
        } catch (InterruptedException e) {
            sent.cancel(true);
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("Interrupted while " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException failure) {
                throw failure;
            }
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IOException(e.getCause());
        }
    }

    private RegistryUnavailableException unavailable(String what, String lastProblem) {
        return new RegistryUnavailableException(
                "No schema registry URL answered while " + what + " within " + retryTimeout.toMillis() + " ms ("
                        + RegistryClientSettings.RETRY_TIMEOUT_MS_CONFIG + "); last: " + lastProblem,
                null);
    }

    private static RegistryTlsException tlsFailure(
            RegistryClientSettings.Endpoint endpoint, SSLException failure, String what) {
        return new RegistryTlsException(
                "The TLS handshake with the schema registry " + endpoint + " failed while " + what + ": "
                        + describe(failure)
                        + " (a certificate or TLS setting is wrong: check the registry's certificate and host name,"
                        + " schema.registry.ssl.truststore.* and schema.registry.ssl.keystore.*; not retried)",
                failure);
    }

    private static void pause(long millis, String what) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("Interrupted while " + what, e);
        }
    }

    private HttpRequest request(
            RegistryClientSettings.Endpoint endpoint, String method, String path, JsonNode body, long timeoutNanos)
            throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(endpoint.baseUri() + path))
                .timeout(Duration.ofNanos(Math.max(timeoutNanos, TimeUnit.MILLISECONDS.toNanos(1))))
                .header("Accept", CONTENT_TYPE + ", application/json");
        endpoint.authorization().ifPresent(value -> builder.header("Authorization", value));
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body)));
        }
        return builder.build();
    }

    private JsonNode parse(byte[] body, String what) {
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || !node.isObject()) {
                throw new RegistryErrorException(
                        "The schema registry's answer to " + what + " is not a JSON object", 200, -1);
            }
            return node;
        } catch (IOException e) {
            throw new RegistryErrorException("The schema registry's answer to " + what + " is not JSON", 200, -1);
        }
    }

    private RegistryErrorException error(
            RegistryClientSettings.Endpoint endpoint, int status, byte[] body, String what) {
        int errorCode = -1;
        try {
            JsonNode node = mapper.readTree(body);
            if (node != null && node.has("error_code") && node.get("error_code").canConvertToInt()) {
                errorCode = node.get("error_code").intValue();
            }
        } catch (IOException e) {
            LOG.debug("The schema registry's error answer is not JSON", e);
        }
        String hint = "";
        if (errorCode < 0 && status == 404) {
            hint = " (not a Confluent-compatible registry API at this URL? For Apicurio Registry the URL ends"
                    + " with /apis/ccompat/v7)";
        } else if (status == 401 || status == 403) {
            hint = " (check basic.auth.credentials.source and basic.auth.user.info)";
        }
        return new RegistryErrorException(
                "The schema registry " + endpoint + " refused " + what + ": HTTP " + status + errorSuffix(body) + hint,
                status,
                errorCode);
    }

    private String errorSuffix(byte[] body) {
        try {
            JsonNode node = mapper.readTree(body);
            if (node != null && node.isObject()) {
                String code = node.has("error_code")
                        ? " error " + node.get("error_code").asText()
                        : "";
                String message = node.has("message") ? node.get("message").asText() : "";
                if (message.length() > MAX_ERROR_MESSAGE) {
                    message = message.substring(0, MAX_ERROR_MESSAGE) + "...";
                }
                return code + (message.isEmpty() ? "" : ": " + message);
            }
        } catch (IOException e) {
            LOG.debug("The schema registry's answer is not JSON", e);
        }
        return "";
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private static String pathSegment(String subject) {
        return URLEncoder.encode(Objects.requireNonNull(subject, "subject"), StandardCharsets.UTF_8)
                .replace("+", "%20");
    }
}
