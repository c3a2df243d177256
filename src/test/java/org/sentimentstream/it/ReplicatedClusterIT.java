package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.localbroker.LocalKafkaCluster;
import org.sentimentstream.stream.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * exactly_once_v2 on a replicated cluster (issue 19, items 2 and 3): three KRaft brokers (the shared
 * {@link LocalClusterExtension}: replication factor 3, {@code min.insync.replicas=2}), topics with 3 replicas,
 * service instances in their own JVMs, a paced producer, and an independent read_committed verifier
 * ({@link FaultRun}): every input id exactly once, every key's results in input order, and at the end no
 * transaction left open on any output partition (its last stable offset equals its end offset).
 *
 * <ul>
 *   <li>Three instances with standbys and a 5 s commit interval, so that every SIGKILL lands inside an open
 *       transaction; one instance is killed three times while events stream in, and started again each time.
 *   <li>One instance while the brokers fail under it (tag {@code slow}): the leader of an input partition
 *       SIGKILLed and restarted five times, the active controller killed and restarted, two of the three brokers
 *       stopped for 20 s and started again. The service is never restarted by hand, and after every fault the
 *       output must move on by itself. The producer streams through all the faults (it is stopped after the
 *       last one) and the checks cover every id it sent.
 * </ul>
 */
@Tag("integration")
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class ReplicatedClusterIT {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedClusterIT.class);
    private static final short REPLICAS = 3;
    private static final int WINDOW = 600;
    private static final Duration WAIT = Duration.ofMinutes(5);
    /** Results to see after a fault before the next one: the stream flows between faults. */
    private static final int PROGRESS = 150;

    @RegisterExtension
    static final LocalClusterExtension KAFKA = LocalClusterExtension.shared();

    @TempDir
    Path folder;

    @Test
    void shouldDeliverEveryIdExactlyOnceWhenOneOfThreeInstancesIsKilledInsideTransactionsThreeTimes() throws Exception {
        LocalKafkaCluster cluster = KAFKA.cluster();
        Topics topics = ItKafka.createTopics(cluster, "eos3", 6, REPLICAS);
        List<TextEvent> events = FaultRun.events("e", 3_000, 19);
        try (FaultRun run = new FaultRun(
                cluster.bootstrapServers(), topics, "eos3-it", StreamsConfig.EXACTLY_ONCE_V2, folder, events)) {
            List<ServiceProcess> instances = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                instances.add(run.startService("service-" + i + "-0", instanceArguments(run, i)));
            }
            run.produce(events, WINDOW);
            for (int kill = 1; kill <= 3; kill++) {
                int before = kill * 2 * PROGRESS;
                ServiceProcess victim = instances.get(0);
                run.output().awaitUntil(r -> r.size() >= before || !victim.isAlive(), WAIT);
                assertThat(victim.isAlive())
                        .as("instance 0 runs until killed; its log:\n%s", victim.logTail())
                        .isTrue();
                victim.kill();
                LOG.info(
                        "EOS, 3 instances: SIGKILL {} of instance 0 with {} results visible",
                        kill,
                        run.output().size());
                instances.set(0, run.startService("service-0-" + kill, instanceArguments(run, 0)));
            }
            List<OutputRecord> results = run.awaitAllDelivered(WAIT, instances.toArray(ServiceProcess[]::new));
            DeliveryReport report = run.assertDelivered(results, instances.get(0));
            assertThat(results).as("every id exactly once").hasSize(events.size());
            assertNoTransactionLeftOpen(cluster, topics);
            LOG.info(
                    "EOS, 3 instances, 3 kills: {}; longest gap {} ms",
                    report,
                    run.output().longestGapSince(0).toMillis());
            for (ServiceProcess instance : instances) {
                assertThat(instance.stop()).isIn(0, 143);
            }
        }
    }

    @Test
    @Tag("slow")
    void shouldDeliverEveryIdExactlyOnceThroughLeaderControllerAndMajorityBrokerFaults() throws Exception {
        LocalKafkaCluster cluster = KAFKA.cluster();
        Topics topics = ItKafka.createTopics(cluster, "brokers", 2, REPLICAS);
        // More than the faults' time can take: the producer streams through every fault and is stopped after.
        List<TextEvent> events = FaultRun.events("f", 200_000, 23);
        try (FaultRun run = new FaultRun(
                cluster.bootstrapServers(), topics, "brokers-it", StreamsConfig.EXACTLY_ONCE_V2, folder, events)) {
            ServiceProcess service = run.startService("service", run.arguments("state"));
            PacedProducer producer = run.produce(events, WINDOW);
            TopicPartition watched = new TopicPartition(topics.input(), 0);
            for (int bounce = 1; bounce <= 5; bounce++) {
                awaitProgress(run, service);
                int leader = cluster.leaderOf(watched);
                int mark = run.output().size();
                cluster.kill(leader);
                LOG.info("Broker faults: SIGKILL {} of {}'s leader, node {}", bounce, watched, leader);
                awaitProgress(run, service);
                cluster.restart(leader);
                cluster.awaitHealthy(WAIT);
                logGapSince(run, mark, "leader SIGKILL " + bounce);
            }
            awaitProgress(run, service);
            int controller = cluster.activeController();
            int controllerMark = run.output().size();
            cluster.kill(controller);
            LOG.info("Broker faults: SIGKILL of the active controller, node {}", controller);
            awaitProgress(run, service);
            cluster.restart(controller);
            cluster.awaitHealthy(WAIT);
            logGapSince(run, controllerMark, "controller SIGKILL");

            awaitProgress(run, service);
            int majorityMark = run.output().size();
            List<Integer> down = cluster.nodeIds().subList(0, 2);
            for (int node : down) {
                cluster.stop(node);
            }
            LOG.info(
                    "Broker faults: nodes {} stopped with {} results visible",
                    down,
                    run.output().size());
            // The fault itself lasts this long: with one broker of three, nothing can be written (min ISR 2).
            TimeUnit.SECONDS.sleep(20);
            for (int node : down) {
                cluster.restart(node);
            }
            cluster.awaitHealthy(WAIT);
            awaitProgress(run, service);
            logGapSince(run, majorityMark, "two of three brokers stopped for 20 s");

            producer.close();
            int sent = producer.sent();
            List<OutputRecord> results = run.awaitSentDelivered(sent, WAIT, service);
            assertThat(service.isAlive())
                    .as("the service needed no restart; its log:\n%s", service.logTail())
                    .isTrue();
            DeliveryReport report = run.assertDelivered(results, sent, service);
            assertThat(results).as("every id sent exactly once").hasSize(sent);
            assertNoTransactionLeftOpen(cluster, topics);
            LOG.info(
                    "EOS through broker faults: {} sent, {}; longest gap {} ms",
                    sent,
                    report,
                    run.output().longestGapSince(0).toMillis());
            assertThat(service.stop()).isIn(0, 143);
        }
    }

    private static ServiceArguments instanceArguments(FaultRun run, int instance) {
        return run.arguments("state-" + instance)
                .with("client.id", run.applicationId() + "-" + instance)
                .with("num.standby.replicas", "1")
                // Transactions stay open for seconds: a kill always finds one open.
                .with("commit.interval.ms", "5000");
    }

    /** Waits for {@link #PROGRESS} more results: the output moves on by itself, the service needs no restart. */
    private static void awaitProgress(FaultRun run, ServiceProcess service) throws InterruptedException {
        int target = run.output().size() + PROGRESS;
        run.output().awaitUntil(r -> r.size() >= target || !service.isAlive(), WAIT);
        assertThat(service.isAlive())
                .as("the service survives the broker faults; its log:\n%s", service.logTail())
                .isTrue();
        assertThat(run.output().size())
                .as("results within %s (the output stalled); the service's log:\n%s", WAIT, service.logTail())
                .isGreaterThanOrEqualTo(target);
    }

    /** The longest stall of the output from the last result before a fault on (the fault and its recovery). */
    private static void logGapSince(FaultRun run, int mark, String fault) {
        LOG.info(
                "Broker faults: longest gap in the output around the {}: {} ms",
                fault,
                run.output().longestGapSince(Math.max(0, mark - 1)).toMillis());
    }

    /** Every output partition's last stable offset reaches its end: no transaction hangs. */
    private static void assertNoTransactionLeftOpen(LocalKafkaCluster cluster, Topics topics) throws Exception {
        boolean closed = Conditions.await(
                () -> ConsumerGroups.openTransactions(cluster, topics.output()).isEmpty(), WAIT);
        Map<TopicPartition, String> open = ConsumerGroups.openTransactions(cluster, topics.output());
        assertThat(closed && open.isEmpty())
                .as("output partitions whose last stable offset stays behind their end: %s", open)
                .isTrue();
    }
}
