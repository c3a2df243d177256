package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.stream.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service rides out a broker restart without losing a record: the broker goes away mid-stream (SIGKILL,
 * or a clean SIGTERM stop) and comes back on the same data and port while the service (its own JVM) keeps
 * running and a producer keeps sending. The service must recover by itself: still alive, every id has a
 * result, exactly one under exactly_once_v2.
 */
@Tag("integration")
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class BrokerRestartIT {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerRestartIT.class);
    private static final int EVENTS = 3_000;
    private static final int RESULTS_BEFORE_FAULT = 1_000;
    private static final int WINDOW = 500;
    private static final Duration WAIT = Duration.ofMinutes(4);

    @RegisterExtension
    static final LocalBrokerExtension KAFKA = new LocalBrokerExtension();

    @TempDir
    Path folder;

    @ParameterizedTest(name = "{0}, broker {1}")
    @CsvSource({
        StreamsConfig.AT_LEAST_ONCE + ",killed",
        StreamsConfig.EXACTLY_ONCE_V2 + ",killed",
        StreamsConfig.EXACTLY_ONCE_V2 + ",stopped"
    })
    void shouldRecoverWithoutHelpWhenTheBrokerRestartsMidStream(String guarantee, String fault) throws Exception {
        Topics topics = ItKafka.createTopics(KAFKA.broker(), "broker-restart", 2);
        List<TextEvent> events = FaultRun.events("b", EVENTS, 11);
        try (FaultRun run = new FaultRun(
                KAFKA.broker().bootstrapServers(), topics, "broker-restart-it", guarantee, folder, events)) {
            ServiceProcess service = run.startService("service", run.arguments("state"));
            PacedProducer producer = run.produce(events, WINDOW);
            run.output().awaitUntil(r -> r.size() >= RESULTS_BEFORE_FAULT || !service.isAlive(), WAIT);
            assertThat(run.output().size())
                    .as("results before the broker fault; service log:\n%s", service.logTail())
                    .isGreaterThanOrEqualTo(RESULTS_BEFORE_FAULT);
            long pidBefore = KAFKA.broker().pid();
            if (fault.equals("killed")) {
                KAFKA.broker().kill();
            } else {
                KAFKA.broker().stop();
            }
            LOG.info(
                    "{}: broker {} (pid {}) with {} results visible and {} events sent",
                    guarantee,
                    fault,
                    pidBefore,
                    run.output().size(),
                    producer.sent());
            KAFKA.broker().restart();
            assertThat(KAFKA.broker().pid()).as("a new broker process").isNotEqualTo(pidBefore);

            producer.awaitAllSent(WAIT);
            List<OutputRecord> results = run.awaitAllDelivered(WAIT, service);
            assertThat(service.isAlive())
                    .as("the service survives the broker restart; its log:\n%s", service.logTail())
                    .isTrue();
            DeliveryReport report = run.assertDelivered(results, service);
            LOG.info(
                    "{}, broker {}: {}; longest gap in the output {} ms",
                    guarantee,
                    fault,
                    report,
                    run.output().longestGapSince(0).toMillis());
            assertThat(service.stop()).as("SIGTERM stops the service cleanly").isIn(0, 143);
        }
    }
}
