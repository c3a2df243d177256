package org.sentimentstream.stream;

import java.time.Clock;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.sentimentstream.model.SentimentClassifier;

/**
 * The stream processing topology, built without starting anything:
 *
 * <pre>
 * input topic (bytes) --&gt; classify --rejected (on arrival) or model error--&gt; dead-letter topic
 *                              |       (original bytes + headers)
 *                              |  [store: batch buffer, cached, changelogged]
 *                              v
 *                         output topic
 * </pre>
 *
 * Keys and values travel as bytes from source to sinks: decoding happens inside the processor, so a bad
 * record can never make a deserializer fail, and dead letters keep the exact input bytes.
 */
public final class SentimentTopology {

    public static final String SOURCE = "text-events-source";
    public static final String CLASSIFIER = "classify";
    public static final String OUTPUT_SINK = "sentiment-events-sink";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";
    /** The batch buffer; its changelog topic is {@link #bufferChangelogTopic(String)}. */
    public static final String BUFFER_STORE = "sentiment-batch-buffer";

    /**
     * The buffer changelog's topic settings: small segments, so that compaction keeps the topic
     * (and a restore) close to the size of the buffer instead of the whole history of puts and
     * deletes; and tombstones kept one hour instead of the broker's default day. The store is cached,
     * so a record taken within a commit interval reaches the changelog only as a tombstone: the
     * changelog is nearly all tombstones, one per record ever buffered, which compaction keeps for
     * {@code delete.retention.ms}. With the default (24 h) the topic, and every restore of the
     * in-memory buffer, grew with a day of traffic (the 15-minute soak, docs/RELIABILITY.md). The
     * hour also bounds how long a restore from the start may take and still see every tombstone.
     */
    static final Map<String, String> BUFFER_CHANGELOG_CONFIG = Map.of(
            "segment.ms", "600000",
            "segment.bytes", Integer.toString(64 * 1024 * 1024),
            "min.cleanable.dirty.ratio", "0.1",
            "delete.retention.ms", "3600000");

    private SentimentTopology() {}

    /** Name of the changelog topic of the batch buffer for an application id. */
    public static String bufferChangelogTopic(String applicationId) {
        return applicationId + "-" + BUFFER_STORE + "-changelog";
    }

    /**
     * Builds the topology, recording no metrics.
     *
     * @see #build(TopologySettings, SentimentClassifier, Clock, ProcessingMetrics)
     */
    public static Topology build(TopologySettings settings, SentimentClassifier classifier, Clock clock) {
        return build(settings, classifier, clock, ProcessingMetrics.NONE);
    }

    /**
     * Builds the topology.
     *
     * @param settings   topics, formats, batching and validation settings
     * @param classifier the model; shared by all tasks and threads (it is thread-safe)
     * @param clock      the clock of {@code classified_at}; the linger is measured on Kafka Streams'
     *                   wall clock, which drives the punctuation
     * @param metrics    what the processor reports as it works
     */
    public static Topology build(
            TopologySettings settings, SentimentClassifier classifier, Clock clock, ProcessingMetrics metrics) {
        ByteArrayDeserializer bytesIn = new ByteArrayDeserializer();
        ByteArraySerializer bytesOut = new ByteArraySerializer();
        // Cached: a record put and deleted between two commits reaches the changelog once (a tombstone).
        StoreBuilder<KeyValueStore<String, BufferedRecord>> buffer = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(BUFFER_STORE), Serdes.String(), new BufferedRecordSerde())
                .withLoggingEnabled(BUFFER_CHANGELOG_CONFIG)
                .withCachingEnabled();
        Topics topics = settings.topics();
        return new Topology()
                .addSource(SOURCE, bytesIn, bytesIn, topics.input())
                .addProcessor(CLASSIFIER, () -> new ClassifyProcessor(settings, classifier, clock, metrics), SOURCE)
                .addStateStore(buffer, CLASSIFIER)
                .addSink(OUTPUT_SINK, topics.output(), bytesOut, bytesOut, CLASSIFIER)
                .addSink(DEAD_LETTER_SINK, topics.deadLetter(), bytesOut, bytesOut, CLASSIFIER);
    }
}
