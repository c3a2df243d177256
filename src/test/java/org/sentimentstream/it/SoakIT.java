package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
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
 * paced producer keeps sending; at a fixed interval a fault: SIGKILL of an instance (started again at once), SIGSTOP
 * of an instance for 10 s then SIGCONT, or a broker bounce (SIGKILL and restart). When the faults stop, the producer
 * stops, and a quiet phase waits until every sent id has come out. Checked: nothing lost, nothing duplicated, every
 * key in order, no result missing at the end. Sampled at every fault: each instance's RSS, the state folders' size
 * and the buffer changelog's offset span and bytes on disk, and each instance's heap in use (jstat); asserted
 * bounded (RSS under the JVM's reach, nothing on disk).
 *
 * <p>Two cases, one code path ({@link #soak}), different {@link Schedule}s:
 *
 * <ul>
 *   <li>the short case, in CI: 60 s of faults, one every 20 s, the kinds in a fixed order (SIGKILL, SIGSTOP, broker
 *       bounce) and at least three, so that every CI run covers each kind once;
 *   <li>the long case, tag {@code slow} ({@code make test-slow}): every {@code soak.fault.seconds} (30) a fault drawn
 *       at random (seeded, {@code soak.seed}) for {@code soak.minutes} (default 3; the reported run is 15).
 * </ul>
 */
@Tag("integration")
// The CI case's limit; the slow cases set their own.
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class SoakIT {

    private static final Logger LOG = LoggerFactory.getLogger(SoakIT.class);
    private static final long SEED = Long.getLong("soak.seed", 20261207L);
    private static final int WINDOW = 1_000;
    private static final Duration WAIT = Duration.ofMinutes(5);
    /** -Xmx512m plus ONNX Runtime, metaspace and code: an RSS above this is a leak, not a working set. */
    private static final long RSS_BOUND_KB = 1_200_000;
    /** The short case's faults, in order: each kind once. */
    private static final List<Fault> EACH_KIND_ONCE = List.of(Fault.SIGKILL, Fault.SIGSTOP, Fault.BROKER_BOUNCE);

    @RegisterExtension
    static final LocalBrokerExtension KAFKA = new LocalBrokerExtension();

    @TempDir
    Path folder;

    /** The kinds of fault a soak injects. */
    private enum Fault {
        SIGKILL,
        SIGSTOP,
        BROKER_BOUNCE
    }

    /**
     * What distinguishes one soak from another.
     *
     * @param name topic and application id prefix, unique per case
     * @param faultsFor how long faults go on
     * @param faultEvery the wait before each fault
     * @param leastFaults faults injected even when {@code faultsFor} is over first (a slow machine)
     * @param kinds the kind of the n-th fault (from 1), given the run's seeded random
     * @param events the most the producer may send: more than the run can take, so the input never runs out
     */
    private record Schedule(
            String name,
            Duration faultsFor,
            Duration faultEvery,
            int leastFaults,
            BiFunction<Integer, Random, Fault> kinds,
            int events) {}

    @Test
    void shouldLoseAndDuplicateNothingAndStayBoundedThroughOneFaultOfEachKind() throws Exception {
        soak(new Schedule(
                "soak-short",
                Duration.ofSeconds(60),
                Duration.ofSeconds(20),
                EACH_KIND_ONCE.size(),
                (fault, random) -> EACH_KIND_ONCE.get((fault - 1) % EACH_KIND_ONCE.size()),
                200_000));
    }

    @Test
    @Tag("slow")
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void shouldLoseAndDuplicateNothingAndStayBoundedUnderRandomFaults() throws Exception {
        soak(new Schedule(
                "soak",
                Duration.ofMinutes(Long.getLong("soak.minutes", 3)),
                Duration.ofSeconds(Long.getLong("soak.fault.seconds", 30)),
                0,
                (fault, random) -> Fault.values()[random.nextInt(Fault.values().length)],
                Integer.getInteger("soak.events", 400_000)));
    }

    private void soak(Schedule schedule) throws Exception {
        Topics topics = ItKafka.createTopics(KAFKA.broker(), schedule.name(), 4);
        List<TextEvent> events = FaultRun.events("q", schedule.events(), SEED);
        Random random = new Random(SEED);
        List<String> samples = new ArrayList<>();
        try (FaultRun run = new FaultRun(
                KAFKA.broker().bootstrapServers(),
                topics,
                schedule.name() + "-it",
                StreamsConfig.EXACTLY_ONCE_V2,
                folder,
                events)) {
            List<ServiceProcess> instances = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                instances.add(run.startService("service-" + i + "-0", run.arguments("state-" + i)));
            }
            PacedProducer producer = run.produce(events, WINDOW);
            // The fault clock starts once results flow: on a loaded machine the instances' start-up can outlast the
            // first wait, and a fault (or a sample of the buffer changelog, not created yet) would come too early.
            assertThat(run.output().awaitSize(WINDOW, WAIT))
                    .as(
                            "results before the first fault; logs:\n%s\n%s",
                            instances.get(0).logTail(), instances.get(1).logTail())
                    .isTrue();
            long end = System.nanoTime() + schedule.faultsFor().toNanos();
            int faults = 0;
            Map<Fault, Integer> faultsByKind = new EnumMap<>(Fault.class);
            while (System.nanoTime() < end || faults < schedule.leastFaults()) {
                TimeUnit.MILLISECONDS.sleep(schedule.faultEvery().toMillis());
                faults++;
                int victim = random.nextInt(instances.size());
                Fault fault = schedule.kinds().apply(faults, random);
                switch (fault) {
                    case SIGKILL -> {
                        instances.get(victim).kill();
                        instances.set(
                                victim,
                                run.startService("service-" + victim + "-" + faults, run.arguments("state-" + victim)));
                        LOG.info("Soak fault {}: SIGKILL of instance {}", faults, victim);
                    }
                    case SIGSTOP -> {
                        instances.get(victim).pause();
                        TimeUnit.SECONDS.sleep(10);
                        instances.get(victim).resume();
                        LOG.info("Soak fault {}: SIGSTOP 10 s of instance {}", faults, victim);
                    }
                    case BROKER_BOUNCE -> {
                        KAFKA.broker().kill();
                        KAFKA.broker().restart();
                        LOG.info("Soak fault {}: broker bounced", faults);
                    }
                }
                faultsByKind.merge(fault, 1, Integer::sum);
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
                    "Soak {} of {} s, {} faults {}: {}; longest gap {} ms; samples {} then {}",
                    schedule.name(),
                    schedule.faultsFor().toSeconds(),
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
