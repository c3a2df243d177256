package org.sentimentstream.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.stream.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends events to the input topic from its own thread while a test kills and restarts things, in chunks, staying
 * at most {@code window} events ahead of the results seen so far: input keeps arriving for the whole run (also
 * while the service is down, up to the window), and the stream is still flowing when the faults come.
 */
final class PacedProducer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PacedProducer.class);
    private static final int CHUNK = 100;
    private static final Duration RECHECK = Duration.ofSeconds(1);

    private final String bootstrapServers;
    private final Topics topics;
    private final List<TextEvent> events;
    private final int window;
    private final OutputCollector<?> progress;
    private final Function<TextEvent, String> keyOf;
    private final Thread thread;
    private volatile boolean closing;
    private volatile int sent;
    private volatile Exception failure;

    PacedProducer(
            String bootstrapServers, Topics topics, List<TextEvent> events, int window, OutputCollector<?> progress) {
        this(bootstrapServers, topics, events, window, progress, TextEvent::getId);
    }

    /** Sends the events keyed by {@code keyOf} instead of by id. */
    PacedProducer(
            String bootstrapServers,
            Topics topics,
            List<TextEvent> events,
            int window,
            OutputCollector<?> progress,
            Function<TextEvent, String> keyOf) {
        this.keyOf = keyOf;
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.events = List.copyOf(events);
        this.window = window;
        this.progress = progress;
        this.thread = new Thread(this::sendAll, "it-paced-producer-" + topics.input());
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Events acknowledged by the broker so far. */
    int sent() {
        return sent;
    }

    private void sendAll() {
        try (KafkaProducer<byte[], byte[]> producer = ItKafka.rawProducer(bootstrapServers)) {
            while (sent < events.size() && !closing) {
                int end = Math.min(sent + CHUNK, events.size());
                if (!progress.awaitSize(end - window, RECHECK)) {
                    continue;
                }
                ItKafka.send(producer, topics, events.subList(sent, end), keyOf);
                sent = end;
            }
            LOG.info("Sent {} of {} events to {}", sent, events.size(), topics.input());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.error("The paced producer failed after {} events", sent, e);
            failure = e;
        }
    }

    /** Waits until every event has been sent; throws what made sending fail. */
    void awaitAllSent(Duration timeout) throws Exception {
        thread.join(timeout.toMillis());
        if (failure != null) {
            throw new IllegalStateException("sending failed after " + sent + " events", failure);
        }
        if (sent < events.size()) {
            throw new IllegalStateException(
                    "only " + sent + " of " + events.size() + " events were sent in " + timeout);
        }
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        thread.join(TimeUnit.MINUTES.toMillis(2));
    }
}
