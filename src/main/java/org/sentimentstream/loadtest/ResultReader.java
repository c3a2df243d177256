package org.sentimentstream.loadtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.serde.RecordCodec;
import org.sentimentstream.serde.RecordDecodingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the output and dead-letter topics on a thread of its own, from their ends at the time it
 * starts, and hands the run's results and dead letters to the tracker; records of other runs are
 * skipped by key. A result's read time is the time its poll returned.
 */
final class ResultReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResultReader.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(60);

    private final Consumer<String, byte[]> consumer;
    private final String outputTopic;
    private final String deadLetterTopic;
    private final RecordCodec<SentimentEvent> codec;
    private final RunIds ids;
    private final ResultTracker tracker;
    private final LoadClock clock;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final Thread thread;
    private long undecodable;

    private ResultReader(LoadTestSettings settings, ResultTracker tracker, LoadClock clock) {
        this.consumer = new KafkaConsumer<>(settings.consumer(), new StringDeserializer(), new ByteArrayDeserializer());
        this.outputTopic = settings.topics().output();
        this.deadLetterTopic = settings.topics().deadLetter();
        this.codec = settings.topics().outputCodec();
        this.ids = settings.ids();
        this.tracker = tracker;
        this.clock = clock;
        this.thread = new Thread(this::pollLoop, "loadtest-reader");
    }

    /** Assigns every partition of the two topics at their current ends, then starts reading. */
    static ResultReader start(LoadTestSettings settings, ResultTracker tracker, LoadClock clock) {
        ResultReader reader = new ResultReader(settings, tracker, clock);
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            partitions.addAll(partitionsOf(reader.consumer, reader.outputTopic));
            partitions.addAll(partitionsOf(reader.consumer, reader.deadLetterTopic));
            reader.consumer.assign(partitions);
            reader.consumer.seekToEnd(partitions);
            // Resolve the end offsets now, before anything is sent: seekToEnd alone is lazy.
            partitions.forEach(p -> reader.consumer.position(p, METADATA_TIMEOUT));
        } catch (RuntimeException e) {
            reader.consumer.close();
            throw e;
        }
        reader.thread.start();
        return reader;
    }

    private static List<TopicPartition> partitionsOf(Consumer<String, byte[]> consumer, String topic) {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, METADATA_TIMEOUT);
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalArgumentException("topic " + topic + " does not exist");
        }
        return partitions.stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
    }

    private void pollLoop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                long readMicros = clock.epochMicros();
                for (ConsumerRecord<String, byte[]> record : records) {
                    accept(record, readMicros);
                }
            }
        } catch (WakeupException e) {
            LOG.debug("Result reader woken up to stop", e);
        } catch (RuntimeException e) {
            failure.set(e);
            LOG.error("The result reader failed", e);
        } finally {
            consumer.close();
        }
    }

    private void accept(ConsumerRecord<String, byte[]> record, long readMicros) {
        long index = ids.indexOf(record.key());
        if (index < 0) {
            return;
        }
        if (record.topic().equals(deadLetterTopic)) {
            tracker.deadLetter(index);
            return;
        }
        if (!record.topic().equals(outputTopic) || record.value() == null) {
            return;
        }
        try {
            SentimentEvent event = codec.decode(record.value());
            tracker.result(
                    index,
                    event.getEventTime().toEpochMilli(),
                    event.getClassifiedAt().toEpochMilli(),
                    readMicros,
                    StageTimes.of(record.headers(), record.timestamp(), record.timestampType()));
        } catch (RecordDecodingException e) {
            undecodable++;
            LOG.warn(
                    "Skipping result {}-{}@{} that cannot be decoded: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
        }
    }

    /** Stops reading; rethrows a failure of the reading thread. */
    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        thread.join(TimeUnit.SECONDS.toMillis(30));
        RuntimeException e = failure.get();
        if (e != null) {
            throw new IllegalStateException("reading the results failed: " + e.getMessage(), e);
        }
        if (undecodable > 0) {
            LOG.warn("{} result(s) of this run could not be decoded", undecodable);
        }
    }
}
