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
 * input topic (bytes) --&gt; validate --rejected--&gt; dead-letter topic (original bytes + headers)
 *                              |
 *                          accepted (original bytes)
 *                              v
 *                         micro-batch [store: buffer, changelogged] --&gt; output topic
 *                              \--rejected at classification time--&gt; dead-letter topic
 * </pre>
 *
 * Keys and values travel as bytes from source to sinks: decoding happens inside the processors, so a
 * bad record can never make a deserializer fail, and dead letters keep the exact input bytes.
 */
public final class SentimentTopology {

    public static final String SOURCE = "text-events-source";
    public static final String VALIDATOR = "validate";
    public static final String BATCHER = "micro-batch";
    public static final String OUTPUT_SINK = "sentiment-events-sink";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";
    /** The batch buffer; its changelog topic is {@link #bufferChangelogTopic(String)}. */
    public static final String BUFFER_STORE = "sentiment-batch-buffer";

    /**
     * The buffer changelog's topic settings: small segments, so that compaction keeps the topic
     * (and a restore) close to the size of the buffer instead of the whole history of puts and
     * deletes.
     */
    static final Map<String, String> BUFFER_CHANGELOG_CONFIG = Map.of(
            "segment.ms", "600000",
            "segment.bytes", Integer.toString(64 * 1024 * 1024),
            "min.cleanable.dirty.ratio", "0.1");

    private SentimentTopology() {}

    /** Name of the changelog topic of the batch buffer for an application id. */
    public static String bufferChangelogTopic(String applicationId) {
        return applicationId + "-" + BUFFER_STORE + "-changelog";
    }

    /**
     * Builds the topology.
     *
     * @param settings   topics, formats, batching and validation settings
     * @param classifier the model; shared by all tasks and threads (it is thread-safe)
     * @param clock      the clock of {@code classified_at}; the linger is measured on Kafka Streams'
     *                   wall clock, which drives the punctuation
     */
    public static Topology build(TopologySettings settings, SentimentClassifier classifier, Clock clock) {
        ByteArrayDeserializer bytesIn = new ByteArrayDeserializer();
        ByteArraySerializer bytesOut = new ByteArraySerializer();
        StoreBuilder<KeyValueStore<String, BufferedRecord>> buffer = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(BUFFER_STORE), Serdes.String(), new BufferedRecordSerde())
                .withLoggingEnabled(BUFFER_CHANGELOG_CONFIG)
                .withCachingDisabled();
        Topics topics = settings.topics();
        return new Topology()
                .addSource(SOURCE, bytesIn, bytesIn, topics.input())
                .addProcessor(VALIDATOR, () -> new ValidatingProcessor(settings, classifier), SOURCE)
                .addProcessor(BATCHER, () -> new MicroBatchProcessor(settings, classifier, clock), VALIDATOR)
                .addStateStore(buffer, BATCHER)
                .addSink(OUTPUT_SINK, topics.output(), bytesOut, bytesOut, BATCHER)
                .addSink(DEAD_LETTER_SINK, topics.deadLetter(), bytesOut, bytesOut, VALIDATOR, BATCHER);
    }
}
