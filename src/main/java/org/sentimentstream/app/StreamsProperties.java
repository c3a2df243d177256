package org.sentimentstream.app;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.sentimentstream.config.SentimentStreamConfig;

/**
 * The properties for {@code new KafkaStreams(topology, properties)}: the Kafka Streams settings of the
 * configuration ({@link SentimentStreamConfig#kafkaStreamsSettings()}: every pass-through setting unchanged and
 * the Kafka Streams settings defined there, unset ones left to Kafka's defaults) over the defaults the service
 * changes. Kafka Streams' exception handlers keep their fail-fast defaults (the configuration refuses other
 * values): records the topology can reject are dead-lettered by the topology itself, and anything else (a failing
 * model) must stop the task rather than skip records.
 */
public final class StreamsProperties {

    /**
     * Commit interval under at_least_once unless the user sets one (Kafka Streams' default is 30 s). The buffer
     * store's cache holds every deletion made since the last commit, so with 30 s the live heap grows by about
     * 80 MB at 7,000 records/s and G1's young pauses reach 25-80 ms; with 1 s they stay under 15 ms, and a crash
     * replays at most a second of input (docs/PERFORMANCE.md, "Latency by stage").
     */
    public static final long DEFAULT_AT_LEAST_ONCE_COMMIT_INTERVAL_MS = 1000;

    /** Kafka Streams' default poll.ms. */
    private static final long DEFAULT_POLL_MS = 100;
    /** Linger of the service's producer unless the user sets {@code linger.ms}: Kafka Streams' own default is 100 ms. */
    static final long DEFAULT_PRODUCER_LINGER_MS = 5;

    /**
     * Kafka Streams settings whose defaults the service changes, each unless the user sets it (with or without a
     * client prefix); docs/PERFORMANCE.md has the measurements.
     *
     * <ul>
     *   <li>{@code producer.linger.ms} 5 instead of 100: a flushed batch is sent at once (lower latency, no
     *       throughput lost);
     *   <li>{@code max.task.idle.ms} -1 instead of 0: the topology has one input topic, so every task reads one
     *       partition and never waits to order records across partitions; with 0, Kafka Streams 4.4 formats log
     *       text on every check of an empty partition (String.format in PartitionGroup.readyToProcess), about
     *       10% of the service's CPU in a drain.
     * </ul>
     */
    static final Map<String, Object> SERVICE_DEFAULTS = Map.of(
            StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG),
            DEFAULT_PRODUCER_LINGER_MS,
            StreamsConfig.MAX_TASK_IDLE_MS_CONFIG,
            StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);

    private StreamsProperties() {}

    /** The properties of Kafka Streams for this configuration. */
    @SuppressWarnings("deprecation") // the global handler switch goes away when Kafka 5 enables it for good
    public static Properties of(SentimentStreamConfig config) {
        Properties properties = new Properties();
        // No global stores here; opting in silences Kafka 4.4's start-up warning and matches Kafka 5.
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // An idle stream thread blocks in poll() for poll.ms (default 100) before it punctuates; keep
        // that wait within the linger so that a partly filled batch is not held much longer.
        properties.put(
                StreamsConfig.POLL_MS_CONFIG,
                Math.min(DEFAULT_POLL_MS, config.batchLinger().toMillis()));
        Map<String, Object> passThrough = config.passThroughSettings();
        SERVICE_DEFAULTS.forEach((name, value) -> {
            if (!isSetByUser(passThrough, name)) {
                properties.put(name, value);
            }
        });
        properties.putAll(config.kafkaStreamsSettings());
        if (config.commitInterval().isEmpty() && StreamsConfig.AT_LEAST_ONCE.equals(config.processingGuarantee())) {
            properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, DEFAULT_AT_LEAST_ONCE_COMMIT_INTERVAL_MS);
        }
        return properties;
    }

    /** Whether the user set a Kafka setting, under its own name or (for a client setting) without its prefix. */
    private static boolean isSetByUser(Map<String, Object> passThrough, String name) {
        if (passThrough.containsKey(name)) {
            return true;
        }
        for (String prefix : SentimentStreamConfig.KAFKA_PREFIXES) {
            if (name.startsWith(prefix) && passThrough.containsKey(name.substring(prefix.length()))) {
                return true;
            }
        }
        return false;
    }
}
