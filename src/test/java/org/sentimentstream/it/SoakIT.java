package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.stream.SentimentTopology;
import org.sentimentstream.stream.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jepsen-style soak (issue 19, item 7): two instances under exactly_once_v2 share a 4-partition input while a
 * paced producer keeps sending; every {@code soak.fault.seconds} (30) a fault drawn at random (seeded): SIGKILL of an
 * instance (started again at once), SIGSTOP of an instance for 10 s then SIGCONT, or a broker bounce (SIGKILL and
 * restart). After {@code soak.minutes} (default 3; the long run is 15) the faults stop, the producer stops, and a
 * quiet phase waits until every sent id has come out. Checked: nothing lost, nothing duplicated, every key in
 * order, no result missing at the end. Sampled at every fault: each instance's RSS, the state folders' size and the
 * buffer changelog's offset span and bytes on disk, and each instance's heap in use (jstat); asserted bounded (RSS under the JVM's reach, nothing on disk).
 */
@Tag("integration")
@Tag("slow")
@Timeout(value = 60, unit = TimeUnit.MINUTES)
class SoakIT {

    private static final Logger LOG = LoggerFactory.getLogger(SoakIT.class);
    private static final Duration SOAK = Duration.ofMinutes(Long.getLong("soak.minutes", 3));
    private static final Duration FAULT_EVERY = Duration.ofSeconds(Long.getLong("soak.fault.seconds", 30));
    private static final long SEED = Long.getLong("soak.seed", 20261207L);
    private static final int EVENTS = Integer.getInteger("soak.events", 400_000);
    private static final int WINDOW = 1_000;
    private static final Duration WAIT = Duration.ofMinutes(5);
    /** -Xmx512m plus ONNX Runtime, metaspace and code: an RSS above this is a leak, not a working set. */
    private static final long RSS_BOUND_KB = 1_200_000;

    @RegisterExtension
    static final LocalBrokerExtension KAFKA = new LocalBrokerExtension();

    @TempDir
    Path folder;

    @Test
    void shouldLoseAndDuplicateNothingAndStayBoundedUnderRandomFaults() throws Exception {
        Topics topics = ItKafka.createTopics(KAFKA.broker(), "soak", 4);
        List<TextEvent> events = FaultRun.events("q", EVENTS, SEED);
        Random random = new Random(SEED);
        List<String> samples = new ArrayList<>();
        try (FaultRun run = new FaultRun(
                KAFKA.broker().bootstrapServers(), topics, "soak-it", StreamsConfig.EXACTLY_ONCE_V2, folder, events)) {
            List<ServiceProcess> instances = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                instances.add(run.startService("service-" + i + "-0", run.arguments("state-" + i)));
            }
            PacedProducer producer = run.produce(events, WINDOW);
            long end = System.nanoTime() + SOAK.toNanos();
            int faults = 0;
            Map<String, Integer> faultsByKind = new TreeMap<>();
            while (System.nanoTime() < end) {
                TimeUnit.MILLISECONDS.sleep(FAULT_EVERY.toMillis());
                faults++;
                int victim = random.nextInt(instances.size());
                switch (random.nextInt(3)) {
                    case 0 -> {
                        instances.get(victim).kill();
                        instances.set(
                                victim,
                                run.startService("service-" + victim + "-" + faults, run.arguments("state-" + victim)));
                        faultsByKind.merge("SIGKILL", 1, Integer::sum);
                        LOG.info("Soak fault {}: SIGKILL of instance {}", faults, victim);
                    }
                    case 1 -> {
                        instances.get(victim).pause();
                        TimeUnit.SECONDS.sleep(10);
                        instances.get(victim).resume();
                        faultsByKind.merge("SIGSTOP", 1, Integer::sum);
                        LOG.info("Soak fault {}: SIGSTOP 10 s of instance {}", faults, victim);
                    }
                    default -> {
                        KAFKA.broker().kill();
                        KAFKA.broker().restart();
                        faultsByKind.merge("broker bounce", 1, Integer::sum);
                        LOG.info("Soak fault {}: broker bounced", faults);
                    }
                }
                String sample = sample(run, instances, faults, producer);
                samples.add(sample);
                LOG.info("Soak sample: {}", sample);
            }
            producer.close();
            int sent = producer.sent();
            List<String> sentIds =
                    events.subList(0, sent).stream().map(TextEvent::getId).toList();
            List<OutputRecord> results = run.awaitDelivered(
                    FaultRun.idsOf(events.subList(0, sent)), WAIT, instances.toArray(ServiceProcess[]::new));
            DeliveryReport report = DeliveryReport.inOrder(sentIds, results);
            String last = sample(run, instances, faults + 1, producer);
            LOG.info(
                    "Soak of {} min, {} faults {}: {}; longest gap {} ms; samples {} then {}",
                    SOAK.toMinutes(),
                    faults,
                    faultsByKind,
                    report,
                    run.output().longestGapSince(0).toMillis(),
                    samples,
                    last);
            assertThat(report.lost()).as("lost: %s", report).isEmpty();
            assertThat(report.duplicated())
                    .as("duplicated under exactly_once_v2")
                    .isEmpty();
            assertThat(report.outOfOrder()).as("keys out of order").isEmpty();
            assertThat(report.unexpected()).isEmpty();
            for (ServiceProcess instance : instances) {
                assertThat(instance.residentKb()).as("RSS in kB").isLessThan(RSS_BOUND_KB);
            }
            assertThat(folderBytes(folder, "state-"))
                    .as("bytes in the state folders")
                    .isZero();
        }
    }

    private String sample(FaultRun run, List<ServiceProcess> instances, int fault, PacedProducer producer)
            throws Exception {
        List<Long> rss = new ArrayList<>();
        List<Long> heap = new ArrayList<>();
        for (ServiceProcess instance : instances) {
            rss.add(instance.residentKb());
            heap.add(instance.heapUsedKb());
        }
        String changelogTopic = SentimentTopology.bufferChangelogTopic(run.applicationId());
        long changelog = ConsumerGroups.records(KAFKA.broker(), changelogTopic);
        long changelogBytes = ConsumerGroups.bytesOnDisk(KAFKA.broker(), changelogTopic);
        return "#" + fault + " sent " + producer.sent() + " results "
                + run.output().size() + " rss_kb " + rss + " heap_used_kb " + heap + " state_bytes "
                + folderBytes(folder, "state-")
                + " changelog_offsets " + changelog + " changelog_bytes " + changelogBytes;
    }

    private static long folderBytes(Path root, String prefix) throws IOException {
        long total = 0;
        try (Stream<Path> folders = Files.list(root)) {
            for (Path folder : folders.filter(f -> f.getFileName().toString().startsWith(prefix))
                    .toList()) {
                try (Stream<Path> files = Files.walk(folder)) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        total += Files.size(file);
                    }
                }
            }
        }
        return total;
    }
}
