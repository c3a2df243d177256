package org.sentimentstream.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.sentimentstream.avro.TextEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One load test against a running service: starts reading the output (and dead letters) at their
 * ends, sends the events, waits up to the drain timeout for every result, and summarises.
 */
public final class LoadTest {

    private static final Logger LOG = LoggerFactory.getLogger(LoadTest.class);
    private static final int MISSING_SAMPLE = 20;

    private final LoadTestSettings settings;
    private final TextSource texts;
    private final LoadClock clock;

    public LoadTest(LoadTestSettings settings, TextSource texts, LoadClock clock) {
        this.settings = settings;
        this.texts = texts;
        this.clock = clock;
    }

    /**
     * Runs the test.
     *
     * @throws IllegalStateException when sending failed (after the summary's counts are logged) or the
     *                               results could not be read
     */
    public LoadTestSummary run() throws InterruptedException, IOException {
        ResultTracker tracker = new ResultTracker(settings.warmup());
        EventSender.Sending sending;
        boolean complete;
        EventSender sender = new EventSender(settings, texts, tracker, clock);
        try (ResultReader reader = ResultReader.start(settings, tracker, clock)) {
            LOG.info(
                    "Load test {}: sending to {} ({}), reading {} and {}",
                    settings.ids().runId(),
                    settings.topics().input(),
                    settings.topics().inputFormatName(),
                    settings.topics().output(),
                    settings.topics().deadLetter());
            try (KafkaProducer<String, TextEvent> producer = new KafkaProducer<>(
                    settings.producer(),
                    new StringSerializer(),
                    settings.topics().inputSerializer(settings.topics().input()))) {
                sending = sender.send(producer);
            }
            LOG.info(
                    "Load test {}: {} events sent in {} s; waiting up to {} s for the results",
                    settings.ids().runId(),
                    sending.events(),
                    String.format("%.1f", sending.seconds()),
                    settings.drainTimeout().toSeconds());
            if (settings.sentFile().isPresent()) {
                Files.writeString(settings.sentFile().get(), sending.events() + System.lineSeparator());
            }
            complete = tracker.awaitComplete(settings.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        if (sender.firstFailure() != null) {
            LOG.error(
                    "Load test {}: some events could not be sent",
                    settings.ids().runId(),
                    sender.firstFailure());
        }
        return new LoadTestSummary(
                settings.ids().runId(),
                settings.topics().input(),
                settings.topics().output(),
                settings.topics().inputFormatName(),
                settings.schedule().ratePerSecond(),
                texts.origin(),
                sending.ratePerSecond(),
                tracker.snapshot(settings.ids(), MISSING_SAMPLE),
                complete);
    }
}
