package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.localbroker.LocalKafkaCluster;
import org.sentimentstream.serde.WireFormat;
import org.sentimentstream.stream.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reproduction attempt of issue 24 item 3 (docs/RELIABILITY.md, "Single-replica output under
 * exactly_once_v2"): on the shared three-broker cluster, exactly_once_v2 writes to an output topic with ONE
 * replica (allowed only with topics.allow.single.replica=true); the broker holding it is SIGKILLed while
 * transactions are open and started again after a 20 s outage. Every id must still have a result; duplicates
 * are counted and logged, and the output partition's batches (producer id, epoch, sequence, control markers) are
 * dumped ({@link SegmentDump}) into target/single-replica-output/ for the verdict.
 */
@Tag("integration")
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class SingleReplicaOutputIT {

    private static final Logger LOG = LoggerFactory.getLogger(SingleReplicaOutputIT.class);
    private static final int EVENTS = 6_000;
    private static final int RESULTS_BEFORE_FAULT = 1_500;
    private static final int WINDOW = 500;
    /** How long the output's only broker stays down: the fault itself (issue 24 saw duplicates with ~20 s). */
    private static final Duration OUTAGE = Duration.ofSeconds(20);

    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final Path DUMPS = Path.of("target", "single-replica-output");

    @RegisterExtension
    static final LocalClusterExtension KAFKA = LocalClusterExtension.shared();

    @TempDir
    Path folder;

    @Test
    void shouldKeepEveryIdWhenTheOnlyReplicaOfTheOutputRestartsMidTransactionAndDumpTheLogs() throws Exception {
        LocalKafkaCluster cluster = KAFKA.cluster();
        String unique = "rf1-" + UUID.randomUUID().toString().substring(0, 8);
        Topics topics = new Topics(unique + "-in", unique + "-out", unique + "-dlq", WireFormat.AVRO, WireFormat.AVRO);
        try (Admin admin = cluster.createAdmin()) {
            admin.createTopics(List.of(
                            new NewTopic(topics.input(), 2, (short) 3),
                            new NewTopic(topics.output(), 1, (short) 1),
                            new NewTopic(topics.deadLetter(), 1, (short) 3)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
        List<String> arguments = new ServiceArguments(
                        cluster.bootstrapServers(),
                        topics,
                        "rf1-it-" + UUID.randomUUID(),
                        StreamsConfig.EXACTLY_ONCE_V2,
                        folder.resolve("state"))
                .with("topics.allow.single.replica", "true")
                .toList();
        List<TextEvent> events = ItKafka.events("d", GeneratedTexts.generate(EVENTS, 13));
        Set<String> ids = events.stream().map(TextEvent::getId).collect(Collectors.toSet());
        TopicPartition output = new TopicPartition(topics.output(), 0);

        ServiceProcess service = new ServiceProcess(arguments, folder.resolve("service.log"));
        int killed;
        DeliveryReport report;
        try (OutputCollector<OutputRecord> collected = new OutputCollector<>(
                        cluster.bootstrapServers(), topics.output(), OutputRecord.decoder(topics));
                PacedProducer producer =
                        new PacedProducer(cluster.bootstrapServers(), topics, events, WINDOW, collected)) {
            service.start();
            producer.start();
            collected.awaitUntil(r -> r.size() >= RESULTS_BEFORE_FAULT || !service.isAlive(), WAIT);
            killed = cluster.leaderOf(output);
            cluster.kill(killed);
            LOG.info(
                    "Killed node {}, the only replica of {}, with {} results visible",
                    killed,
                    output,
                    collected.size());
            TimeUnit.MILLISECONDS.sleep(OUTAGE.toMillis());
            cluster.restart(killed);

            producer.awaitAllSent(WAIT);
            List<OutputRecord> results =
                    collected.awaitUntil(r -> OutputRecord.ids(r).containsAll(ids) || !service.isAlive(), WAIT);
            report = DeliveryReport.ofResults(ids, results);
            LOG.info("Single-replica output, node {} killed for {} s: {}", killed, OUTAGE.toSeconds(), report);
        } finally {
            if (service.isAlive()) {
                service.stop();
            }
        }
        Files.createDirectories(DUMPS);
        Files.writeString(
                DUMPS.resolve(unique + "-report.txt"),
                "node killed: " + killed + "\n" + report + "\nduplicated: " + report.duplicated() + "\n",
                StandardCharsets.UTF_8);
        List<String> dump = SegmentDump.batches(cluster.dataDirectory(killed).resolve(output.toString()));
        Files.write(DUMPS.resolve(unique + "-output.txt"), dump, StandardCharsets.UTF_8);
        assertThat(dump).as("the dump shows transactional batches").anyMatch(l -> l.contains("isTransactional: true"));
        assertThat(report.lost())
                .as("ids with no result; service log:\n%s", service.logTail())
                .isEmpty();
    }
}
