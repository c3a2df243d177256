package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.stream.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scaling under load (issue 19, item 6): 1 -> 3 -> 1 instances on a 6-partition input while a paced producer
 * keeps sending, under exactly_once_v2. After each step the active partitions are disjoint (no partition held by
 * two instances) and together complete; at the end every id has come out exactly once, in order per key. The
 * longest gap in the output during each step is reported.
 */
@Tag("integration")
@Tag("slow")
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class ScalingIT {

    private static final Logger LOG = LoggerFactory.getLogger(ScalingIT.class);
    private static final int PARTITIONS = 6;
    private static final int WINDOW = 600;
    private static final int PROGRESS = 400;
    private static final Duration WAIT = Duration.ofMinutes(4);

    @RegisterExtension
    static final LocalBrokerExtension KAFKA = new LocalBrokerExtension();

    @TempDir
    Path folder;

    @Test
    void shouldKeepActiveTasksDisjointAndLoseNothingWhenScalingOneToThreeToOne() throws Exception {
        Topics topics = ItKafka.createTopics(KAFKA.broker(), "scale", PARTITIONS);
        List<TextEvent> events = FaultRun.events("z", 6_000, 61);
        try (FaultRun run = new FaultRun(
                KAFKA.broker().bootstrapServers(), topics, "scale-it", StreamsConfig.EXACTLY_ONCE_V2, folder, events)) {
            List<String> clients =
                    List.of(run.applicationId() + "-0", run.applicationId() + "-1", run.applicationId() + "-2");
            List<ServiceProcess> instances = new ArrayList<>();
            instances.add(run.startService("service-0", arguments(run, clients, 0)));
            awaitDisjoint(run, topics, clients, Set.of(clients.get(0)));
            run.produce(events, WINDOW);
            awaitProgress(run, instances.get(0));

            int mark = run.output().size();
            for (int i = 1; i < 3; i++) {
                instances.add(run.startService("service-" + i, arguments(run, clients, i)));
            }
            Map<String, Set<TopicPartition>> three = awaitDisjoint(run, topics, clients, Set.copyOf(clients));
            awaitProgress(run, instances.get(0));
            LOG.info(
                    "1 -> 3: {}; longest gap {} ms",
                    three,
                    run.output().longestGapSince(mark).toMillis());

            mark = run.output().size();
            for (int i = 2; i >= 1; i--) {
                assertThat(instances.get(i).stop()).isIn(0, 143);
            }
            Map<String, Set<TopicPartition>> one = awaitDisjoint(run, topics, clients, Set.of(clients.get(0)));
            List<OutputRecord> results = run.awaitAllDelivered(WAIT, instances.get(0));
            LOG.info(
                    "3 -> 1: {}; longest gap {} ms",
                    one,
                    run.output().longestGapSince(mark).toMillis());
            DeliveryReport report = run.assertDelivered(results, instances.get(0));
            LOG.info(
                    "Scaling 1 -> 3 -> 1: {}; longest gap overall {} ms",
                    report,
                    run.output().longestGapSince(0).toMillis());
            assertThat(instances.get(0).stop()).isIn(0, 143);
        }
    }

    private static ServiceArguments arguments(FaultRun run, List<String> clients, int instance) {
        return run.arguments("state-" + instance).with("client.id", clients.get(instance));
    }

    private static void awaitProgress(FaultRun run, ServiceProcess service) throws InterruptedException {
        int target = run.output().size() + PROGRESS;
        run.output().awaitUntil(r -> r.size() >= target || !service.isAlive(), WAIT);
        assertThat(service.isAlive())
                .as("instance 0 runs; its log:\n%s", service.logTail())
                .isTrue();
    }

    /** Waits until exactly {@code holders} hold partitions; asserts that no partition has two holders. */
    private static Map<String, Set<TopicPartition>> awaitDisjoint(
            FaultRun run, Topics topics, List<String> clients, Set<String> holders) throws Exception {
        Map<String, Set<TopicPartition>> assigned = ConsumerGroups.awaitAssignment(
                KAFKA.broker(), run.applicationId(), topics.input(), PARTITIONS, clients, holders, WAIT);
        assertThat(assigned).as("holders of the input partitions").containsOnlyKeys(holders);
        Set<TopicPartition> seen = new HashSet<>();
        for (Set<TopicPartition> held : assigned.values()) {
            for (TopicPartition partition : held) {
                assertThat(seen.add(partition))
                        .as("%s is active on one instance only: %s", partition, assigned)
                        .isTrue();
            }
        }
        assertThat(seen).hasSize(PARTITIONS);
        return assigned;
    }
}
