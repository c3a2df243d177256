package org.sentimentstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.sentimentstream.serde.RecordDecodingException;
import org.sentimentstream.serde.TestEvents;
import org.sentimentstream.serde.WireFormat;

/**
 * The processor over a buffer that Kafka Streams restored from its changelog after a crash: Kafka Streams
 * restores the store first and initialises the processor after, which {@link MockProcessorContext} lets a
 * test reproduce (the TopologyTestDriver initialises before anything can be put in a store).
 */
class RestoredBufferTest {

    private static final Duration LINGER = Duration.ofMillis(100);
    private static final long NOW = TopologyHarness.WALL_CLOCK_START.toEpochMilli();

    private final KeywordClassifier classifier = new KeywordClassifier();

    private static TopologySettings batchesOf(int maxRecords) {
        return new TopologySettings(Topics.defaults(), maxRecords, LINGER, 4096, false);
    }

    /** The changelog entries a crashed instance left: records sent but never classified. */
    private static List<KeyValue<String, BufferedRecord>> changelogAfterCrash(int records) {
        KeywordClassifier crashedModel = new KeywordClassifier();
        try (TopologyHarness crashed = new TopologyHarness(batchesOf(records + 1), crashedModel)) {
            send(crashed, 0, records);
            assertThat(crashed.output.isEmpty()).isTrue();
            return crashed.changelog.readKeyValuesToList();
        }
    }

    private static void send(TopologyHarness harness, int from, int to) {
        for (int i = from; i < to; i++) {
            harness.send("k" + i, TestEvents.text("id-" + i, "a good day " + i));
        }
    }

    /** A processor initialised over a store holding the given entries, as after a restore. */
    static final class Restarted {
        final MockProcessorContext<byte[], byte[]> context = new MockProcessorContext<>();
        final ClassifyProcessor processor;

        @SuppressWarnings("deprecation") // the store's init(StateStoreContext, StateStore) is the documented way
        Restarted(TopologySettings settings, KeywordClassifier model, List<KeyValue<String, BufferedRecord>> restored) {
            KeyValueStore<String, BufferedRecord> store = Stores.keyValueStoreBuilder(
                            Stores.inMemoryKeyValueStore(SentimentTopology.BUFFER_STORE),
                            Serdes.String(),
                            new BufferedRecordSerde())
                    .withLoggingDisabled()
                    .build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
            restored.forEach(entry -> store.put(entry.key, entry.value));
            context.setCurrentSystemTimeMs(NOW);
            processor = new ClassifyProcessor(
                    settings,
                    model,
                    Clock.fixed(TopologyHarness.CLASSIFIED_AT, ZoneOffset.UTC),
                    ProcessingMetrics.NONE);
            processor.init(context);
        }

        void replay(int offset) {
            context.setRecordMetadata(Topics.defaults().input(), 0, offset);
            byte[] value =
                    Topics.defaults().inputCodec().encode(TestEvents.text("id-" + offset, "a good day " + offset));
            processor.process(
                    new Record<>(("k" + offset).getBytes(StandardCharsets.UTF_8), value, 0L, new RecordHeaders()));
        }

        void lingerPasses() {
            context.setCurrentSystemTimeMs(NOW + LINGER.toMillis());
            context.scheduledPunctuators().get(0).getPunctuator().punctuate(NOW + LINGER.toMillis());
        }

        List<String> outputIds() {
            return context.forwarded(SentimentTopology.OUTPUT_SINK).stream()
                    .map(forward -> {
                        try {
                            return Topics.defaults()
                                    .outputCodec()
                                    .decode(forward.record().value())
                                    .getId();
                        } catch (RecordDecodingException e) {
                            throw new AssertionError(e);
                        }
                    })
                    .toList();
        }
    }

    @Test
    void shouldEmitRestoredRecordsAfterTheLingerEvenWithoutNewInput() {
        Restarted restarted = new Restarted(batchesOf(5), classifier, changelogAfterCrash(2));

        restarted.lingerPasses();

        assertThat(restarted.outputIds()).containsExactly("id-0", "id-1");
        assertThat(classifier.tokenizeCalls())
                .as("each restored record tokenized once")
                .isEqualTo(2);
    }

    @Test
    void shouldNotDuplicateRecordsWhenRestartedOverTheRestoredBufferAndReplayedInput() {
        Restarted restarted = new Restarted(batchesOf(5), classifier, changelogAfterCrash(3));

        // The input is re-delivered from the last committed offset (none here: offsets 0-2 again) ...
        for (int offset = 0; offset < 5; offset++) {
            restarted.replay(offset);
        }

        // ... and each replayed record replaced its restored copy instead of adding a second one.
        assertThat(restarted.outputIds()).containsExactly("id-0", "id-1", "id-2", "id-3", "id-4");
        assertThat(classifier.batchSizes()).containsExactly(5);
    }

    @Test
    void shouldNeverSendMoreThanTheMaximumToTheModelWhenMoreAreBuffered() {
        // A restart with a smaller batch.max.records over a buffer of 7.
        Restarted restarted = new Restarted(batchesOf(3), classifier, changelogAfterCrash(7));

        restarted.lingerPasses();

        assertThat(restarted.outputIds()).hasSize(7);
        assertThat(classifier.batchSizes()).containsExactly(3, 3, 1);
    }

    @Test
    void shouldDeadLetterARestoredRecordThatNoLongerPassesItsChecks() {
        // A restart with a lower text.max.bytes than the records were buffered under.
        TopologySettings stricter = new TopologySettings(Topics.defaults(), 5, LINGER, 8, false);
        Restarted restarted = new Restarted(stricter, classifier, changelogAfterCrash(2));

        restarted.lingerPasses();

        assertThat(restarted.outputIds()).isEmpty();
        assertThat(restarted.context.forwarded(SentimentTopology.DEAD_LETTER_SINK))
                .extracting(forward -> DeadLetterTest.header(forward.record().headers(), DeadLetterHeaders.REASON))
                .containsExactly("TEXT_TOO_LONG", "TEXT_TOO_LONG");
    }

    @Test
    void shouldDeadLetterARestoredRecordThatNoLongerDecodesWithItsOriginalBytesAndPosition() {
        // A restart with another input.format over a buffer written with the previous one.
        TopologySettings json = new TopologySettings(
                Topics.defaults().withFormats(WireFormat.JSON, WireFormat.AVRO), 5, LINGER, 4096, false);
        byte[] avroValue = Topics.defaults().inputCodec().encode(TestEvents.text("old", "good"));
        byte[] key = "old-key".getBytes(StandardCharsets.UTF_8);
        BufferedRecord old = new BufferedRecord(
                new SourcePosition(Topics.defaults().input(), 3, 41), 5L, NOW, key, avroValue, new Header[0]);
        Restarted restarted =
                new Restarted(json, classifier, List.of(KeyValue.pair(BufferedRecord.storeKey(3, 41), old)));

        restarted.lingerPasses();

        assertThat(restarted.context.forwarded(SentimentTopology.DEAD_LETTER_SINK))
                .singleElement()
                .satisfies(forward -> {
                    Record<? extends byte[], ? extends byte[]> deadLetter = forward.record();
                    assertThat(deadLetter.key()).isEqualTo(key);
                    assertThat(deadLetter.value()).isEqualTo(avroValue);
                    assertThat(DeadLetterTest.header(deadLetter.headers(), DeadLetterHeaders.REASON))
                            .isEqualTo("UNDECODABLE");
                    assertThat(DeadLetterTest.header(deadLetter.headers(), DeadLetterHeaders.SOURCE_PARTITION))
                            .isEqualTo("3");
                    assertThat(DeadLetterTest.header(deadLetter.headers(), DeadLetterHeaders.SOURCE_OFFSET))
                            .isEqualTo("41");
                });
        assertThat(restarted.outputIds()).isEmpty();
    }

    @Test
    void shouldLingerARecordBufferedByAHostWhoseClockWasAheadNoLongerThanTheLinger() {
        // Buffered by a host whose clock ran an hour ahead of this one's.
        byte[] value = Topics.defaults().inputCodec().encode(TestEvents.text("ahead", "good"));
        BufferedRecord ahead = new BufferedRecord(
                new SourcePosition(Topics.defaults().input(), 0, 7),
                5L,
                NOW + Duration.ofHours(1).toMillis(),
                null,
                value,
                new Header[0]);
        Restarted restarted =
                new Restarted(batchesOf(5), classifier, List.of(KeyValue.pair(BufferedRecord.storeKey(0, 7), ahead)));

        restarted.lingerPasses();

        assertThat(restarted.outputIds()).containsExactly("ahead");
    }
}
