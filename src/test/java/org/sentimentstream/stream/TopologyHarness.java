package org.sentimentstream.stream;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.model.SentimentClassifier;

/** A TopologyTestDriver around the sentiment topology, with raw-byte topics and typed helpers. */
final class TopologyHarness implements AutoCloseable {

    static final String APPLICATION_ID = "sentiment-topology-test";
    static final Instant WALL_CLOCK_START = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant CLASSIFIED_AT = Instant.parse("2026-01-01T00:00:07.123Z");
    static final Instant RECORD_TIME = Instant.parse("2025-12-31T23:59:00Z");

    final TopologySettings settings;
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> input;
    final TestOutputTopic<byte[], byte[]> output;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    final TestOutputTopic<String, BufferedRecord> changelog;

    @SuppressWarnings("deprecation") // silences Kafka 4.4's start-up warning; the switch goes away in Kafka 5
    TopologyHarness(TopologySettings settings, SentimentClassifier classifier) {
        this.settings = settings;
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        this.driver = new TopologyTestDriver(
                SentimentTopology.build(settings, classifier, Clock.fixed(CLASSIFIED_AT, ZoneOffset.UTC)),
                properties,
                WALL_CLOCK_START);
        Topics topics = settings.topics();
        this.input = driver.createInputTopic(topics.input(), new ByteArraySerializer(), new ByteArraySerializer());
        this.output =
                driver.createOutputTopic(topics.output(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.deadLetters =
                driver.createOutputTopic(topics.deadLetter(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.changelog = driver.createOutputTopic(
                SentimentTopology.bufferChangelogTopic(APPLICATION_ID),
                new StringDeserializer(),
                new BufferedRecordSerde().deserializer());
    }

    static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** Sends an event with a string key, encoded in the input format; returns the value bytes. */
    byte[] send(String key, TextEvent event) {
        byte[] value = settings.topics().inputCodec().encode(event);
        sendRaw(bytes(key), value, new RecordHeaders());
        return value;
    }

    void sendRaw(byte[] key, byte[] value, Headers headers) {
        input.pipeInput(new TestRecord<>(key, value, headers, RECORD_TIME));
    }

    /** The output records so far, decoded. */
    List<TestRecord<String, SentimentEvent>> results() {
        return output.readRecordsToList().stream()
                .map(r -> new TestRecord<>(
                        r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                        decode(r.value()),
                        r.headers(),
                        r.getRecordTime()))
                .toList();
    }

    private SentimentEvent decode(byte[] value) {
        try {
            return settings.topics().outputCodec().decode(value);
        } catch (Exception e) {
            throw new AssertionError("The output is not a " + settings.topics().outputFormat() + " SentimentEvent", e);
        }
    }

    KeyValueStore<String, BufferedRecord> buffer() {
        return driver.getKeyValueStore(SentimentTopology.BUFFER_STORE);
    }

    /**
     * The keys in the buffer store, cache included (the store's approximateNumEntries counts only what the
     * cache has flushed).
     */
    List<String> bufferedKeys() {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, BufferedRecord> entries = buffer().all()) {
            entries.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
    }

    void advance(Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    @Override
    public void close() {
        driver.close();
    }
}
