package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sentimentstream.localbroker.LocalKafkaBroker;
import org.sentimentstream.stream.Topics;

/**
 * No secret is ever printed: one unique sentinel is the password in every secret-bearing setting (the SASL
 * JAAS config, whose password the broker really checks; the key store, key and trust store passwords; the
 * OAuth client secret, unused with SASL/PLAIN but in Kafka's dumps; the registry's user info and its trust
 * store password; a registry URL with user info), and the service ({@code run} in its own JVM, log at INFO
 * as deployed) is driven down every path this test can reach: serving with a dead letter, {@code /metrics}
 * and {@code /health/*}, {@code --list-settings}, a wrong password, an unreachable broker, an unreachable
 * registry, a registry answering 401, 403 and 500, a bad model file. Neither the sentinel nor the base64 of the registry credentials appears in any output, log,
 * record or HTTP answer. Kafka's own start-up dump of its client configurations is part of the log.
 */
@Tag("integration")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class SecretSentinelIT {

    private static final String USER = "sentinel-svc";
    private static final String SENTINEL =
            "S3ntinel-" + UUID.randomUUID().toString().replace("-", "");
    /** The registry credentials as an Authorization header carries them. */
    private static final String SENTINEL_BASE64 =
            Base64.getEncoder().encodeToString((USER + ":" + SENTINEL).getBytes(StandardCharsets.UTF_8));

    private static final Duration WAIT = Duration.ofMinutes(2);
    /** Kafka's loggers at INFO (the service's default is WARN): its configuration dumps are then in the log. */
    private static final List<String> KAFKA_LOG_AT_INFO = List.of("-Dkafka.log.level=INFO");

    @TempDir
    static Path folder;

    @RegisterExtension
    static final LocalBrokerExtension KAFKA = new LocalBrokerExtension(() ->
            LocalKafkaBroker.builder().saslPlainUsers(Map.of(USER, SENTINEL)).start());

    /** A stand-in registry that answers every request with {@link #registryStatus}. */
    private static HttpServer registry;

    private static volatile int registryStatus = 500;

    @BeforeAll
    static void startRegistry() throws IOException {
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        registry.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = ("{\"error_code\":" + registryStatus + "01,\"message\":\"refused\"}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(registryStatus, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        registry.start();
    }

    @AfterAll
    static void stopRegistry() {
        registry.stop(0);
    }

    private static String registryUrl() {
        return "http://127.0.0.1:" + registry.getAddress().getPort() + "/apis/ccompat/v7";
    }

    private static String jaas(String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + USER + "\" password=\""
                + password + "\";";
    }

    /** Every secret-bearing setting, each holding the sentinel; the Kafka password is the right one. */
    private static Map<String, String> secretSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("security.protocol", "SASL_PLAINTEXT");
        settings.put("sasl.mechanism", "PLAIN");
        settings.put("sasl.jaas.config", jaas(SENTINEL));
        settings.put("ssl.keystore.password", SENTINEL);
        settings.put("ssl.key.password", SENTINEL);
        settings.put("ssl.truststore.password", SENTINEL);
        settings.put("sasl.oauthbearer.client.credentials.client.secret", SENTINEL);
        settings.put("schema.registry.url", registryUrl().replace("//", "//" + USER + ":" + SENTINEL + "@"));
        settings.put("basic.auth.user.info", USER + ":" + SENTINEL);
        settings.put("schema.registry.ssl.truststore.password", SENTINEL);
        return settings;
    }

    private static List<String> runArguments(Topics topics, Map<String, String> overrides) {
        String applicationId = "sentinel-it-" + UUID.randomUUID();
        Map<String, String> settings = new LinkedHashMap<>(secretSettings());
        settings.put("application.id", applicationId);
        settings.put("input.topic", topics.input());
        settings.put("output.topic", topics.output());
        settings.put("dead.letter.topic", topics.deadLetter());
        settings.put("state.dir", folder.resolve(applicationId).toString());
        settings.put("metrics.port", "0");
        settings.put("metrics.address", "127.0.0.1");
        settings.putAll(overrides);
        String bootstrap = settings.remove("bootstrap.servers");
        List<String> arguments = new ArrayList<>(List.of(
                "run", "--bootstrap-servers", bootstrap == null ? KAFKA.broker().saslBootstrapServers() : bootstrap));
        settings.forEach((name, value) -> {
            arguments.add("--set");
            arguments.add(name + "=" + value);
        });
        return arguments;
    }

    private static void assertNoSecret(String what, String text) {
        assertThat(text).as(what).doesNotContain(SENTINEL).doesNotContain(SENTINEL_BASE64);
    }

    /** A record as text: key, value, and every header's name and value. */
    private static String recordText(ConsumerRecord<byte[], byte[]> record) {
        StringBuilder text = new StringBuilder();
        if (record.key() != null) {
            text.append(new String(record.key(), StandardCharsets.ISO_8859_1));
        }
        text.append(' ').append(new String(record.value(), StandardCharsets.ISO_8859_1));
        for (Header header : record.headers()) {
            text.append(' ').append(header.key()).append('=');
            text.append(new String(header.value(), StandardCharsets.ISO_8859_1));
        }
        return text.toString();
    }

    @Test
    void shouldPrintNoSecretWhileServingDeadLetteringAndAnsweringHttp() throws Exception {
        Topics topics = ItKafka.createTopics(KAFKA.broker(), "sentinel", 1);
        Path log = folder.resolve("serving.log");
        List<String> http = new ArrayList<>();
        ServiceProcess service = new ServiceProcess(runArguments(topics, Map.of()), log, KAFKA_LOG_AT_INFO);
        try (OutputCollector<String> output =
                        new OutputCollector<>(KAFKA.broker().bootstrapServers(), topics.output(), r -> recordText(r));
                OutputCollector<String> deadLetters = new OutputCollector<>(
                        KAFKA.broker().bootstrapServers(), topics.deadLetter(), r -> recordText(r))) {
            ItKafka.send(KAFKA.broker().bootstrapServers(), topics, ItKafka.events("g", List.of("i love it")));
            try (KafkaProducer<byte[], byte[]> producer =
                    ItKafka.rawProducer(KAFKA.broker().bootstrapServers())) {
                producer.send(new ProducerRecord<>(topics.input(), "not avro".getBytes(StandardCharsets.UTF_8)))
                        .get();
            }
            service.start();
            OpsEndpoint ops = OpsEndpoint.fromLog(log, WAIT);

            List<String> results = output.awaitUntil(r -> !r.isEmpty() || !service.isAlive(), WAIT);
            List<String> dead = deadLetters.awaitUntil(r -> !r.isEmpty() || !service.isAlive(), WAIT);
            for (String path : List.of("/metrics", "/health/live", "/health/ready", "/nope")) {
                HttpResponse<String> response = ops.get(path);
                http.add(path + " " + response.statusCode() + " " + response.headers() + " " + response.body());
            }
            int exitCode = service.stop();

            assertThat(results).as("results; log:\n%s", service.logTail()).hasSize(1);
            assertThat(dead).hasSize(1);
            assertThat(exitCode).isIn(0, 143);
            assertNoSecret("output records", String.join("\n", results));
            assertNoSecret("dead letters", String.join("\n", dead));
        }
        assertThat(http).hasSize(4);
        assertNoSecret("HTTP answers", String.join("\n", http));
        String serviceLog = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(serviceLog)
                .as("Kafka's configuration dump is in the log, its passwords hidden")
                .contains("sasl.jaas.config = [hidden]")
                .contains("sasl.oauthbearer.client.credentials.client.secret = [hidden]");
        assertNoSecret("the service's log", serviceLog);
    }

    /** A failure path: the settings that lead there, and the exit code expected. */
    record Failure(String name, Map<String, String> settings, int exitCode) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> failures() throws IOException {
        Path badModel = Files.writeString(
                Files.createTempFile("sentinel-bad-model", ".onnx"), "not a model " + UUID.randomUUID());
        badModel.toFile().deleteOnExit();
        Map<String, String> registryFormat = Map.of(
                "output.format", "confluent-avro",
                "basic.auth.credentials.source", "USER_INFO",
                "schema.registry.retry.timeout.ms", "1000",
                "retries.wait.ms", "100");
        return Stream.of(
                        new Failure("wrong password", Map.of("sasl.jaas.config", jaas(SENTINEL + "-wrong")), 2),
                        new Failure(
                                "unreachable broker",
                                Map.of(
                                        "bootstrap.servers",
                                        "127.0.0.1:1",
                                        "default.api.timeout.ms",
                                        "5000",
                                        "request.timeout.ms",
                                        "5000"),
                                1),
                        new Failure(
                                "unreachable registry",
                                with(
                                        registryFormat,
                                        "schema.registry.url",
                                        "http://" + USER + ":" + SENTINEL + "@127.0.0.1:1/apis/ccompat/v7",
                                        "basic.auth.credentials.source",
                                        "URL"),
                                1),
                        new Failure("registry 401", with(registryFormat, "registry.status", "401"), 2),
                        new Failure("registry 403", with(registryFormat, "registry.status", "403"), 2),
                        new Failure("registry 500", with(registryFormat, "registry.status", "500"), 1),
                        new Failure("bad model file", Map.of("model.path", badModel.toString()), 2),
                        new Failure("--list-settings", Map.of("--list-settings", ""), 0))
                .map(Arguments::of);
    }

    private static Map<String, String> with(Map<String, String> base, String... pairs) {
        Map<String, String> settings = new LinkedHashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) {
            settings.put(pairs[i], pairs[i + 1]);
        }
        return settings;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void shouldPrintNoSecretOnAFailurePath(Failure failure) throws Exception {
        Topics topics = ItKafka.createTopics(KAFKA.broker(), "sentinel-fail", 1);
        Map<String, String> settings = new LinkedHashMap<>(failure.settings());
        String status = settings.remove("registry.status");
        registryStatus = status == null ? 500 : Integer.parseInt(status);
        boolean listSettings = settings.remove("--list-settings") != null;
        List<String> arguments = runArguments(topics, settings);
        if (listSettings) {
            arguments.add("--list-settings");
        }
        Path log = folder.resolve("failure-" + failure.name().replaceAll("[^a-z0-9]+", "-") + ".log");
        ServiceProcess service = new ServiceProcess(arguments, log, KAFKA_LOG_AT_INFO);

        service.start();
        int exitCode = service.awaitExit(WAIT);

        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(exitCode).as(output).isEqualTo(failure.exitCode());
        assertNoSecret("output of " + failure.name(), output);
        if (exitCode != 0) {
            assertThat(output).as("one error line").contains("sentiment-stream run: error: ");
        }
    }
}
