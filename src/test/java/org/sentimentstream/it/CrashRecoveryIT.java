package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.stream.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A killed-and-restarted service loses no record under either guarantee, and produces none twice under
 * exactly_once_v2. The service runs as its own JVM ({@code Main run}), is killed with SIGKILL while it still
 * has input to process, and is started again on the same state folder; the output is then read with a
 * read_committed consumer.
 */
@Tag("integration")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class CrashRecoveryIT {

    private static final Logger LOG = LoggerFactory.getLogger(CrashRecoveryIT.class);
    private static final int BEFORE_CRASH = 3000;
    private static final int AFTER_CRASH = 1000;
    /** The kill comes once this many results are visible: well into the stream, far from its end. */
    private static final int RESULTS_BEFORE_KILL = 500;
    /** How far the input may run ahead of the results: the backlog the crash leaves. */
    private static final int WINDOW = 1000;

    private static final Duration WAIT = Duration.ofMinutes(3);

    @RegisterExtension
    static final LocalBrokerExtension KAFKA = new LocalBrokerExtension();

    @TempDir
    Path folder;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2})
    void shouldLoseNoRecordWhenKilledMidStreamAndRestarted(String guarantee) throws Exception {
        Topics topics = ItKafka.createTopics(KAFKA.broker(), "crash", 2);
        String applicationId = "crash-it-" + UUID.randomUUID();
        List<String> arguments = new ServiceArguments(
                        KAFKA.broker().bootstrapServers(), topics, applicationId, guarantee, folder.resolve("state"))
                .toList();
        List<TextEvent> events = ItKafka.events("c", GeneratedTexts.generate(BEFORE_CRASH + AFTER_CRASH, 3));
        Set<String> ids = events.stream().map(TextEvent::getId).collect(Collectors.toSet());

        try (OutputCollector<OutputRecord> output = new OutputCollector<>(
                KAFKA.broker().bootstrapServers(), topics.output(), OutputRecord.decoder(topics))) {
            ServiceProcess restarted;
            ServiceProcess first = new ServiceProcess(arguments, folder.resolve("service-1.log"));
            first.start();
            // The input arrives while the service works, at most WINDOW events ahead of its results, so the
            // kill always comes mid-stream however fast the service is.
            try (PacedProducer producer = new PacedProducer(
                    KAFKA.broker().bootstrapServers(), topics, events.subList(0, BEFORE_CRASH), WINDOW, output)) {
                producer.start();
                output.awaitUntil(r -> r.size() >= RESULTS_BEFORE_KILL || !first.isAlive(), WAIT);
                assertThat(first.isAlive())
                        .as("the first service runs until killed; its log:\n%s", first.logTail())
                        .isTrue();
                assertThat(output.records())
                        .as("the first service had produced results before the kill")
                        .hasSizeGreaterThanOrEqualTo(RESULTS_BEFORE_KILL);
                first.kill();
                long committedAtKill = ConsumerGroups.committedTotal(KAFKA.broker(), applicationId, topics.input());
                int resultsAtKill = output.records().size();
                LOG.info(
                        "{}: killed the service (pid {}) with {} results visible, {} events sent and {} input offsets"
                                + " committed",
                        guarantee,
                        first.pid(),
                        resultsAtKill,
                        producer.sent(),
                        committedAtKill);
                assertThat(committedAtKill)
                        .as("the kill came before all input was processed and committed")
                        .isLessThan(BEFORE_CRASH);

                ServiceProcess second = new ServiceProcess(arguments, folder.resolve("service-2.log"));
                second.start();
                restarted = second;
                producer.awaitAllSent(WAIT);
            }
            ItKafka.send(KAFKA.broker().bootstrapServers(), topics, events.subList(BEFORE_CRASH, events.size()));
            ServiceProcess second = restarted;
            List<OutputRecord> results =
                    output.awaitUntil(r -> OutputRecord.ids(r).containsAll(ids) || !second.isAlive(), WAIT);
            int exitCode = second.stop();

            assertThat(OutputRecord.ids(results))
                    .as("every input id has a result; log of the restarted" + " service:\n%s", second.logTail())
                    .containsAll(ids);
            Map<String, Long> counts = results.stream()
                    .collect(Collectors.groupingBy(k -> k.event().getId(), Collectors.counting()));
            List<String> duplicates = counts.entrySet().stream()
                    .filter(e -> e.getValue() > 1)
                    .map(Map.Entry::getKey)
                    .sorted()
                    .toList();
            LOG.info(
                    "{}: {} results for {} inputs, {} ids with more than one result",
                    guarantee,
                    results.size(),
                    ids.size(),
                    duplicates.size());
            if (guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2)) {
                assertThat(duplicates)
                        .as("no id has two committed results under exactly_once_v2")
                        .isEmpty();
                assertThat(results).hasSize(ids.size());
            }
            assertThat(exitCode).as("SIGTERM stops the service cleanly").isIn(0, 143);
            assertThat(Files.readString(folder.resolve("service-2.log"))).contains("Service stopped");
        }
    }
}
