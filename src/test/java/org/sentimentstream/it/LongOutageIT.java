package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * What the service does when its only broker is gone for long (issue 19, item 4), under exactly_once_v2 with a
 * backlog in flight when the broker dies (SIGKILL):
 *
 * <ul>
 *   <li>25 s, with Kafka's default timeouts (the short case, in CI): the service rides it out, no restart; every id
 *       comes out once.
 *   <li>70 s, with Kafka's default timeouts (delivery.timeout.ms 120 s, task.timeout.ms 300 s,
 *       max.poll.interval.ms 300 s): the service rides it out, no restart; every id comes out once.
 *   <li>longer than the service's delivery.timeout.ms, task.timeout.ms and max.poll.interval.ms (scaled down to
 *       tens of seconds so that the test takes minutes, not quarter hours): a send that outlives
 *       delivery.timeout.ms fails its stream thread, and the service exits 1 with one line saying why, so that
 *       the orchestrator restarts it; the test restarts it as an orchestrator would once the broker is back,
 *       and every id comes out once. A service that had nothing in flight rides such an outage out; either way
 *       the test proves that it never exits 0 or 2 and never needs more than a restart.
 * </ul>
 *
 * The 70 s and longer-than-timeouts cases are tagged {@code slow}: {@code make test-slow} runs them, CI does not.
 * The outage length is the fault itself, so these are the only fixed waits; everything else waits on
 * conditions. docs/RELIABILITY.md ("Long broker outages") has the decision and the settings that change it.
 */
@Tag("integration")
// The CI case's limit; the slow cases set their own.
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LongOutageIT {

    private static final Logger LOG = LoggerFactory.getLogger(LongOutageIT.class);
    private static final int EVENTS = 3_000;
    private static final int RESULTS_BEFORE_OUTAGE = 800;
    private static final int WINDOW = 1_000;
    private static final Duration SHORT_OUTAGE = Duration.ofSeconds(25);
    private static final Duration OUTAGE = Duration.ofSeconds(70);
    private static final Duration WAIT = Duration.ofMinutes(5);
    /** The client and task timeouts of the long-outage case, well under {@link #OUTAGE}. */
    private static final String SCALED_TIMEOUT_MS = "25000";

    @RegisterExtension
    static final LocalBrokerExtension KAFKA = new LocalBrokerExtension();

    @TempDir
    Path folder;

    @Test
    void shouldRideOutATwentyFiveSecondBrokerOutageWithKafkasDefaultTimeouts() throws Exception {
        rideOut("outage-25", 25, SHORT_OUTAGE);
    }

    @Test
    @Tag("slow")
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void shouldRideOutASeventySecondBrokerOutageWithKafkasDefaultTimeouts() throws Exception {
        rideOut("outage-70", 70, OUTAGE);
    }

    @Test
    @Tag("slow")
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void shouldExitWithOneLineOrRideOutAnOutageLongerThanItsTimeoutsAndDeliverEverythingOnceRestarted()
            throws Exception {
        try (FaultRun run = exactlyOnceRun("outage-long", 71)) {
            ServiceArguments arguments = run.arguments("state")
                    .with("task.timeout.ms", SCALED_TIMEOUT_MS)
                    .with("max.poll.interval.ms", SCALED_TIMEOUT_MS)
                    .with("delivery.timeout.ms", SCALED_TIMEOUT_MS)
                    .with("request.timeout.ms", "10000")
                    .with("default.api.timeout.ms", "15000")
                    .with("max.block.ms", "15000");
            ServiceProcess first = run.startService("service-1", arguments);
            run.produce(run.events(), WINDOW);
            breakTheBrokerMidStream(run, first, OUTAGE);

            // Until every id is out or the service stops by itself (a failure comes to light once the broker
            // answers again: the producer's transaction is in error after a send that timed out).
            List<OutputRecord> results = run.awaitAllDelivered(WAIT, first);
            ServiceProcess last = first;
            if (!first.isAlive()) {
                int exitCode = first.awaitExit(WAIT);
                String line = first.lastLogLine();
                LOG.info("Long outage: the service exited {} with: {}", exitCode, line);
                assertThat(exitCode)
                        .as("a failure a restart can cure exits 1; log:\n%s", first.logTail())
                        .isEqualTo(1);
                assertThat(line)
                        .as("one line saying why it stopped")
                        .contains("run: error: the service stopped after a failure: ");
                last = run.startService("service-2", arguments);
                results = run.awaitAllDelivered(WAIT, last);
            } else {
                LOG.info("Long outage: the service rode it out (nothing it sent outlived delivery.timeout.ms)");
            }
            ServiceProcess running = last;
            DeliveryReport report = run.assertDelivered(results, running);
            LOG.info(
                    "Long outage ({}): {}; longest gap {} ms",
                    running == first ? "ridden out" : "exit 1, restarted",
                    report,
                    run.output().longestGapSince(0).toMillis());
            assertThat(running.stop()).as("SIGTERM stops the service cleanly").isIn(0, 143);
        }
    }

    /** One service under Kafka's default timeouts, the broker down for {@code outage}: no restart, every id once. */
    private void rideOut(String name, long seed, Duration outage) throws Exception {
        try (FaultRun run = exactlyOnceRun(name, seed)) {
            ServiceProcess service = run.startService("service", run.arguments("state"));
            run.produce(run.events(), WINDOW);
            breakTheBrokerMidStream(run, service, outage);

            List<OutputRecord> results = run.awaitAllDelivered(WAIT, service);
            assertThat(service.isAlive())
                    .as(
                            "the service rode out a %d s outage without a restart; its log:\n%s",
                            outage.toSeconds(), service.logTail())
                    .isTrue();
            DeliveryReport report = run.assertDelivered(results, service);
            LOG.info(
                    "{} s outage: {}; longest gap {} ms",
                    outage.toSeconds(),
                    report,
                    run.output().longestGapSince(0).toMillis());
            assertThat(service.stop()).as("SIGTERM stops the service cleanly").isIn(0, 143);
        }
    }

    /** A run under exactly_once_v2 on its own 2-partition topics. */
    private FaultRun exactlyOnceRun(String name, long seed) {
        Topics topics = ItKafka.createTopics(KAFKA.broker(), name, 2);
        List<TextEvent> events = FaultRun.events(name, EVENTS, seed);
        return new FaultRun(
                KAFKA.broker().bootstrapServers(), topics, name + "-it", StreamsConfig.EXACTLY_ONCE_V2, folder, events);
    }

    /** Kills the broker once results flow, keeps it down for {@code outage}, then starts it again. */
    private static void breakTheBrokerMidStream(FaultRun run, ServiceProcess service, Duration outage)
            throws InterruptedException {
        run.output().awaitUntil(r -> r.size() >= RESULTS_BEFORE_OUTAGE || !service.isAlive(), WAIT);
        assertThat(run.output().size())
                .as("results before the outage; service log:\n%s", service.logTail())
                .isGreaterThanOrEqualTo(RESULTS_BEFORE_OUTAGE);
        KAFKA.broker().kill();
        LOG.info(
                "Broker killed with {} results visible; down for {} s",
                run.output().size(),
                outage.toSeconds());
        TimeUnit.MILLISECONDS.sleep(outage.toMillis());
        KAFKA.broker().restart();
        LOG.info("Broker back (pid {}); service alive: {}", KAFKA.broker().pid(), service.isAlive());
    }
}
