package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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
        String applicationId = "shared-it-" + UUID.randomUUID();
        String clientA = applicationId + "-a";
        String clientB = applicationId + "-b";
        List<String> instances = List.of(clientA, clientB);
        List<TextEvent> events = ItKafka.events("s", GeneratedTexts.generate(3 * PHASE_EVENTS, 17));
        List<TextEvent> first = events.subList(0, PHASE_EVENTS);
        List<TextEvent> second = events.subList(PHASE_EVENTS, 2 * PHASE_EVENTS);
        List<TextEvent> third = events.subList(2 * PHASE_EVENTS, events.size());

        ServiceProcess a = instance(topics, applicationId, guarantee, clientA, "a-1");
        ServiceProcess b = instance(topics, applicationId, guarantee, clientB, "b-1");
        ServiceProcess bAgain = instance(topics, applicationId, guarantee, clientB, "b-2");
        try (OutputCollector<OutputRecord> output = new OutputCollector<>(
                KAFKA.broker().bootstrapServers(), topics.output(), OutputRecord.decoder(topics))) {
            a.start();
            b.start();
            assertThat(awaitAssignment(topics, applicationId, instances, Set.of(clientA, clientB)))
                    .as("both instances hold partitions; log of b:\n%s", b.logTail())
                    .containsOnlyKeys(instances);

            ItKafka.send(KAFKA.broker().bootstrapServers(), topics, first);
            output.awaitUntil(r -> r.size() >= RESULTS_BEFORE_KILL, WAIT);
            b.kill();
            LOG.info("{}: killed instance b (pid {}) with {} results visible", guarantee, b.pid(), output.size());
            ItKafka.send(KAFKA.broker().bootstrapServers(), topics, second);
            Map<String, Set<TopicPartition>> alone = awaitAssignment(topics, applicationId, instances, Set.of(clientA));
            assertThat(alone)
                    .as("a holds every partition once b's session has expired")
                    .containsOnlyKeys(clientA);
            assertThat(alone.get(clientA)).hasSize(PARTITIONS);
            Set<String> firstTwoPhases = idsOf(events.subList(0, 2 * PHASE_EVENTS));
            List<OutputRecord> takenOver =
                    output.awaitUntil(r -> OutputRecord.ids(r).containsAll(firstTwoPhases) || !a.isAlive(), WAIT);
            DeliveryReport afterKill = DeliveryReport.ofResults(firstTwoPhases, takenOver);
            LOG.info("{}: after b was killed, a alone: {}", guarantee, afterKill);
            assertThat(afterKill.lost())
                    .as("ids lost when b was killed; log of a:\n%s", a.logTail())
                    .isEmpty();

            bAgain.start();
            Map<String, Set<TopicPartition>> shared =
                    awaitAssignment(topics, applicationId, instances, Set.of(clientA, clientB));
            assertThat(shared)
                    .as("both hold partitions again; log of b:\n%s", bAgain.logTail())
                    .containsOnlyKeys(instances);
            Map<TopicPartition, Long> committedBefore =
                    ConsumerGroups.committedOffsets(KAFKA.broker(), applicationId, topics.input());
            ItKafka.send(KAFKA.broker().bootstrapServers(), topics, third);
            Set<String> allIds = idsOf(events);
            List<OutputRecord> results = output.awaitUntil(
                    r -> OutputRecord.ids(r).containsAll(allIds) || !a.isAlive() || !bAgain.isAlive(), WAIT);
            boolean bothMovedOn = Conditions.await(
                    () -> {
                        Map<TopicPartition, Long> now =
                                ConsumerGroups.committedOffsets(KAFKA.broker(), applicationId, topics.input());
                        return instances.stream().allMatch(i -> movedOn(shared.get(i), committedBefore, now));
                    },
                    WAIT);

            DeliveryReport report = DeliveryReport.ofResults(allIds, results);
            LOG.info("{}: shared {} then; at the end: {}", guarantee, shared, report);
            assertThat(report.lost()).as("ids with no result").isEmpty();
            assertThat(report.unexpected()).as("results for ids never sent").isEmpty();
            if (guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2)) {
                assertThat(report.duplicated())
                        .as("ids with two committed results under exactly_once_v2")
                        .isEmpty();
            }
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
        } finally {
            for (ServiceProcess service : List.of(a, b, bAgain)) {
                if (service.isAlive()) {
                    service.kill();
                }
            }
        }
    }

    private ServiceProcess instance(
            Topics topics, String applicationId, String guarantee, String clientId, String run) {
        String name = clientId.substring(clientId.length() - 1);
        List<String> arguments = new ServiceArguments(
                        KAFKA.broker().bootstrapServers(),
                        topics,
                        applicationId,
                        guarantee,
                        folder.resolve("state-" + name))
                .with("client.id", clientId)
                .toList();
        return new ServiceProcess(arguments, folder.resolve("service-" + run + ".log"));
    }

    /** Waits until exactly {@code holders} hold partitions and together hold all of them; returns the assignment. */
    private static Map<String, Set<TopicPartition>> awaitAssignment(
            Topics topics, String applicationId, List<String> instances, Set<String> holders) throws Exception {
        Conditions.await(
                () -> {
                    Map<String, Set<TopicPartition>> now =
                            ConsumerGroups.assignments(KAFKA.broker(), applicationId, topics.input(), instances);
                    Set<TopicPartition> all = new HashSet<>();
                    now.values().forEach(all::addAll);
                    return now.entrySet().stream()
                                    .filter(e -> !e.getValue().isEmpty())
                                    .map(Map.Entry::getKey)
                                    .collect(Collectors.toSet())
                                    .equals(holders)
                            && all.size() == PARTITIONS;
                },
                WAIT);
        Map<String, Set<TopicPartition>> now =
                ConsumerGroups.assignments(KAFKA.broker(), applicationId, topics.input(), instances);
        now.values().removeIf(Set::isEmpty);
        return now;
    }

    private static boolean movedOn(
            Set<TopicPartition> held, Map<TopicPartition, Long> before, Map<TopicPartition, Long> now) {
        return held.stream().anyMatch(p -> now.getOrDefault(p, 0L) > before.getOrDefault(p, 0L));
    }

    private static Set<String> idsOf(List<TextEvent> events) {
        return events.stream().map(TextEvent::getId).collect(Collectors.toSet());
    }
}
