package org.sentimentstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sentimentstream.registry.FakeRegistry.Answer;

/**
 * The client against closed ports (a stopped registry) and against {@link FakeRegistry} (the answers a
 * registry can give: unknown ids, refusals, 5xx, bodies that are not JSON or too large, silence). The
 * answers of a real registry: the integration tests against Apicurio Registry.
 */
@Timeout(120)
class SchemaRegistryClientTest {

    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[]}";

    private FakeRegistry registry;

    @BeforeEach
    void startRegistry() throws IOException {
        registry = FakeRegistry.start();
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    private static SchemaRegistryClient clientOf(String url, String... keyValues) {
        Map<String, String> settings = new HashMap<>();
        settings.put("schema.registry.url", url);
        settings.put("retries.wait.ms", "10");
        settings.put("retries.max.wait.ms", "20");
        for (int i = 0; i < keyValues.length; i += 2) {
            settings.put(keyValues[i], keyValues[i + 1]);
        }
        return new SchemaRegistryClient(new RegistryClientSettings(settings));
    }

    private SchemaRegistryClient client(String... keyValues) {
        return clientOf(registry.url(), keyValues);
    }

    @Test
    void shouldRetryEveryUrlWithBackOffThenFailAsUnavailable() throws IOException {
        int closedA = closedPort();
        int closedB = closedPort();
        SchemaRegistryClient client = clientOf(
                "http://127.0.0.1:" + closedA + ",http://127.0.0.1:" + closedB,
                "retries.wait.ms",
                "20",
                "retries.max.wait.ms",
                "40",
                "schema.registry.retry.timeout.ms",
                "300");

        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("schema id 1")
                .hasMessageContaining("schema.registry.retry.timeout.ms");
        assertThat(client.requestCount())
                .as("both URLs, in more than one round")
                .isGreaterThanOrEqualTo(4)
                .isEven();
    }

    @Test
    void shouldFailAtOnceWithoutRetriesWhenTheRetryTimeoutIsZero() throws IOException {
        SchemaRegistryClient client =
                clientOf("http://127.0.0.1:" + closedPort(), "schema.registry.retry.timeout.ms", "0");

        assertThatThrownBy(() -> client.register("s-value", "AVRO", "\"string\""))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("registering a schema under subject s-value");
        assertThat(client.requestCount()).isEqualTo(1);
    }

    @Test
    void shouldReadASchemaByIdOnceAndAnswerFromTheCacheAfterwards() {
        registry.on("/schemas/ids/3", Answer.schema(SCHEMA));
        SchemaRegistryClient client = client();

        RegisteredSchema first = client.schemaById(3);
        RegisteredSchema second = client.schemaById(3);

        assertThat(first.schema()).isEqualTo(SCHEMA);
        assertThat(first.schemaType()).isEqualTo(RegisteredSchema.AVRO);
        assertThat(second).isEqualTo(first);
        assertThat(registry.requests("/schemas/ids/3")).isEqualTo(1);
    }

    @Test
    void shouldRefuseAt401AtOnceWithoutRetryingAndPointAtTheCredentials() {
        registry.on("/schemas/ids/1", Answer.json(401, "{\"error_code\":401,\"message\":\"Unauthorized\"}"));
        SchemaRegistryClient client = client();

        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOfSatisfying(
                        RegistryErrorException.class,
                        e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageContaining("basic.auth.user.info");
        assertThat(registry.requests("/schemas/ids/1")).isEqualTo(1);
    }

    @Test
    void shouldRetryA5xxAndReturnTheAnswerThatFollows() {
        registry.on(
                "/schemas/ids/2",
                Answer.json(503, "{\"error_code\":50003,\"message\":\"leader unknown\"}"),
                Answer.schema(SCHEMA));
        SchemaRegistryClient client = client();

        assertThat(client.schemaById(2).schema()).isEqualTo(SCHEMA);
        assertThat(registry.requests("/schemas/ids/2")).isEqualTo(2);
    }

    @Test
    void shouldRefuseANonJsonAnswerAsAnError() {
        registry.on("/schemas/ids/4", Answer.json(200, "<html>captive portal</html>"));
        SchemaRegistryClient client = client();

        assertThatThrownBy(() -> client.schemaById(4))
                .isInstanceOf(RegistryErrorException.class)
                .hasMessageContaining("is not JSON");
    }

    // B5: a miss is asked again once before it is final, and remembered for missing.id.cache.ttl.sec.

    @Test
    void shouldAskAgainOnceAfterAShortWaitBeforeCallingAnIdUnknown() {
        registry.on("/schemas/ids/5", Answer.unknownId(), Answer.schema(SCHEMA));
        SchemaRegistryClient client = client();

        assertThat(client.schemaById(5).schema()).isEqualTo(SCHEMA);
        assertThat(registry.requests("/schemas/ids/5")).isEqualTo(2);
    }

    @Test
    void shouldRememberAnIdUnknownTwiceForTheMissingIdCacheTtl() {
        SchemaRegistryClient client = client("missing.id.cache.ttl.sec", "3600");

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> client.schemaById(6))
                    .isInstanceOfSatisfying(
                            RegistryErrorException.class,
                            e -> assertThat(e.isSchemaNotFound()).isTrue());
        }
        assertThat(registry.requests("/schemas/ids/6"))
                .as("asked twice, then remembered")
                .isEqualTo(2);
    }

    @Test
    void shouldRememberNoMissWhenTheMissingIdCacheTtlIsZero() {
        SchemaRegistryClient client = client("missing.id.cache.ttl.sec", "0");

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> client.schemaById(6)).isInstanceOf(RegistryErrorException.class);
        }
        assertThat(registry.requests("/schemas/ids/6")).isEqualTo(4);
    }

    // B10: the deadline is checked before each URL, and bounds each request's time-out.

    @Test
    @Timeout(60)
    void shouldCapARequestsTimeOutByTheTimeLeftOfTheCall() {
        registry.on("/schemas/ids/1", Answer.silent());
        SchemaRegistryClient client =
                client("http.read.timeout.ms", "600000", "schema.registry.retry.timeout.ms", "500");

        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("HttpTimeoutException");
    }

    @Test
    void shouldNotTryTheNextUrlOnceTheDeadlineHasPassed() throws IOException {
        registry.on("/schemas/ids/1", Answer.silent());
        try (FakeRegistry second = FakeRegistry.start()) {
            second.on("/schemas/ids/1", Answer.schema(SCHEMA));
            SchemaRegistryClient client = clientOf(
                    registry.url() + "," + second.url(),
                    "http.read.timeout.ms",
                    "600000",
                    "schema.registry.retry.timeout.ms",
                    "300");

            assertThatThrownBy(() -> client.schemaById(1)).isInstanceOf(RegistryUnavailableException.class);
            assertThat(second.requests()).isZero();
        }
    }

    // B11: capped bodies, bounded caches, one request for concurrent misses of one id.

    @Test
    void shouldRefuseAnAnswerLargerThanTheCapWithoutBufferingIt() {
        registry.on("/schemas/ids/8", Answer.huge(200, SchemaRegistryClient.MAX_ANSWER_BYTES + 1));
        SchemaRegistryClient client = client();

        assertThatThrownBy(() -> client.schemaById(8))
                .isInstanceOfSatisfying(
                        RegistryErrorException.class,
                        e -> assertThat(e.isAnswerTooLarge()).isTrue())
                .hasMessageContaining("larger than " + SchemaRegistryClient.MAX_ANSWER_BYTES + " bytes");
    }

    @Test
    void shouldShowTheStatusOfAnErrorAnswerLargerThanTheCap() {
        registry.on("/schemas/ids/8", Answer.huge(422, SchemaRegistryClient.MAX_ANSWER_BYTES * 2));
        SchemaRegistryClient client = client();

        assertThatThrownBy(() -> client.schemaById(8))
                .isInstanceOfSatisfying(
                        RegistryErrorException.class,
                        e -> assertThat(e.status()).isEqualTo(422))
                .hasMessageContaining("HTTP 422");
    }

    @Test
    void shouldEvictTheLeastRecentlyUsedSchemaBeyondTheCacheCapacity() {
        for (int id = 1; id <= 3; id++) {
            registry.on("/schemas/ids/" + id, Answer.schema(SCHEMA));
        }
        SchemaRegistryClient client = client("max.schemas.per.subject", "2");

        client.schemaById(1);
        client.schemaById(2);
        client.schemaById(1);
        client.schemaById(3); // evicts 2, the least recently used
        client.schemaById(1);
        client.schemaById(2);

        assertThat(registry.requests("/schemas/ids/1")).isEqualTo(1);
        assertThat(registry.requests("/schemas/ids/2")).isEqualTo(2);
    }

    @Test
    void shouldSendOneRequestForConcurrentMissesOfOneId() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        registry.on("/schemas/ids/9", Answer.schema(SCHEMA).heldUntil(release));
        SchemaRegistryClient client = client();
        int callers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Thread> threads = new ArrayList<>();
            List<Future<RegisteredSchema>> results = new ArrayList<>();
            CountDownLatch started = new CountDownLatch(callers);
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    synchronized (threads) {
                        threads.add(Thread.currentThread());
                    }
                    started.countDown();
                    return client.schemaById(9);
                }));
            }
            assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
            awaitAllWaiting(threads);
            release.countDown();

            for (Future<RegisteredSchema> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS).schema()).isEqualTo(SCHEMA);
            }
            assertThat(registry.requests("/schemas/ids/9")).isEqualTo(1);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    /** Waits until every caller is parked (on the registry's answer, or on another caller's request). */
    private static void awaitAllWaiting(List<Thread> threads) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            boolean allWaiting;
            synchronized (threads) {
                allWaiting = threads.stream()
                        .allMatch(t ->
                                t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING);
            }
            if (allWaiting) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the callers never all waited");
    }

    /** A port nothing listens on: bound, then released. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
