package org.sentimentstream.localbroker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sentimentstream.app.TopicAdmin;

@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LocalKafkaBrokerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path folder;

    @Test
    void shouldKeepRecordsAcrossStopKillAndRestartOnTheSameDataAndPort() throws Exception {
        String topic = "broker-it-" + UUID.randomUUID();
        try (LocalKafkaBroker broker =
                LocalKafkaBroker.builder().directory(folder.resolve("broker")).start()) {
            String bootstrap = broker.bootstrapServers();
            assertThat(bootstrap).startsWith("127.0.0.1:");
            try (Admin admin = broker.createAdmin()) {
                assertThat(TopicAdmin.createIfMissing(admin, List.of(new NewTopic(topic, 2, (short) 1)), TIMEOUT))
                        .containsExactly(topic);
                // Created topics are ready for producers: every partition already has its leader.
                assertThat(admin.describeTopics(List.of(topic))
                                .allTopicNames()
                                .get()
                                .get(topic)
                                .partitions())
                        .hasSize(2)
                        .allSatisfy(partition -> assertThat(partition.leader()).isNotNull());
                assertThat(TopicAdmin.createIfMissing(admin, List.of(new NewTopic(topic, 2, (short) 1)), TIMEOUT))
                        .isEmpty();
            }
            produce(bootstrap, topic, "k1", "before restart");
            assertThat(consumeAll(bootstrap, topic, 1)).containsExactly("before restart");

            long firstPid = broker.pid();
            broker.restart();
            assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
            assertThat(broker.pid()).isNotEqualTo(firstPid);
            assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
            produce(bootstrap, topic, "k2", "after restart");
            assertThat(consumeAll(bootstrap, topic, 2)).containsExactlyInAnyOrder("before restart", "after restart");

            long secondPid = broker.pid();
            broker.kill();
            assertThat(broker.isRunning()).isFalse();
            assertThat(ProcessHandle.of(secondPid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
            broker.restart();
            assertThat(consumeAll(bootstrap, topic, 2)).containsExactlyInAnyOrder("before restart", "after restart");

            long lastPid = broker.pid();
            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            assertThat(ProcessHandle.of(lastPid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
            assertThat(Files.readString(broker.logFile(), StandardCharsets.UTF_8))
                    .contains("Kafka Server started");
        }
        assertThat(folder.resolve("broker").resolve(LocalKafkaBroker.DATA_DIR).resolve("meta.properties"))
                .as("a broker folder given by the caller is kept")
                .exists();
    }

    @Test
    void shouldDeleteItsTemporaryFolderOnClose() {
        Path directory;
        long pid;
        try (LocalKafkaBroker broker = LocalKafkaBroker.start()) {
            directory = broker.directory();
            pid = broker.pid();
            assertThat(broker.isRunning()).isTrue();
        }
        assertThat(directory).doesNotExist();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    }

    @Test
    void shouldStartOnOtherPortsWhenAPickedPortIsTakenBeforeTheBrokerBindsIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            AtomicInteger picks = new AtomicInteger();
            // The first port picked (the client listener's) is one another socket holds.
            LocalKafkaBroker.Builder builder = LocalKafkaBroker.builder()
                    .portPicker(avoid ->
                            picks.getAndIncrement() == 0 ? taken.getLocalPort() : LocalKafkaBroker.freePort(avoid));

            try (LocalKafkaBroker broker = builder.start();
                    Admin admin = broker.createAdmin()) {
                assertThat(broker.bootstrapServers()).isNotEqualTo("127.0.0.1:" + taken.getLocalPort());
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                        .hasSize(1);
                assertThat(picks.get()).as("ports picked twice: a second start").isGreaterThanOrEqualTo(4);
            }
        }
    }

    private static void produce(String bootstrap, String topic, String key, String value) throws Exception {
        Map<String, Object> config =
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static List<String> consumeAll(String bootstrap, String topic, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "broker-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest");
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
