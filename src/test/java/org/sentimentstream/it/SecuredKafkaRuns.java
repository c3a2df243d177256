package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.sentimentstream.cli.ExitCodes;
import org.sentimentstream.localbroker.LocalKafkaBroker;
import org.sentimentstream.stream.Topics;

/**
 * The commands of the security matrix (docs/SECURITY.md), each in its own JVM as a user runs them, against a
 * broker's secured client listener: {@code produce} sends a text through it, {@code run} classifies it
 * through it, {@code consume} reads the result through it; and a {@code run} with a wrong setting stops at
 * start-up with one line and exit code 2, without a stack trace or a minute of retries. Topics are created,
 * and nothing else is done, through the broker's PLAINTEXT listener.
 */
final class SecuredKafkaRuns {

    static final Duration WAIT = Duration.ofMinutes(2);
    /** Events of the short {@code loadtest} run. */
    static final int LOAD_TEST_EVENTS = 50;

    private static final Pattern STACK_TRACE_LINE =
            Pattern.compile("^\\s+at \\S+\\(.*\\)$|^Caused by: |^Exception in thread ");

    private final LocalKafkaBroker broker;
    private final Path folder;

    SecuredKafkaRuns(LocalKafkaBroker broker, Path folder) {
        this.broker = broker;
        this.folder = folder;
    }

    private static List<String> arguments(String command, String bootstrap, Map<String, String> settings) {
        List<String> arguments = new ArrayList<>(List.of(command, "--bootstrap-servers", bootstrap));
        settings.forEach((name, value) -> {
            arguments.add("--set");
            arguments.add(name + "=" + value);
        });
        return arguments;
    }

    private Map<String, String> withTopics(Topics topics, Map<String, String> security) {
        String applicationId = "secured-" + UUID.randomUUID();
        Map<String, String> settings = new LinkedHashMap<>(security);
        settings.put("application.id", applicationId);
        settings.put("input.topic", topics.input());
        settings.put("output.topic", topics.output());
        settings.put("dead.letter.topic", topics.deadLetter());
        settings.put("state.dir", folder.resolve(applicationId).toString());
        settings.put("metrics.port", "-1");
        return settings;
    }

    private Path log(String name) {
        return folder.resolve(name + "-" + UUID.randomUUID().toString().substring(0, 8) + ".log");
    }

    /** Runs a command to its end; returns its output after checking the exit code. */
    private String runToEnd(List<String> arguments, int expectedExitCode) throws Exception {
        Path log = log(arguments.get(0));
        ServiceProcess process = new ServiceProcess(arguments, log);
        process.start();
        int exitCode = process.awaitExit(WAIT);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(exitCode)
                .as("%s exit code; output:\n%s", arguments.get(0), output)
                .isEqualTo(expectedExitCode);
        return output;
    }

    /**
     * {@code produce}, {@code run} and {@code consume} all through the secured listener with {@code security}:
     * a text goes in and its sentiment comes out.
     */
    void assertProduceClassifyConsume(String prefix, Map<String, String> security) throws Exception {
        assertProduceClassifyConsume(prefix, security, false);
    }

    /**
     * As {@link #assertProduceClassifyConsume(String, Map)}, and then, while the service still runs, {@code
     * loadtest} through the secured listener: a short run of {@value #LOAD_TEST_EVENTS} events that all come
     * back as results, exit code 0.
     */
    void assertProduceClassifyConsumeAndLoadTest(String prefix, Map<String, String> security) throws Exception {
        assertProduceClassifyConsume(prefix, security, true);
    }

    private void assertProduceClassifyConsume(String prefix, Map<String, String> security, boolean loadTest)
            throws Exception {
        Topics topics = ItKafka.createTopics(broker, prefix, 1);
        Map<String, String> settings = withTopics(topics, security);
        String bootstrap = broker.clientBootstrapServers();
        List<String> produce = arguments("produce", bootstrap, settings);
        produce.add("what a lovely day");
        runToEnd(produce, ExitCodes.OK);
        List<String> run = arguments("run", bootstrap, settings);
        Path serviceLog = log("run");
        ServiceProcess service = new ServiceProcess(run, serviceLog);
        service.start();
        try {
            List<String> consume = arguments("consume", bootstrap, settings);
            consume.addAll(List.of("--max-records", "1", "--timeout", "90s"));
            String consumed = runToEnd(consume, ExitCodes.OK);
            assertThat(consumed)
                    .as("consumed; service log:\n%s", service.logTail())
                    .containsPattern("positive|negative");
            if (loadTest) {
                assertLoadTest(bootstrap, settings, service);
            }
        } finally {
            assertThat(service.stop()).isIn(0, 143);
        }
        assertThat(Files.readString(serviceLog, StandardCharsets.UTF_8))
                .as("the service's log")
                .doesNotContain(TestCertificates.STORE_PASSWORD);
    }

    /**
     * {@code loadtest} in its own JVM against the running {@code service}: every one of its events comes back
     * as a result (not a dead letter), it exits 0, and its summary says so.
     */
    private void assertLoadTest(String bootstrap, Map<String, String> settings, ServiceProcess service)
            throws Exception {
        Path texts = Files.write(
                folder.resolve("loadtest-texts-" + UUID.randomUUID() + ".txt"),
                GeneratedTexts.generate(LOAD_TEST_EVENTS, 7));
        Path summary = folder.resolve("loadtest-" + UUID.randomUUID() + ".json");
        List<String> loadtest = arguments("loadtest", bootstrap, settings);
        loadtest.addAll(List.of(
                "--events",
                Integer.toString(LOAD_TEST_EVENTS),
                "--rate",
                "max",
                "--texts",
                texts.toString(),
                "--drain-timeout",
                WAIT.toSeconds() + "s",
                "--json",
                summary.toString()));
        String output = runToEnd(loadtest, ExitCodes.OK);
        JsonNode json = new ObjectMapper().readTree(summary.toFile());
        assertThat(json.get("events_sent").asLong())
                .as("events sent; output:\n%s", output)
                .isEqualTo(LOAD_TEST_EVENTS);
        assertThat(json.get("results_received").asLong())
                .as("results; service log:\n%s", service.logTail())
                .isEqualTo(LOAD_TEST_EVENTS);
        assertThat(json.get("dead_letters").asLong()).isZero();
        assertThat(json.get("missing").asLong()).isZero();
        assertThat(output).contains("PASS: every event came back").doesNotContain(TestCertificates.STORE_PASSWORD);
    }

    /**
     * {@code run} with these settings stops at start-up with exit code 2 and one error line containing {@code
     * reason} (a regular expression), no stack trace, and no password.
     */
    void assertRefusedAtStartUp(String bootstrap, Map<String, String> security, String reason, String secret)
            throws Exception {
        assertOneErrorLine(runUntilItStops(bootstrap, security, ExitCodes.USAGE), "run", reason, secret);
    }

    /** Runs {@code run} with these settings, which must make it stop with {@code exitCode}; returns its output. */
    String runUntilItStops(String bootstrap, Map<String, String> security, int exitCode) throws Exception {
        Topics topics = ItKafka.createTopics(broker, "refused", 1);
        return runToEnd(arguments("run", bootstrap, withTopics(topics, security)), exitCode);
    }

    /**
     * A command's output ends with its one error line ({@code sentiment-stream COMMAND: error: }) containing
     * {@code reason} (a regular expression), and holds no stack trace and no {@code secret}.
     */
    static void assertOneErrorLine(String output, String command, String reason, String secret) {
        List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines.get(lines.size() - 1))
                .startsWith("sentiment-stream " + command + ": error: ")
                .containsPattern(reason);
        assertThat(lines).noneMatch(line -> STACK_TRACE_LINE.matcher(line).find());
        assertThat(output).doesNotContain(secret);
    }

    /** The client settings of TLS that trusts {@code ca} (PEM) with host-name verification on (Kafka's default). */
    static Map<String, String> tls(TestCertificates ca) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("security.protocol", "SSL");
        settings.put("ssl.truststore.type", "PEM");
        settings.put("ssl.truststore.location", ca.caCertificate().toString());
        return settings;
    }

    /** {@code settings} with more. */
    static Map<String, String> with(Map<String, String> settings, String... pairs) {
        Map<String, String> all = new LinkedHashMap<>(settings);
        for (int i = 0; i < pairs.length; i += 2) {
            all.put(pairs[i], pairs[i + 1]);
        }
        return all;
    }

    /** The broker's settings of an SSL-capable client listener with this key store. */
    static Map<String, String> brokerTls(Path keyStore) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("listener.name.client.ssl.keystore.type", "PKCS12");
        settings.put("listener.name.client.ssl.keystore.location", keyStore.toString());
        settings.put("listener.name.client.ssl.keystore.password", TestCertificates.STORE_PASSWORD);
        settings.put("listener.name.client.ssl.key.password", TestCertificates.STORE_PASSWORD);
        return settings;
    }
}
