package org.sentimentstream.loadtest;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.sentimentstream.avro.TextEvent;

/**
 * Sends a run's text events on the calling thread: keyed by id, stamped with their due time as event
 * time (see {@link SendSchedule}), until the event count or the duration is reached. Failed sends are
 * reported to the tracker and kept: {@link #firstFailure()}.
 */
final class EventSender {

    private final LoadTestSettings settings;
    private final TextSource texts;
    private final ResultTracker tracker;
    private final LoadClock clock;
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    EventSender(LoadTestSettings settings, TextSource texts, ResultTracker tracker, LoadClock clock) {
        this.settings = settings;
        this.texts = texts;
        this.tracker = tracker;
        this.clock = clock;
    }

    /** Sends every event and flushes the producer; returns the number sent and the sending time. */
    Sending send(Producer<String, TextEvent> producer) throws InterruptedException {
        SendSchedule schedule = settings.schedule();
        long startMicros = clock.epochMicros();
        long startMillis = startMicros / 1000;
        long endMillis =
                settings.duration().map(d -> startMillis + d.toMillis()).orElse(Long.MAX_VALUE);
        long index = 0;
        while (index < settings.maxEvents()) {
            long due = schedule.dueEpochMillis(index, startMillis, clock.epochMicros() / 1000);
            if (due >= endMillis) {
                break;
            }
            clock.sleepUntil(due * 1000);
            String id = settings.ids().id(index);
            TextEvent event = TextEvent.newBuilder()
                    .setId(id)
                    .setText(texts.text(index))
                    .setEventTime(Instant.ofEpochMilli(due))
                    .build();
            tracker.sending(index);
            long sentIndex = index;
            producer.send(new ProducerRecord<>(settings.topics().input(), id, event), (metadata, exception) -> {
                if (exception != null) {
                    firstFailure.compareAndSet(null, exception);
                    tracker.sendFailed(sentIndex);
                }
            });
            index++;
        }
        long lastSendMicros = clock.epochMicros();
        producer.flush();
        return new Sending(index, (lastSendMicros - startMicros) / 1e6);
    }

    /** The first send failure, or null when every send succeeded (so far). */
    Exception firstFailure() {
        return firstFailure.get();
    }

    /**
     * @param events  events handed to the producer
     * @param seconds from the first to the last hand-over
     */
    record Sending(long events, double seconds) {

        double ratePerSecond() {
            return seconds > 0 ? events / seconds : 0;
        }
    }
}
