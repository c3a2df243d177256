package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
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
 * Partitions move between instances without losing a record: two service instances (own JVMs, own state
 * folders, one application id) share a 4-partition input topic. One is killed with SIGKILL mid-stream: the
 * other takes all partitions over and nothing is lost. The killed one is started again: the partitions are
 * shared again and both process records (each instance's committed input offsets move on partitions it
 * holds).
 */
@Tag("integration")
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class SharedPartitionsIT {

    private static final Logger LOG = LoggerFactory.getLogger(SharedPartitionsIT.class);
    private static final int PARTITIONS = 4;
    private static final int PHASE_EVENTS = 1_000;
    private static final int RESULTS_BEFORE_KILL = 300;
    private static final Duration WAIT = Duration.ofMinutes(3);

    @RegisterExtension
    static final LocalBrokerExtension KAFKA = new LocalBrokerExtension();

    @TempDir
    Path folder;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2})
    void shouldHandOverPartitionsWhenAnInstanceIsKilledAndShareThemWhenItReturns(String guarantee) throws Exception {
        Topics topics = ItKafka.createTopics(KAFKA.broker(), "shared", PARTITIONS);
        List<TextEvent> events = FaultRun.events("s", 3 * PHASE_EVENTS, 17);
        List<TextEvent> first = events.subList(0, PHASE_EVENTS);
        List<TextEvent> second = events.subList(PHASE_EVENTS, 2 * PHASE_EVENTS);
        List<TextEvent> third = events.subList(2 * PHASE_EVENTS, events.size());

        try (FaultRun run =
                new FaultRun(KAFKA.broker().bootstrapServers(), topics, "shared-it", guarantee, folder, events)) {
            String applicationId = run.applicationId();
            String clientA = applicationId + "-a";
            String clientB = applicationId + "-b";
            List<String> instances = List.of(clientA, clientB);
            ServiceProcess a = run.startService("service-a-1", instance(run, clientA));
            ServiceProcess b = run.startService("service-b-1", instance(run, clientB));
            assertThat(awaitAssignment(topics, applicationId, instances, Set.of(clientA, clientB)))
                    .as("both instances hold partitions; log of b:\n%s", b.logTail())
                    .containsOnlyKeys(instances);

            run.send(first);
            run.output().awaitUntil(r -> r.size() >= RESULTS_BEFORE_KILL, WAIT);
            b.kill();
            LOG.info(
                    "{}: killed instance b (pid {}) with {} results visible",
                    guarantee,
                    b.pid(),
                    run.output().size());
            run.send(second);
            Map<String, Set<TopicPartition>> alone = awaitAssignment(topics, applicationId, instances, Set.of(clientA));
            assertThat(alone)
                    .as("a holds every partition once b's session has expired")
                    .containsOnlyKeys(clientA);
            assertThat(alone.get(clientA)).hasSize(PARTITIONS);
            Set<String> firstTwoPhases = FaultRun.idsOf(events.subList(0, 2 * PHASE_EVENTS));
            List<OutputRecord> takenOver = run.awaitDelivered(firstTwoPhases, WAIT, a);
            DeliveryReport afterKill = DeliveryReport.ofResults(firstTwoPhases, takenOver);
            LOG.info("{}: after b was killed, a alone: {}", guarantee, afterKill);
            assertThat(afterKill.lost())
                    .as("ids lost when b was killed; log of a:\n%s", a.logTail())
                    .isEmpty();

            ServiceProcess bAgain = run.startService("service-b-2", instance(run, clientB));
            Map<String, Set<TopicPartition>> shared =
                    awaitAssignment(topics, applicationId, instances, Set.of(clientA, clientB));
            assertThat(shared)
                    .as("both hold partitions again; log of b:\n%s", bAgain.logTail())
                    .containsOnlyKeys(instances);
            Map<TopicPartition, Long> committedBefore =
                    ConsumerGroups.committedOffsets(KAFKA.broker(), applicationId, topics.input());
            run.send(third);
            List<OutputRecord> results = run.awaitAllDelivered(WAIT, a, bAgain);
            boolean bothMovedOn = Conditions.await(
                    () -> {
                        Map<TopicPartition, Long> now =
                                ConsumerGroups.committedOffsets(KAFKA.broker(), applicationId, topics.input());
                        return instances.stream().allMatch(i -> movedOn(shared.get(i), committedBefore, now));
                    },
                    WAIT);

            DeliveryReport report = run.assertDelivered(results, a);
            LOG.info("{}: shared {} then; at the end: {}", guarantee, shared, report);
            assertThat(bothMovedOn)
                    .as(
                            "each instance committed input offsets on the partitions it holds;" + " before %s, now %s",
                            committedBefore,
                            ConsumerGroups.committedOffsets(KAFKA.broker(), applicationId, topics.input()))
                    .isTrue();
            assertThat(ConsumerGroups.assignments(KAFKA.broker(), applicationId, topics.input(), instances))
                    .as("no rebalance moved partitions while the third phase ran")
                    .isEqualTo(shared);
            assertThat(bAgain.stop()).as("SIGTERM stops instance b cleanly").isIn(0, 143);
            assertThat(a.stop()).as("SIGTERM stops instance a cleanly").isIn(0, 143);
        }
    }

    /** The command line of one instance: its own state folder, and a client id the group's members show. */
    private static ServiceArguments instance(FaultRun run, String clientId) {
        String name = clientId.substring(clientId.length() - 1);
        return run.arguments("state-" + name).with("client.id", clientId);
    }

    private static Map<String, Set<TopicPartition>> awaitAssignment(
            Topics topics, String applicationId, List<String> instances, Set<String> holders) throws Exception {
        return ConsumerGroups.awaitAssignment(
                KAFKA.broker(), applicationId, topics.input(), PARTITIONS, instances, holders, WAIT);
    }

    private static boolean movedOn(
            Set<TopicPartition> held, Map<TopicPartition, Long> before, Map<TopicPartition, Long> now) {
        return held.stream().anyMatch(p -> now.getOrDefault(p, 0L) > before.getOrDefault(p, 0L));
    }
}
