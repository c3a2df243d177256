package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sentimentstream.app.Classifiers;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.config.ConfigSources;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.deploy.DeploymentFiles;
import org.sentimentstream.model.ExecutionProvider;
import org.sentimentstream.model.Prediction;
import org.sentimentstream.model.SentimentClassifier;
import org.sentimentstream.stream.Topics;

/**
 * The production image, as deploy/Dockerfile builds it from the service jar, run the way the Kubernetes
 * manifest runs it (read-only root file system, writable state directory and /tmp only, a 1 GiB memory limit,
 * settings from SENTIMENT_* variables) against a real local broker: it classifies texts exactly as the bundled
 * model does in this JVM, its process is not root, it carries its labels, and (once the service has its HTTP
 * server) its health check passes and every HTTP path the deployment files name answers. Needs podman (see
 * {@link Podman}: skipped with the reason where podman cannot run, failed under CI=true). The image and the
 * container are named by this run and removed by those names.
 */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(Podman.class)
class ContainerImageIT {

    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration RESULTS_TIMEOUT = Duration.ofMinutes(2);
    private static final Path SERVICE_JAR = Path.of("target", "sentiment-stream.jar");
    private static final String POSITIVE_TEXT = "i love this phone";
    private static final String NEGATIVE_TEXT = "this is the worst day ever";

    @RegisterExtension
    static final LocalBrokerExtension KAFKA = new LocalBrokerExtension();

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String IMAGE = "localhost/sentiment-stream-it:" + RUN;
    private static final String CONTAINER = "sentiment-stream-it-" + RUN;

    private static String version;
    private static Topics topics;
    private static int metricsPort;

    @BeforeAll
    static void buildTheImageAndStartAContainer() throws IOException {
        try (JarFile jar = new JarFile(SERVICE_JAR.toFile())) {
            version = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
        }
        Podman.run(
                        BUILD_TIMEOUT,
                        "build",
                        "--pull=never",
                        "--format=docker",
                        "--target=service",
                        "--file=" + DeploymentFiles.DOCKERFILE,
                        "--build-arg=VERSION=" + version,
                        "--tag=" + IMAGE,
                        ".")
                .checked();
        topics = ItKafka.createTopics(KAFKA.broker(), "container", 2);

        List<String> run = new ArrayList<>(List.of(
                "run",
                "--detach",
                "--name=" + CONTAINER,
                "--network=host",
                "--memory=1g",
                "--read-only",
                "--tmpfs=/var/lib/sentiment-stream:rw,U"));
        for (Map.Entry<String, String> setting : containerSettings().entrySet()) {
            run.add("--env=" + ConfigSources.environmentVariable(setting.getKey()) + "=" + setting.getValue());
        }
        run.add(IMAGE);
        Podman.run(COMMAND_TIMEOUT, run.toArray(String[]::new)).checked();
    }

    /** The settings of the container: this run's topics and broker; the HTTP server on a free port of 127.0.0.1. */
    private static Map<String, String> containerSettings() throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(
                SentimentStreamConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers());
        settings.put(SentimentStreamConfig.APPLICATION_ID_CONFIG, "container-it-" + RUN);
        settings.put(SentimentStreamConfig.INPUT_TOPIC_CONFIG, topics.input());
        settings.put(SentimentStreamConfig.OUTPUT_TOPIC_CONFIG, topics.output());
        settings.put(SentimentStreamConfig.DEAD_LETTER_TOPIC_CONFIG, topics.deadLetter());
        // The host network is shared with other tests and services: never the default port, never 0.0.0.0.
        try (ServerSocket socket = new ServerSocket(0)) {
            metricsPort = socket.getLocalPort();
        }
        settings.put(SentimentStreamConfig.METRICS_PORT_CONFIG, Integer.toString(metricsPort));
        settings.put(SentimentStreamConfig.METRICS_ADDRESS_CONFIG, "127.0.0.1");
        return settings;
    }

    @AfterAll
    static void removeTheContainerAndTheImage() {
        Podman.run(COMMAND_TIMEOUT, "rm", "--force", "--time=10", CONTAINER);
        Podman.run(COMMAND_TIMEOUT, "rmi", "--force", IMAGE);
    }

    @Test
    void shouldClassifyTextsFromTheBrokerExactlyAsTheBundledModelDoes() throws Exception {
        List<String> texts = new ArrayList<>(GeneratedTexts.generate(40, 23));
        texts.add(POSITIVE_TEXT);
        texts.add(NEGATIVE_TEXT);
        List<TextEvent> events = ItKafka.events("container", texts);
        Set<String> ids = events.stream().map(TextEvent::getId).collect(Collectors.toSet());

        try (OutputCollector<OutputRecord> output = new OutputCollector<>(
                        KAFKA.broker().bootstrapServers(), topics.output(), OutputRecord.decoder(topics));
                SentimentClassifier local = Classifiers.open(Optional.empty(), ExecutionProvider.CPU, 1)) {
            ItKafka.send(KAFKA.broker().bootstrapServers(), topics, events);
            List<OutputRecord> results =
                    awaitWhileTheContainerRuns(output, r -> OutputRecord.ids(r).containsAll(ids));

            assertThat(OutputRecord.ids(results))
                    .as(() -> "every id has a result; container log:\n" + logTail())
                    .containsAll(ids);
            Map<String, SentimentEvent> byId = results.stream()
                    .collect(Collectors.toMap(k -> k.event().getId(), OutputRecord::event, (a, b) -> a));
            assertThat(byId.get("container-40").getLabel()).as(POSITIVE_TEXT).isEqualTo("positive");
            assertThat(byId.get("container-41").getLabel()).as(NEGATIVE_TEXT).isEqualTo("negative");
            List<Prediction> expected =
                    local.classify(texts.stream().map(local::tokenize).toList());
            for (int i = 0; i < texts.size(); i++) {
                SentimentEvent event = byId.get("container-" + i);
                Prediction prediction = expected.get(i);
                assertThat(event.getLabel()).as("label of %s", texts.get(i)).isEqualTo(prediction.label());
                assertThat(event.getModelVersion()).isEqualTo(local.info().version());
                for (int label = 0; label < prediction.probabilities().length; label++) {
                    assertThat(event.getProbabilities()
                                    .get(local.info().labels().get(label)))
                            .as(
                                    "probability of %s for %s",
                                    local.info().labels().get(label), texts.get(i))
                            .isCloseTo(prediction.probabilities()[label], within(1e-5f));
                }
            }
        }
    }

    @Test
    void shouldRunTheServiceAsAnUnprivilegedUser() {
        String status = Podman.run(COMMAND_TIMEOUT, "exec", CONTAINER, "cat", "/proc/1/status")
                .checked();
        String command = Podman.run(COMMAND_TIMEOUT, "exec", CONTAINER, "cat", "/proc/1/comm")
                .checked();
        List<String> uids = status.lines()
                .filter(line -> line.startsWith("Uid:"))
                .flatMap(line -> List.of(line.substring("Uid:".length()).trim().split("\\s+")).stream())
                .toList();

        assertThat(command).as("the container's first process").isEqualTo("java");
        assertThat(uids)
                .as("real, effective, saved and file-system user ids of the java process")
                .hasSize(4)
                .allSatisfy(uid -> assertThat(uid).isNotEqualTo("0"))
                .containsOnly(Integer.toString(DeploymentFiles.imageUserId().orElseThrow()));
    }

    @Test
    void shouldLabelTheImageWithItsVersionAndSource() throws IOException {
        String labels = Podman.run(COMMAND_TIMEOUT, "image", "inspect", "--format={{json .Config.Labels}}", IMAGE)
                .checked();
        JsonNode json = new ObjectMapper().readTree(labels);

        assertThat(json.path("org.opencontainers.image.version").asText()).isEqualTo(version);
        assertThat(json.path("org.opencontainers.image.title").asText()).isEqualTo("sentiment-stream");
        assertThat(json.has("org.opencontainers.image.source"))
                .as("labels: %s", labels)
                .isTrue();
    }

    @Test
    void shouldPassItsHealthCheckAndAnswerEveryPathTheDeploymentFilesName() throws Exception {
        long deadline = System.nanoTime() + RESULTS_TIMEOUT.toNanos();
        Podman.Result health;
        do {
            health = Podman.run(COMMAND_TIMEOUT, "healthcheck", "run", CONTAINER);
            if (!health.succeeded()) {
                TimeUnit.MILLISECONDS.sleep(500);
            }
        } while (!health.succeeded() && System.nanoTime() < deadline);
        Podman.Result last = health;
        assertThat(last.succeeded())
                .as(() -> "podman healthcheck run: " + last.stdout() + last.stderr() + "\n" + logTail())
                .isTrue();

        HttpClient http = HttpClient.newHttpClient();
        for (Map.Entry<String, String> named : DeploymentFiles.namedHttpPaths().entrySet()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + named.getValue()))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode())
                    .as("GET %s (named by %s)", named.getValue(), named.getKey())
                    .isEqualTo(200);
        }
    }

    /** Waits for the condition on the output, failing early (with the container's log) if the container stops. */
    private static List<OutputRecord> awaitWhileTheContainerRuns(
            OutputCollector<OutputRecord> output, Predicate<Collection<OutputRecord>> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + RESULTS_TIMEOUT.toNanos();
        List<OutputRecord> results = output.records();
        while (!done.test(results) && System.nanoTime() < deadline) {
            String running = Podman.run(COMMAND_TIMEOUT, "inspect", "--format={{.State.Running}}", CONTAINER)
                    .checked();
            assertThat(running)
                    .as(() -> "the container is running; its log:\n" + logTail())
                    .isEqualTo("true");
            results = output.awaitUntil(done, Duration.ofSeconds(5));
        }
        return results;
    }

    private static String logTail() {
        Podman.Result logs = Podman.run(COMMAND_TIMEOUT, "logs", "--tail=40", CONTAINER);
        return logs.stdout() + logs.stderr();
    }
}
