package org.sentimentstream.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from the beginning in a background thread (read_committed, no consumer group) and
 * keeps every record, so a test can wait for a condition on what has arrived.
 */
final class OutputCollector<T> implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Function<ConsumerRecord<byte[], byte[]>, T> decoder;
    private final List<T> records = new ArrayList<>();
    /** When each record arrived (System.nanoTime), in the order of {@link #records}. */
    private final List<Long> arrivals = new ArrayList<>();

    private final Thread thread;
    private volatile RuntimeException failure;

    OutputCollector(String bootstrapServers, String topic, Function<ConsumerRecord<byte[], byte[]>, T> decoder) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "it-collector-" + UUID.randomUUID());
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.decoder = decoder;
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::pollLoop, "it-collector-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void pollLoop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                List<T> batch = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    batch.add(decoder.apply(record));
                }
                long now = System.nanoTime();
                synchronized (this) {
                    records.addAll(batch);
                    batch.forEach(r -> arrivals.add(now));
                    notifyAll();
                }
            }
        } catch (WakeupException e) {
            // close() asked the loop to stop.
        } catch (RuntimeException e) {
            failure = e;
            synchronized (this) {
                notifyAll();
            }
        } finally {
            consumer.close();
        }
    }

    /** A copy of what has arrived so far. */
    synchronized List<T> records() {
        rethrow();
        return List.copyOf(records);
    }

    /** Waits until {@code condition} holds on what has arrived; returns what has arrived then (or at the timeout). */
    synchronized List<T> awaitUntil(Predicate<Collection<T>> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(records)) {
            rethrow();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return List.copyOf(records);
    }

    /** The number of records that have arrived so far. */
    synchronized int size() {
        rethrow();
        return records.size();
    }

    /** Waits until at least {@code count} records have arrived; returns whether they had within the timeout. */
    synchronized boolean awaitSize(int count, Duration timeout) throws InterruptedException {
        return awaitUntil(r -> r.size() >= count, timeout).size() >= count;
    }

    /**
     * The longest time between two consecutive arrivals among the records from index {@code from} on (the
     * collector polls every 200 ms at most, so shorter gaps read as up to 200 ms): how long the output stalled.
     */
    synchronized Duration longestGapSince(int from) {
        return longestGapSince(from, r -> true);
    }

    /** As {@link #longestGapSince(int)}, among the records that {@code which} selects (a partition's, say). */
    synchronized Duration longestGapSince(int from, Predicate<T> which) {
        long longest = 0;
        Long previous = null;
        for (int i = Math.max(0, from); i < arrivals.size(); i++) {
            if (which.test(records.get(i))) {
                if (previous != null) {
                    longest = Math.max(longest, arrivals.get(i) - previous);
                }
                previous = arrivals.get(i);
            }
        }
        return Duration.ofNanos(longest);
    }

    private void rethrow() {
        if (failure != null) {
            throw new IllegalStateException("the collector failed: " + failure.getMessage(), failure);
        }
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }
}
