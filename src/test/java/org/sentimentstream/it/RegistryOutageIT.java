package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sentimentstream.app.SentimentService;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.registry.RegisteredSchema;
import org.sentimentstream.registry.RegistryClientSettings;
import org.sentimentstream.serde.RecordCodec;
import org.sentimentstream.stream.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema registry going away: stopped for 30 s while the service runs (nothing lost, nothing valid
 * dead-lettered, cached ids keep flowing), and absent or refusing at start-up (a non-zero exit with one
 * clear line: 1 when it cannot be reached, 2 when it refuses the output schema).
 */
@Tag("integration")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class RegistryOutageIT {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryOutageIT.class);
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Duration RESULTS_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration EXIT_TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern STACK_TRACE_LINE = Pattern.compile("^\\s+at |^Caused by: ");

    @RegisterExtension
    @Order(1)
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();

    @RegisterExtension
    @Order(2)
    static final LocalBrokerExtension KAFKA = new LocalBrokerExtension();

    @RegisterExtension
    @Order(3)
    static final BundledModelExtension MODEL = new BundledModelExtension();

    @TempDir
    Path folder;

    /**
     * Partition 0 gets a record whose schema id the service has never seen while the registry is down:
     * its stream thread waits and retries (records after it on that partition wait behind it, in order),
     * while partition 1, on the other stream thread, keeps flowing with ids cached before the outage.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2})
    void shouldLoseNothingAndDeadLetterNothingWhileTheRegistryIsStoppedForThirtySeconds(String guarantee)
            throws Exception {
        String registryUrl = REGISTRY.url();
        Topics topics = ConfluentRecords.createTopics(KAFKA.broker(), "outage", 2, registryUrl);
        RecordCodec<TextEvent> v1 = topics.inputCodec();
        // The producer registers its new version while the registry is up; the service first sees the id
        // in a record that arrives during the outage.
        Schema v2 = ConfluentRecords.evolvedTextEvent();
        int v2Id = ConfluentRecords.client(registryUrl)
                .register(topics.input() + "-value", RegisteredSchema.AVRO, v2.toString());
        List<TextEvent> warmUp = ItKafka.events("warm", GeneratedTexts.generate(20, 1));
        TextEvent newId =
                ItKafka.events("new-id", List.of("so happy with my new phone")).get(0);
        List<TextEvent> behindNewId = ItKafka.events("behind", GeneratedTexts.generate(10, 2));
        List<TextEvent> otherPartition = ItKafka.events("flowing", GeneratedTexts.generate(10, 3));
        Set<String> allIds = new HashSet<>();
        for (List<TextEvent> events : List.of(warmUp, List.of(newId), behindNewId, otherPartition)) {
            events.forEach(event -> allIds.add(event.getId()));
        }
        Map<String, Object> settings = ConfluentRecords.serviceSettings(KAFKA.broker(), topics, registryUrl);
        settings.put(SentimentStreamConfig.STATE_DIR_CONFIG, folder.toString());
        settings.put(SentimentStreamConfig.NUM_STREAM_THREADS_CONFIG, "2");
        settings.put(SentimentStreamConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        settings.put(RegistryClientSettings.RETRIES_WAIT_MS_CONFIG, "500");
        settings.put(RegistryClientSettings.RETRIES_MAX_WAIT_MS_CONFIG, "2000");
        // The outage the client sees is the 30 s stop plus the registry's restart, which took 100-112 s at
        // load average 50 on the shared CI machine (7 s when quiet). Since a call's requests are bounded by
        // its deadline (B10), the default 120 s budget is exact and no longer stretched by a last request's
        // read time-out; 240 s stays below max.poll.interval.ms (300 s), as the documentation advises.
        settings.put(RegistryClientSettings.RETRY_TIMEOUT_MS_CONFIG, "240000");

        try (SentimentService service =
                        SentimentService.create(new SentimentStreamConfig(settings), MODEL.classifier());
                OutputCollector<ConfluentRecords.Result> output = new OutputCollector<>(
                        KAFKA.broker().bootstrapServers(),
                        topics.output(),
                        ConfluentRecords.downstreamDecoder(topics.output(), registryUrl));
                OutputCollector<ConsumerRecord<byte[], byte[]>> deadLetters = new OutputCollector<>(
                        KAFKA.broker().bootstrapServers(), topics.deadLetter(), Function.identity());
                KafkaProducer<byte[], byte[]> producer =
                        ItKafka.rawProducer(KAFKA.broker().bootstrapServers())) {
            service.start();
            for (int i = 0; i < warmUp.size(); i++) {
                send(producer, topics, i % 2, warmUp.get(i).getId(), v1.encode(warmUp.get(i)));
            }
            assertThat(output.awaitUntil(r -> idsOf(r).containsAll(ids(warmUp)), RESULTS_TIMEOUT))
                    .as("the warm-up results (the service has cached the v1 and output ids)")
                    .extracting(r -> r.event().getId())
                    .containsAll(ids(warmUp));

            long stoppedAt = System.nanoTime();
            REGISTRY.stop();
            try {
                send(
                        producer,
                        topics,
                        0,
                        newId.getId(),
                        ConfluentRecords.frame(v2Id, v2, ConfluentRecords.asEvolved(v2, newId)));
                for (TextEvent event : behindNewId) {
                    send(producer, topics, 0, event.getId(), v1.encode(event));
                }
                for (TextEvent event : otherPartition) {
                    send(producer, topics, 1, event.getId(), v1.encode(event));
                }
                producer.flush();

                List<ConfluentRecords.Result> during =
                        output.awaitUntil(r -> idsOf(r).containsAll(ids(otherPartition)), RESULTS_TIMEOUT);
                boolean registryStillDown = !REGISTRY.isRunning();

                assertThat(idsOf(during))
                        .as("records with cached ids on the other partition flow during the outage")
                        .containsAll(ids(otherPartition));
                assertThat(registryStillDown)
                        .as("...while the registry is still stopped")
                        .isTrue();

                // The outage itself is the scenario under test: the registry stays stopped for its full length.
                long left = OUTAGE.toNanos() - (System.nanoTime() - stoppedAt);
                if (left > 0) {
                    TimeUnit.NANOSECONDS.sleep(left);
                }
                assertThat(idsOf(output.records()))
                        .as("the record with an unseen id, and those behind it, wait for the registry")
                        .doesNotContain(newId.getId());
                assertThat(deadLetters.records())
                        .as("nothing is dead-lettered for the outage")
                        .isEmpty();
            } finally {
                LOG.info(
                        "Restarting the registry {} s after it stopped",
                        (System.nanoTime() - stoppedAt) / 1_000_000_000L);
                REGISTRY.restart();
            }

            List<ConfluentRecords.Result> results =
                    output.awaitUntil(r -> idsOf(r).containsAll(allIds), RESULTS_TIMEOUT);

            assertThat(idsOf(results)).as("nothing is lost").containsAll(allIds);
            if (guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2)) {
                assertThat(results).as("nothing twice under exactly_once_v2").hasSize(allIds.size());
            }
            assertThat(deadLetters.records())
                    .as("nothing valid is dead-lettered")
                    .isEmpty();
            assertThat(service.state()).as("the service kept running").isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    @Test
    void shouldExitWithCode1AndOneClearLineWhenTheRegistryCannotBeReachedAtStartUp() throws Exception {
        Topics topics = ItKafka.createTopics(KAFKA.broker(), "no-registry", 1);
        String nowhere = "http://127.0.0.1:" + closedPort() + "/apis/ccompat/v7";
        ServiceArguments arguments = new ServiceArguments(
                        KAFKA.broker().bootstrapServers(), topics, "it-no-registry", "at_least_once", folder)
                .with("output.format", "confluent-avro")
                .with(RegistryClientSettings.URL_CONFIG, nowhere)
                .with(RegistryClientSettings.RETRIES_WAIT_MS_CONFIG, "200")
                .with(RegistryClientSettings.RETRY_TIMEOUT_MS_CONFIG, "2000");

        List<String> lines = runUntilExit(arguments, folder.resolve("no-registry.log"), 1);

        assertThat(lines.get(lines.size() - 1))
                .startsWith("sentiment-stream run: error: ")
                .contains("No schema registry URL answered while registering a schema under subject " + topics.output()
                        + "-value")
                .contains("schema.registry.retry.timeout.ms");
    }

    @Test
    void shouldExitWithCode2AndOneClearLineWhenTheRegistryRefusesTheOutputSchema() throws Exception {
        String registryUrl = REGISTRY.url();
        Topics topics = ItKafka.createTopics(KAFKA.broker(), "refused", 1);
        // Someone else's SentimentEvent already holds the subject; the service's cannot read its data
        // (BACKWARD): the registry refuses it with 409.
        Schema theirs = SchemaBuilder.record("SentimentEvent")
                .namespace("org.sentimentstream.avro")
                .fields()
                .requiredLong("label")
                .endRecord();
        ConfluentRecords.client(registryUrl)
                .register(topics.output() + "-value", RegisteredSchema.AVRO, theirs.toString());
        ServiceArguments arguments = new ServiceArguments(
                        KAFKA.broker().bootstrapServers(), topics, "it-refused", "at_least_once", folder)
                .with("output.format", "confluent-avro")
                .with(RegistryClientSettings.URL_CONFIG, registryUrl);

        List<String> lines = runUntilExit(arguments, folder.resolve("refused.log"), 2);

        assertThat(lines.get(lines.size() - 1))
                .startsWith("sentiment-stream run: error: ")
                .contains("refused registering a schema under subject " + topics.output() + "-value")
                .contains("HTTP 409");
    }

    private List<String> runUntilExit(ServiceArguments arguments, Path log, int expectedExitCode) throws Exception {
        ServiceProcess service = new ServiceProcess(arguments.toList(), log);
        service.start();
        int exitCode = service.awaitExit(EXIT_TIMEOUT);
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank())
                .toList();
        LOG.info("Exit code {}; last line: {}", exitCode, lines.isEmpty() ? "(none)" : lines.get(lines.size() - 1));
        assertThat(exitCode).as(String.join("\n", lines)).isEqualTo(expectedExitCode);
        assertThat(lines)
                .as("no stack trace")
                .noneMatch(line -> STACK_TRACE_LINE.matcher(line).find());
        assertThat(lines.stream().filter(line -> line.contains(": error: ")))
                .as("one error line")
                .hasSize(1);
        return lines;
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer, Topics topics, int partition, String key, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(topics.input(), partition, ItKafka.key(key), value))
                .get(30, TimeUnit.SECONDS);
    }

    private static Set<String> ids(List<TextEvent> events) {
        return events.stream().map(TextEvent::getId).collect(Collectors.toSet());
    }

    private static Set<String> idsOf(java.util.Collection<ConfluentRecords.Result> results) {
        return results.stream().map(r -> r.event().getId()).collect(Collectors.toSet());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
