package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * No record is lost however often the service process dies: the service (its own JVM, {@code Main run}) is
 * killed with SIGKILL at random points (seeded) several times while a producer keeps sending, and started
 * again each time on the same state folder. Under at_least_once every input id must have a result; under
 * exactly_once_v2 (read_committed) exactly one; under both, every key's results keep the order of its inputs.
 *
 * <p>Sizes come from system properties: {@code faults.events} (default 5,000; docs/RELIABILITY.md also
 * records runs of 50,000), {@code faults.kills} (default 5) and {@code faults.seed}.
 */
@Tag("integration")
@Timeout(value = 60, unit = TimeUnit.MINUTES)
class RepeatedKillIT {

    private static final Logger LOG = LoggerFactory.getLogger(RepeatedKillIT.class);
    private static final int EVENTS = Integer.getInteger("faults.events", 5_000);
    private static final int KILLS = Integer.getInteger("faults.kills", 5);
    private static final long SEED = Long.getLong("faults.seed", 20261128L);
    /** How far the producer may run ahead of the results. */
    private static final int WINDOW = Math.max(500, EVENTS / 10);
    /** A deadline for each phase (a kill point, or the end): allows for the full size on this slow machine. */
    private static final Duration WAIT = Duration.ofMinutes(3).plusMillis(EVENTS * 20L);

    @RegisterExtension
    static final LocalBrokerExtension KAFKA = new LocalBrokerExtension();

    @TempDir
    Path folder;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2})
    void shouldDeliverEveryIdWhenKilledRepeatedlyWhileInputKeepsArriving(String guarantee) throws Exception {
        Topics topics = ItKafka.createTopics(KAFKA.broker(), "kills", 2);
        List<TextEvent> events = FaultRun.events("k", EVENTS, SEED);
        List<Integer> killPoints = killPoints(new Random(SEED), KILLS, EVENTS);
        LOG.info("{}: {} events, kills once {} distinct results are visible", guarantee, EVENTS, killPoints);

        try (FaultRun run =
                new FaultRun(KAFKA.broker().bootstrapServers(), topics, "kills-it", guarantee, folder, events)) {
            ServiceArguments arguments = run.arguments("state");
            PacedProducer producer = run.produce(events, WINDOW);
            for (int kill = 0; kill < killPoints.size(); kill++) {
                int killPoint = killPoints.get(kill);
                ServiceProcess service = run.startService("service-" + kill, arguments);
                run.output().awaitUntil(r -> OutputRecord.ids(r).size() >= killPoint || !service.isAlive(), WAIT);
                assertThat(service.isAlive())
                        .as("service %d runs until killed; its log:\n%s", kill, service.logTail())
                        .isTrue();
                assertThat(OutputRecord.ids(run.output().records()))
                        .as("results before kill %d", kill)
                        .hasSizeGreaterThanOrEqualTo(killPoint);
                service.kill();
                LOG.info(
                        "{}: kill {} (pid {}) with {} results visible, {} events sent, {} input offsets committed",
                        guarantee,
                        kill + 1,
                        service.pid(),
                        run.output().size(),
                        producer.sent(),
                        ConsumerGroups.committedTotal(KAFKA.broker(), run.applicationId(), topics.input()));
            }

            ServiceProcess last = run.startService("service-last", arguments);
            producer.awaitAllSent(WAIT);
            List<OutputRecord> results = run.awaitAllDelivered(WAIT, last);
            DeliveryReport report = run.assertDelivered(results, last);
            LOG.info(
                    "{} after {} kills: {}; longest gap in the output {} ms",
                    guarantee,
                    killPoints.size(),
                    report,
                    run.output().longestGapSince(0).toMillis());
            assertThat(last.stop()).as("SIGTERM stops the last service cleanly").isIn(0, 143);
        }
    }

    /**
     * Increasing numbers of distinct results at which to kill: one drawn at random from each of {@code kills}
     * equal slices of the first {@code kills / (kills + 1)} of the stream, so every kill comes mid-stream.
     */
    static List<Integer> killPoints(Random random, int kills, int events) {
        int slice = events / (kills + 1);
        List<Integer> points = new ArrayList<>(kills);
        for (int i = 0; i < kills; i++) {
            points.add(i * slice + 1 + random.nextInt(slice));
        }
        return points;
    }
}
