package org.sentimentstream.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.stream.Topics;

class EventSenderTest {

    /** Not a whole millisecond: the duration must still give exactly rate x seconds events. */
    private static final long START_MICROS = 1_700_000_000_000_700L;

    /** A clock that only moves when the sender sleeps, or by a fixed step per reading. */
    private static final class FakeClock implements LoadClock {
        private long now = START_MICROS;
        private final long stepMicros;

        FakeClock(long stepMicros) {
            this.stepMicros = stepMicros;
        }

        @Override
        public long epochMicros() {
            long value = now;
            now += stepMicros;
            return value;
        }

        @Override
        public void sleepUntil(long epochMicros) {
            now = Math.max(now, epochMicros);
        }
    }

    private static LoadTestSettings settings(SendSchedule schedule, long events, Duration duration) {
        return new LoadTestSettings(
                Topics.defaults(),
                schedule,
                events,
                Optional.ofNullable(duration),
                0,
                Duration.ofSeconds(1),
                new RunIds("s"),
                Map.of(),
                Map.of(),
                Optional.empty());
    }

    private static MockProducer<String, TextEvent> producer() {
        return new MockProducer<>(true, null, new StringSerializer(), (topic, event) -> new byte[0]);
    }

    @Test
    void shouldStampEachEventWithItsScheduledTimeAtAFixedRate() throws Exception {
        MockProducer<String, TextEvent> producer = producer();
        ResultTracker tracker = new ResultTracker(0);
        EventSender sender = new EventSender(
                settings(SendSchedule.fixedRate(100), 5, null),
                TextSource.of(List.of("a", "b")),
                tracker,
                new FakeClock(0));

        EventSender.Sending sending = sender.send(producer);

        List<ProducerRecord<String, TextEvent>> sent = producer.history();
        assertThat(sending.events()).isEqualTo(5);
        assertThat(sent).extracting(ProducerRecord::key).containsExactly("s-0", "s-1", "s-2", "s-3", "s-4");
        assertThat(sent)
                .extracting(r -> r.value().getEventTime().toEpochMilli() - START_MICROS / 1000)
                .containsExactly(0L, 10L, 20L, 30L, 40L);
        assertThat(sent).extracting(r -> r.value().getText()).containsExactly("a", "b", "a", "b", "a");
        assertThat(sent).allSatisfy(r -> assertThat(r.topic()).isEqualTo(SentimentStreamConfig.DEFAULT_INPUT_TOPIC));
        assertThat(tracker.snapshot(new RunIds("s"), 10).sent()).isEqualTo(5);
    }

    @Test
    void shouldStopAtTheDurationAtAFixedRate() throws Exception {
        MockProducer<String, TextEvent> producer = producer();
        EventSender sender = new EventSender(
                settings(SendSchedule.fixedRate(100), Long.MAX_VALUE, Duration.ofSeconds(2)),
                TextSource.of(List.of("a")),
                new ResultTracker(0),
                new FakeClock(0));

        EventSender.Sending sending = sender.send(producer);

        assertThat(sending.events()).isEqualTo(200);
        assertThat(producer.history()).hasSize(200);
    }

    @Test
    void shouldStampTheSendTimeAsFastAsPossible() throws Exception {
        MockProducer<String, TextEvent> producer = producer();
        // Every reading of the clock moves it 1.5 ms on.
        EventSender sender = new EventSender(
                settings(SendSchedule.asFastAsPossible(), 3, null),
                TextSource.of(List.of("a")),
                new ResultTracker(0),
                new FakeClock(1500));

        sender.send(producer);

        List<Long> offsets = producer.history().stream()
                .map(r -> r.value().getEventTime().toEpochMilli() - START_MICROS / 1000)
                .toList();
        assertThat(offsets).hasSize(3).isSorted();
        assertThat(offsets.get(2)).isGreaterThan(offsets.get(0));
    }

    @Test
    void shouldReportFailedSendsToTheTracker() throws Exception {
        MockProducer<String, TextEvent> producer =
                new MockProducer<>(true, null, new StringSerializer(), (topic, event) -> new byte[0]) {
                    @Override
                    public synchronized Future<RecordMetadata> send(
                            ProducerRecord<String, TextEvent> record, Callback callback) {
                        if (record.key().equals("s-1")) {
                            callback.onCompletion(null, new KafkaException("broker gone"));
                            return CompletableFuture.failedFuture(new KafkaException("broker gone"));
                        }
                        return super.send(record, callback);
                    }
                };
        ResultTracker tracker = new ResultTracker(0);
        EventSender sender = new EventSender(
                settings(SendSchedule.fixedRate(1000), 3, null),
                TextSource.of(List.of("a")),
                tracker,
                new FakeClock(0));

        sender.send(producer);

        assertThat(sender.firstFailure()).hasMessage("broker gone");
        ResultTracker.Snapshot snapshot = tracker.snapshot(new RunIds("s"), 10);
        assertThat(snapshot.sent()).isEqualTo(3);
        assertThat(snapshot.sendFailures()).isEqualTo(1);
        assertThat(snapshot.missing()).isEqualTo(2);
    }
}
