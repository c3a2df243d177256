package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sentimentstream.localbroker.LocalKafkaCluster;

/**
 * The shared three-node cluster: replicated by default, and records survive the loss of a partition leader
 * and of the active controller (SIGKILL), written and read while the node is down and after it is back.
 */
@Tag("integration")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LocalKafkaClusterIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @RegisterExtension
    static final LocalClusterExtension KAFKA = LocalClusterExtension.shared();

    @Test
    void shouldReplicateNewTopicsThreeTimesWithTwoInSyncReplicasRequired() throws Exception {
        LocalKafkaCluster cluster = KAFKA.cluster();
        String topic = unique("cluster-defaults");
        try (Admin admin = cluster.createAdmin()) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .hasSize(3);
            Config broker = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.BROKER, "1")))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .values()
                    .iterator()
                    .next();
            assertThat(broker.get("default.replication.factor").value()).isEqualTo("3");
            assertThat(broker.get("min.insync.replicas").value()).isEqualTo("2");
            assertThat(broker.get("transaction.state.log.replication.factor").value())
                    .isEqualTo("3");
            assertThat(broker.get("transaction.state.log.min.isr").value()).isEqualTo("2");
            assertThat(broker.get("offsets.topic.replication.factor").value()).isEqualTo("3");

            admin.createTopics(List.of(new NewTopic(topic, Optional.of(2), Optional.empty())))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            // The broker that answers may learn of the new topic a moment after the controller created it.
            assertThat(Conditions.await(() -> describable(admin, topic), Duration.ofSeconds(60)))
                    .as("topic %s describable", topic)
                    .isTrue();
            TopicDescription description = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get(topic);
            assertThat(description.partitions())
                    .hasSize(2)
                    .allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
        }
        assertThat(cluster.activeController()).isIn(cluster.nodeIds());
        assertThat(cluster.bootstrapServers().split(",")).hasSize(3);
    }

    @Test
    void shouldKeepEveryRecordWhenAPartitionLeaderIsKilledAndRestarted() throws Exception {
        LocalKafkaCluster cluster = KAFKA.cluster();
        String topic = createReplicatedTopic(cluster, "cluster-leader");
        TopicPartition partition = new TopicPartition(topic, 0);
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer(cluster)) {
            send(producer, topic, "before", 50, sent);
            int leader = cluster.leaderOf(partition);
            assertThat(leader).isIn(cluster.nodeIds());

            cluster.kill(leader);
            assertThat(cluster.isRunning(leader)).isFalse();
            assertThat(Conditions.await(
                            () -> leaderOrNone(cluster, partition) > 0 && leaderOrNone(cluster, partition) != leader,
                            TIMEOUT))
                    .as("a new leader among the two survivors")
                    .isTrue();
            // acks=all with min.insync.replicas=2: two survivors are enough.
            send(producer, topic, "while-down", 50, sent);
            assertThat(consume(cluster, partition, sent.size())).containsExactlyElementsOf(sent);

            cluster.restart(leader);
            cluster.awaitHealthy(TIMEOUT);
            send(producer, topic, "after", 50, sent);
        }
        assertThat(consume(cluster, partition, sent.size())).containsExactlyElementsOf(sent);
    }

    @Test
    void shouldElectAnotherControllerAndKeepServingWhenTheActiveControllerIsKilled() throws Exception {
        LocalKafkaCluster cluster = KAFKA.cluster();
        String before = createReplicatedTopic(cluster, "cluster-controller-before");
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer(cluster)) {
            send(producer, before, "before", 20, sent);
        }
        int controller = cluster.activeController();

        cluster.kill(controller);
        assertThat(Conditions.await(
                        () -> controllerOrNone(cluster) > 0 && controllerOrNone(cluster) != controller, TIMEOUT))
                .as("a new active controller among the two surviving voters")
                .isTrue();
        // Creating a topic needs the controller; producing to it needs its partitions' leaders.
        String during = createReplicatedTopic(cluster, "cluster-controller-during");
        List<String> sentDuring = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer(cluster)) {
            send(producer, during, "during", 20, sentDuring);
        }
        assertThat(consume(cluster, new TopicPartition(during, 0), sentDuring.size()))
                .containsExactlyElementsOf(sentDuring);

        cluster.restart(controller);
        cluster.awaitHealthy(TIMEOUT);
        assertThat(consume(cluster, new TopicPartition(before, 0), sent.size())).containsExactlyElementsOf(sent);
    }

    @Test
    void shouldHealAPausedAndAStoppedNode() throws Exception {
        LocalKafkaCluster cluster = KAFKA.cluster();
        long pid = cluster.pid(2);
        cluster.pause(2);
        cluster.stop(3);
        assertThat(cluster.isRunning(3)).isFalse();

        cluster.heal(TIMEOUT);

        assertThat(cluster.pid(2))
                .as("the paused node is resumed, not restarted")
                .isEqualTo(pid);
        assertThat(cluster.isRunning(3)).isTrue();
        try (Admin admin = cluster.createAdmin()) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .hasSize(3);
        }
    }

    private static String createReplicatedTopic(LocalKafkaCluster cluster, String prefix) throws Exception {
        String topic = unique(prefix);
        try (Admin admin = cluster.createAdmin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 3))).all().get(60, TimeUnit.SECONDS);
        }
        return topic;
    }

    private static boolean describable(Admin admin, String topic) throws Exception {
        try {
            admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
    }

    private static int leaderOrNone(LocalKafkaCluster cluster, TopicPartition partition) {
        try {
            return cluster.leaderOf(partition);
        } catch (IllegalStateException e) {
            return -1;
        }
    }

    private static int controllerOrNone(LocalKafkaCluster cluster) {
        try {
            return cluster.activeController();
        } catch (IllegalStateException e) {
            return -1;
        }
    }

    private static KafkaProducer<String, String> producer(LocalKafkaCluster cluster) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                (int) TIMEOUT.toMillis());
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static void send(
            KafkaProducer<String, String> producer, String topic, String prefix, int count, List<String> sent)
            throws Exception {
        for (int i = 0; i < count; i++) {
            String value = prefix + "-" + i;
            producer.send(new ProducerRecord<>(topic, 0, value, value)).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            sent.add(value);
        }
    }

    /** Reads the partition from the start (no consumer group: none is needed) until {@code expected} values. */
    private static List<String> consume(LocalKafkaCluster cluster, TopicPartition partition, int expected)
            throws Exception {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false);
        List<String> values = new ArrayList<>();
        AtomicInteger polls = new AtomicInteger();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            Conditions.await(
                    () -> {
                        polls.incrementAndGet();
                        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                            values.add(record.value());
                        }
                        return values.size() >= expected;
                    },
                    TIMEOUT);
        }
        return values;
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
