package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sentimentstream.app.ServiceTopics;
import org.sentimentstream.app.TopicAdmin;
import org.sentimentstream.app.TopicPreflight;
import org.sentimentstream.localbroker.LocalKafkaBroker;
import org.sentimentstream.localbroker.LocalKafkaCluster;
import org.sentimentstream.serde.WireFormat;
import org.sentimentstream.stream.Topics;

/**
 * Topics fit the cluster they live on (issue 24): on the shared three-broker cluster, {@code run
 * --create-topics} without topic flags creates replicated, co-partitioned topics, and the start-up check
 * warns once per finding on a crafted topic and refuses exactly-once on a single-replica output; on a
 * single development broker it stays quiet.
 */
@Tag("integration")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class TopicPreflightIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final LocalClusterExtension KAFKA = LocalClusterExtension.shared();

    @RegisterExtension
    static final LocalBrokerExtension SINGLE_BROKER = new LocalBrokerExtension(
            () -> LocalKafkaBroker.builder().startTimeout(Duration.ofMinutes(4)).start());

    @TempDir
    Path folder;

    @Test
    void shouldCreateTopicsWithTheBrokersReplicationAndTheInputsPartitionCountWhenNoFlagIsGiven() throws Exception {
        LocalKafkaCluster cluster = KAFKA.cluster();
        Topics topics = uniqueTopics("defaults");
        try (Admin admin = cluster.createAdmin()) {
            admin.createTopics(List.of(new NewTopic(topics.input(), Optional.of(4), Optional.empty())))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
        List<String> arguments = new ServiceArguments(
                        cluster.bootstrapServers(),
                        topics,
                        "preflight-it-" + UUID.randomUUID(),
                        StreamsConfig.EXACTLY_ONCE_V2,
                        folder.resolve("state"))
                .toList();
        List<String> withCreate = new ArrayList<>(arguments);
        withCreate.add("--create-topics");
        Path log = folder.resolve("service.log");
        ServiceProcess service = new ServiceProcess(withCreate, log);
        try {
            service.start();
            assertThat(Conditions.await(
                            () -> Files.readString(log, StandardCharsets.UTF_8).contains("Topics created:")
                                    || !service.isAlive(),
                            Duration.ofMinutes(3)))
                    .isTrue();
            String created = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(line -> line.contains("Topics created:"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no 'Topics created' line:\n" + service.logTail()));
            assertThat(created)
                    .contains(topics.output() + " (4 partitions, replication factor 3)")
                    .contains(topics.deadLetter() + " (4 partitions, replication factor 3)");
        } finally {
            if (service.isAlive()) {
                service.kill();
            }
        }
        try (Admin admin = cluster.createAdmin()) {
            Map<String, TopicDescription> described = admin.describeTopics(ServiceTopics.names(topics))
                    .allTopicNames()
                    .get(60, TimeUnit.SECONDS);
            assertThat(described.values())
                    .allSatisfy(topic -> assertThat(topic.partitions())
                            .hasSize(4)
                            .allSatisfy(p -> assertThat(p.replicas()).hasSize(3)));
            Config output = admin.describeConfigs(
                            List.of(new ConfigResource(ConfigResource.Type.TOPIC, topics.output())))
                    .all()
                    .get(60, TimeUnit.SECONDS)
                    .values()
                    .iterator()
                    .next();
            assertThat(output.get("min.insync.replicas").value())
                    .as("the broker's min.insync.replicas, not one set on the topic")
                    .isEqualTo("2");
            assertThat(output.get("min.insync.replicas").source())
                    .isNotEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        }
    }

    @Test
    void shouldLetExplicitFlagsWinAndGiveAMissingInputTheBrokersPartitionCount() throws Exception {
        Topics explicit = uniqueTopics("explicit");
        Topics brokerDefault = uniqueTopics("broker-default");
        try (Admin admin = KAFKA.cluster().createAdmin()) {
            ServiceTopics.create(admin, explicit, Optional.of(2), Optional.of((short) 2), Map.of(), TIMEOUT);
            ServiceTopics.create(admin, brokerDefault, Optional.empty(), Optional.empty(), Map.of(), TIMEOUT);

            assertThat(TopicAdmin.describe(admin, ServiceTopics.names(explicit), TIMEOUT))
                    .allSatisfy(layout -> {
                        assertThat(layout.partitions()).isEqualTo(2);
                        assertThat(layout.replicationFactor()).isEqualTo(2);
                    });
            assertThat(TopicAdmin.describe(admin, ServiceTopics.names(brokerDefault), TIMEOUT))
                    .allSatisfy(layout -> {
                        assertThat(layout.partitions())
                                .as("the cluster's num.partitions")
                                .isEqualTo(1);
                        assertThat(layout.replicationFactor()).isEqualTo(3);
                    });
        }
    }

    @Test
    void shouldWarnOncePerFindingOnACraftedOutputTopic() throws Exception {
        Topics topics = uniqueTopics("crafted");
        try (Admin admin = KAFKA.cluster().createAdmin()) {
            admin.createTopics(List.of(
                            new NewTopic(topics.input(), 2, (short) 3),
                            new NewTopic(topics.output(), 3, (short) 2)
                                    .configs(Map.of(
                                            "min.insync.replicas", "1",
                                            "cleanup.policy", "compact",
                                            "retention.ms", "3600000")),
                            new NewTopic(topics.deadLetter(), 2, (short) 3)))
                    .all()
                    .get(60, TimeUnit.SECONDS);

            List<String> warnings = TopicPreflight.check(admin, topics, false, false, TIMEOUT);

            assertThat(warnings)
                    .hasSize(5)
                    .allSatisfy(warning -> assertThat(warning).startsWith("topic " + topics.output() + " "))
                    .anySatisfy(w -> assertThat(w).contains("replication factor 2 on a cluster of 3 brokers"))
                    .anySatisfy(w -> assertThat(w).contains("min.insync.replicas 1"))
                    .anySatisfy(w -> assertThat(w).contains("3 partitions, the input topic " + topics.input() + " 2"))
                    .anySatisfy(w -> assertThat(w).contains("cleanup.policy=compact"))
                    .anySatisfy(w -> assertThat(w).contains("3600000 ms (retention.ms)"));
            assertThat(TopicPreflight.check(admin, topics, true, false, TIMEOUT))
                    .as("exactly-once on two replicas: warned, not refused")
                    .hasSize(5);
        }
    }

    @Test
    void shouldRefuseExactlyOnceOnASingleReplicaOutputWithExitCode2AndOneLine() throws Exception {
        LocalKafkaCluster cluster = KAFKA.cluster();
        Topics topics = uniqueTopics("single-replica");
        try (Admin admin = cluster.createAdmin()) {
            admin.createTopics(List.of(
                            new NewTopic(topics.input(), 2, (short) 3),
                            new NewTopic(topics.output(), 2, (short) 1),
                            new NewTopic(topics.deadLetter(), 2, (short) 3)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            assertThatThrownBy(() -> TopicPreflight.check(admin, topics, true, false, TIMEOUT))
                    .isInstanceOf(ConfigException.class);
            assertThat(TopicPreflight.check(admin, topics, true, true, TIMEOUT))
                    .as("allowed by the setting: started, with the warning")
                    .singleElement()
                    .asString()
                    .contains("replication factor 1");
            assertThat(TopicPreflight.check(admin, topics, false, false, TIMEOUT))
                    .as("at_least_once: warned, not refused")
                    .hasSize(1);
        }
        Path log = folder.resolve("refused.log");
        ServiceProcess service = new ServiceProcess(
                new ServiceArguments(
                                cluster.bootstrapServers(),
                                topics,
                                "preflight-refused-" + UUID.randomUUID(),
                                StreamsConfig.EXACTLY_ONCE_V2,
                                folder.resolve("state"))
                        .toList(),
                log,
                "256m");
        service.start();
        int exitCode = service.awaitExit(Duration.ofMinutes(3));

        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank())
                .toList();
        assertThat(exitCode).as(String.join("\n", lines)).isEqualTo(2);
        assertThat(lines.get(lines.size() - 1))
                .startsWith("sentiment-stream run: error: ")
                .contains("topic " + topics.output() + " has replication factor 1 on a cluster of 3 brokers")
                .contains("topics.allow.single.replica=true");
    }

    @Test
    void shouldStayQuietAndStartExactlyOnceOnASingleDevelopmentBroker() throws Exception {
        Topics topics = uniqueTopics("single-broker");
        try (Admin admin = SINGLE_BROKER.broker().createAdmin()) {
            ServiceTopics.create(admin, topics, 2, (short) 1, TIMEOUT);

            assertThat(TopicPreflight.check(admin, topics, true, false, TIMEOUT))
                    .isEmpty();
        }
    }

    private static Topics uniqueTopics(String prefix) {
        String unique =
                "preflight-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        return new Topics(unique + "-in", unique + "-out", unique + "-dlq", WireFormat.AVRO, WireFormat.AVRO);
    }
}
