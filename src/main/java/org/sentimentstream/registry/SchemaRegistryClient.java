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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of the Confluent Schema Registry REST API (any registry that speaks it: Confluent's, Apicurio's
 * {@code /apis/ccompat/v7}, Karapace, Redpanda): schema by id, register, look up. Thread-safe, and meant
 * to be shared by everything in one process that talks to the registry.
 *
 * <p><b>Caches.</b> A schema id names immutable content, so a schema fetched by id is kept for the life of
 * the client, and so is the id of a schema registered or looked up under a subject: each is asked once per
 * process, and nothing is asked again after warm-up. An id the registry does not know is remembered for
 * {@link #UNKNOWN_ID_MEMORY} (at most {@link #MAX_UNKNOWN_IDS} of them), so that a run of records naming
 * the same unknown id costs one request, not one each.
 *
 * <p><b>Failures.</b> A URL that cannot be reached, times out or answers 5xx, 408 or 429 fails over to the
 * next URL; when every URL has failed, the call waits ({@code retries.wait.ms}, doubling up to
 * {@code retries.max.wait.ms}) and tries them all again, until {@code schema.registry.retry.timeout.ms} has
 * passed: then it throws {@link RegistryUnavailableException}. Any other error answer throws
 * {@link RegistryErrorException} at once. Calls block the calling thread while they wait.
 */
public final class SchemaRegistryClient {

    /** How long an id the registry said it does not know is answered from memory. */
    public static final Duration UNKNOWN_ID_MEMORY = Duration.ofSeconds(60);
    /** The most unknown ids remembered at once. */
    public static final int MAX_UNKNOWN_IDS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryClient.class);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final int MAX_ERROR_MESSAGE = 300;

    private final List<RegistryClientSettings.Endpoint> endpoints;
    private final HttpClient http;
    private final Duration readTimeout;
    private final Duration retriesWait;
    private final Duration retriesMaxWait;
    private final Duration retryTimeout;
    private final ObjectMapper mapper = new ObjectMapper();
    /** The endpoint that answered last: requests start there. */
    private final AtomicInteger current = new AtomicInteger();

    private final Map<Integer, RegisteredSchema> schemasById = new ConcurrentHashMap<>();
    private final Map<Integer, Long> unknownIdsUntil = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
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
        Long unknownUntil = unknownIdsUntil.get(id);
        if (unknownUntil != null) {
            if (System.nanoTime() - unknownUntil < 0) {
                throw new RegistryErrorException(
                        "The schema registry has no schema with id " + id + " (answered less than "
                                + UNKNOWN_ID_MEMORY.toSeconds() + " s ago)",
                        404,
                        RegistryErrorException.SCHEMA_NOT_FOUND);
            }
            unknownIdsUntil.remove(id, unknownUntil);
        }
        JsonNode answer;
        try {
            answer = call("GET", "/schemas/ids/" + id, null, "schema id " + id);
        } catch (RegistryErrorException e) {
            if (e.isSchemaNotFound()) {
                rememberUnknown(id);
            }
            throw e;
        }
        JsonNode schema = answer.get("schema");
        if (schema == null || !schema.isTextual()) {
            throw new RegistryErrorException(
                    "The schema registry's answer for schema id " + id + " has no schema", 200, -1);
        }
        JsonNode type = answer.get("schemaType");
        JsonNode references = answer.get("references");
        RegisteredSchema registered = new RegisteredSchema(
                id,
                type == null || type.isNull() ? RegisteredSchema.AVRO : type.asText(),
                schema.asText(),
                references != null && references.isArray() && !references.isEmpty());
        schemasById.putIfAbsent(id, registered);
        return registered;
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
        idsBySubjectSchema.putIfAbsent(key, id.intValue());
        LOG.info("Schema registry: subject {} holds the schema with id {} ({})", key.subject(), id.intValue(), what);
        return id.intValue();
    }

    private void rememberUnknown(int id) {
        if (unknownIdsUntil.size() >= MAX_UNKNOWN_IDS) {
            long now = System.nanoTime();
            unknownIdsUntil.values().removeIf(until -> now - until >= 0);
        }
        if (unknownIdsUntil.size() < MAX_UNKNOWN_IDS) {
            unknownIdsUntil.put(id, System.nanoTime() + UNKNOWN_ID_MEMORY.toNanos());
        }
    }

    /**
     * Sends one request, failing over between the URLs and retrying with back-off while none answers,
     * and returns the JSON of a 2xx answer.
     */
    private JsonNode call(String method, String path, JsonNode body, String what) {
        long deadline = System.nanoTime() + retryTimeout.toNanos();
        long waitMs = retriesWait.toMillis();
        int round = 0;
        while (true) {
            String lastProblem = null;
            int start = current.get();
            for (int i = 0; i < endpoints.size(); i++) {
                int index = (start + i) % endpoints.size();
                RegistryClientSettings.Endpoint endpoint = endpoints.get(index);
                HttpResponse<byte[]> response;
                try {
                    requests.incrementAndGet();
                    response =
                            http.send(request(endpoint, method, path, body), HttpResponse.BodyHandlers.ofByteArray());
                } catch (IOException e) {
                    lastProblem = endpoint + ": " + describe(e);
                    LOG.debug("Schema registry {} failed {} {}", endpoint, method, path, e);
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RegistryUnavailableException("Interrupted while " + what, e);
                }
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    current.set(index);
                    if (round > 0) {
                        LOG.info("The schema registry {} answers again ({})", endpoint, what);
                    }
                    return parse(response.body(), what);
                }
                if (status >= 500 || status == 408 || status == 429) {
                    lastProblem = endpoint + ": HTTP " + status + errorSuffix(response.body());
                    continue;
                }
                current.set(index);
                throw error(endpoint, status, response.body(), what);
            }
            round++;
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new RegistryUnavailableException(
                        "No schema registry URL answered while " + what + " within "
                                + retryTimeout.toMillis() + " ms (" + RegistryClientSettings.RETRY_TIMEOUT_MS_CONFIG
                                + "); last: " + lastProblem,
                        null);
            }
            long sleepMs = Math.min(waitMs, TimeUnit.NANOSECONDS.toMillis(left) + 1);
            LOG.warn(
                    "No schema registry URL answered while {} ({}); retrying in {} ms (giving up {} s from the first try)",
                    what,
                    lastProblem,
                    sleepMs,
                    retryTimeout.toSeconds());
            try {
                TimeUnit.MILLISECONDS.sleep(sleepMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException("Interrupted while " + what, e);
            }
            waitMs = Math.min(waitMs * 2, retriesMaxWait.toMillis());
        }
    }

    private HttpRequest request(RegistryClientSettings.Endpoint endpoint, String method, String path, JsonNode body)
            throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(endpoint.baseUri() + path))
                .timeout(readTimeout)
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
