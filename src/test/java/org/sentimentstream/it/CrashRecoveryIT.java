package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
 * A killed-and-restarted service loses no record under either guarantee, produces none twice under
 * exactly_once_v2, and keeps every key's order. The service runs as its own JVM ({@code Main run}), is killed with
 * SIGKILL while it still has input to process, its state folder is deleted, and it is started again; it restores
 * its batch buffer from the changelog. The output is read with a read_committed consumer.
 */
@Tag("integration")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class CrashRecoveryIT {

    private static final Pattern RESTORED = Pattern.compile("Restored (\\d+) records of ");

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
    void shouldLoseNoRecordWhenKilledMidStreamAndRestartedWithItsStateFolderDeleted(String guarantee) throws Exception {
        Topics topics = ItKafka.createTopics(KAFKA.broker(), "crash", 2);
        List<TextEvent> events = FaultRun.events("c", BEFORE_CRASH + AFTER_CRASH, 3);
        try (FaultRun run =
                new FaultRun(KAFKA.broker().bootstrapServers(), topics, "crash-it", guarantee, folder, events)) {
            ServiceArguments arguments = run.arguments("state");
            ServiceProcess first = run.startService("service-1", arguments);
            // The input arrives while the service works, at most WINDOW events ahead of its results, so the
            // kill always comes mid-stream however fast the service is.
            PacedProducer producer = run.produce(events.subList(0, BEFORE_CRASH), WINDOW);
            run.output().awaitUntil(r -> r.size() >= RESULTS_BEFORE_KILL || !first.isAlive(), WAIT);
            assertThat(first.isAlive())
                    .as("the first service runs until killed; its log:\n%s", first.logTail())
                    .isTrue();
            assertThat(run.output().records())
                    .as("the first service had produced results before the kill")
                    .hasSizeGreaterThanOrEqualTo(RESULTS_BEFORE_KILL);
            first.kill();
            long committedAtKill = ConsumerGroups.committedTotal(KAFKA.broker(), run.applicationId(), topics.input());
            LOG.info(
                    "{}: killed the service (pid {}) with {} results visible, {} events sent and {} input offsets"
                            + " committed",
                    guarantee,
                    first.pid(),
                    run.output().size(),
                    producer.sent(),
                    committedAtKill);
            assertThat(committedAtKill)
                    .as("the kill came before all input was processed and committed")
                    .isLessThan(BEFORE_CRASH);
            // The state folder is deleted while the service is down (a new node, a wiped volume): the batch
            // buffer is an in-memory store, so what it held must come back from its changelog.
            Path state = folder.resolve("state");
            assertThat(storeFiles(state))
                    .as("Kafka Streams keeps no store on disk (the buffer is in memory)")
                    .isEmpty();
            deleteRecursively(state);

            ServiceProcess second = run.startService("service-2", arguments);
            producer.awaitAllSent(WAIT);
            run.send(events.subList(BEFORE_CRASH, events.size()));
            List<OutputRecord> results = run.awaitAllDelivered(WAIT, second);
            String secondLog = Files.readString(folder.resolve("service-2.log"));
            int exitCode = second.stop();

            DeliveryReport report = run.assertDelivered(results, second);
            List<Long> restored = restoredCounts(secondLog);
            LOG.info("{}: {}; the restarted service restored {} buffer records", guarantee, report, restored);
            if (run.exactlyOnce()) {
                assertThat(results).hasSize(events.size());
            }
            assertThat(restored)
                    .as("the restarted service restored the buffer from its changelog")
                    .isNotEmpty();
            assertThat(exitCode).as("SIGTERM stops the service cleanly").isIn(0, 143);
            assertThat(Files.readString(folder.resolve("service-2.log"))).contains("Service stopped");
        }
    }

    /** The files of the state folder other than Kafka Streams' bookkeeping (none is a store's today). */
    private static List<Path> storeFiles(Path state) throws IOException {
        if (!Files.exists(state)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(state)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** The record counts of the service's "Restored N records of ..." lines. */
    static List<Long> restoredCounts(String log) {
        return RESTORED.matcher(log)
                .results()
                .map(m -> Long.parseLong(m.group(1)))
                .toList();
    }
}
