package org.sentimentstream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.test.TestRecord;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.serde.TestEvents;

class MicroBatchingTest {

    private static final Duration LINGER = Duration.ofMillis(100);

    private final KeywordClassifier classifier = new KeywordClassifier();

    private static TopologySettings batchesOf(int maxRecords) {
        return new TopologySettings(Topics.defaults(), maxRecords, LINGER, 4096, false);
    }

    private static void sendNumbered(TopologyHarness harness, int from, int to) {
        for (int i = from; i < to; i++) {
            harness.send("k" + i, TestEvents.text("id-" + i, i % 2 == 0 ? "a good day " + i : "a bad day " + i));
        }
    }

    private static List<String> keys(List<TestRecord<String, SentimentEvent>> results) {
        return results.stream().map(TestRecord::key).toList();
    }

    @Test
    void shouldClassifyABatchAsSoonAsItIsFullWithOneModelCall() {
        try (TopologyHarness harness = new TopologyHarness(batchesOf(3), classifier)) {
            sendNumbered(harness, 0, 2);
            assertThat(harness.output.isEmpty()).isTrue();
            assertThat(classifier.batchSizes()).isEmpty();

            sendNumbered(harness, 2, 3);

            assertThat(keys(harness.results())).containsExactly("k0", "k1", "k2");
            assertThat(classifier.batchSizes()).containsExactly(3);
        }
    }

    @Test
    void shouldClassifyABatchAsSoonAsItsBufferedBytesReachTheByteLimit() {
        // About 2,100 bytes per record: the third one passes 5,000 bytes, long before 128 records.
        String padding = "x".repeat(2000);
        try (TopologyHarness harness =
                new TopologyHarness(batchesOf(128).withByteLimits(5000, 1024 * 1024), classifier)) {
            harness.send("k0", TestEvents.text("id-0", "a good day " + padding));
            harness.send("k1", TestEvents.text("id-1", "a bad day " + padding));
            assertThat(harness.output.isEmpty()).isTrue();

            harness.send("k2", TestEvents.text("id-2", "a good day " + padding));

            assertThat(keys(harness.results())).containsExactly("k0", "k1", "k2");
            assertThat(classifier.batchSizes()).containsExactly(3);
            assertThat(harness.bufferedKeys()).isEmpty();
        }
    }

    @Test
    void shouldDeadLetterARecordWhoseOutputWouldBeTooLargeRatherThanFailItsWrite() {
        TopologySettings settings = new TopologySettings(Topics.defaults(), 1, LINGER, 4096, true);
        byte[] input = Topics.defaults().inputCodec().encode(TestEvents.text("id-0", "a good day"));
        // The input fits; its output adds a label, probabilities and the model's name, and echoes the text.
        int limit = input.length + 16;
        try (TopologyHarness harness = new TopologyHarness(settings.withByteLimits(1024 * 1024, limit), classifier)) {
            harness.send("k0", TestEvents.text("id-0", "a good day"));

            assertThat(harness.output.isEmpty()).isTrue();
            List<TestRecord<byte[], byte[]>> deadLetters = harness.deadLetters.readRecordsToList();
            assertThat(deadLetters).singleElement().satisfies(deadLetter -> {
                assertThat(DeadLetterTest.header(deadLetter.headers(), DeadLetterHeaders.REASON))
                        .isEqualTo("RECORD_TOO_LARGE");
                assertThat(DeadLetterTest.header(deadLetter.headers(), DeadLetterHeaders.MESSAGE))
                        .contains("output record");
            });
            assertThat(harness.bufferedKeys()).isEmpty();
        }
    }

    @Test
    void shouldFlushAPartialBatchOnceTheOldestRecordIsOlderThanTheLingerAndNotBefore() {
        try (TopologyHarness harness = new TopologyHarness(batchesOf(32), classifier)) {
            sendNumbered(harness, 0, 2);

            harness.advance(LINGER.minusMillis(1));
            assertThat(harness.output.isEmpty()).isTrue();
            assertThat(classifier.batchSizes()).isEmpty();

            harness.advance(Duration.ofMillis(1));
            assertThat(keys(harness.results())).containsExactly("k0", "k1");
            assertThat(classifier.batchSizes()).containsExactly(2);

            harness.advance(LINGER.multipliedBy(3));
            assertThat(classifier.batchSizes()).as("nothing left to classify").containsExactly(2);
        }
    }

    @Test
    void shouldKeepKeysAndInputOrderAcrossBatches() {
        try (TopologyHarness harness = new TopologyHarness(batchesOf(4), classifier)) {
            sendNumbered(harness, 0, 10);
            harness.advance(LINGER);

            List<TestRecord<String, SentimentEvent>> results = harness.results();

            List<String> expectedKeys =
                    IntStream.range(0, 10).mapToObj(i -> "k" + i).toList();
            assertThat(keys(results)).isEqualTo(expectedKeys);
            assertThat(results)
                    .extracting(r -> r.value().getId())
                    .isEqualTo(IntStream.range(0, 10).mapToObj(i -> "id-" + i).toList());
            assertThat(results)
                    .extracting(r -> r.value().getLabel())
                    .containsExactly(
                            "positive",
                            "negative",
                            "positive",
                            "negative",
                            "positive",
                            "negative",
                            "positive",
                            "negative",
                            "positive",
                            "negative");
            assertThat(classifier.batchSizes()).containsExactly(4, 4, 2);
        }
    }

    @Test
    void shouldCallTheModelForEachRecordWhenBatchesHoldOneRecord() {
        try (TopologyHarness harness = new TopologyHarness(batchesOf(1), classifier)) {
            sendNumbered(harness, 0, 3);

            assertThat(harness.results()).hasSize(3);
            assertThat(classifier.batchSizes()).containsExactly(1, 1, 1);
        }
    }

    @Test
    void shouldHoldBufferedRecordsInTheStoreAndItsChangelogUntilClassified() {
        try (TopologyHarness harness = new TopologyHarness(batchesOf(5), classifier)) {
            byte[] firstValue = harness.send("k0", TestEvents.text("id-0", "good"));
            sendNumbered(harness, 1, 3);

            assertThat(harness.bufferedKeys()).hasSize(3);
            BufferedRecord first = harness.buffer().get(BufferedRecord.storeKey(0, 0));
            assertThat(first.value()).isEqualTo(firstValue);
            assertThat(first.key()).isEqualTo(TopologyHarness.bytes("k0"));
            List<KeyValue<String, BufferedRecord>> logged = harness.changelog.readKeyValuesToList();
            assertThat(logged)
                    .extracting(kv -> kv.key)
                    .containsExactly(
                            BufferedRecord.storeKey(0, 0),
                            BufferedRecord.storeKey(0, 1),
                            BufferedRecord.storeKey(0, 2));
            assertThat(logged).allSatisfy(kv -> assertThat(kv.value).isNotNull());

            harness.advance(LINGER);

            assertThat(harness.results()).hasSize(3);
            assertThat(harness.bufferedKeys()).isEmpty();
            assertThat(harness.changelog.readKeyValuesToList())
                    .as("each classified record is deleted from the changelog")
                    .extracting(kv -> kv.key, kv -> kv.value)
                    .containsExactly(
                            Tuple.tuple(BufferedRecord.storeKey(0, 0), null),
                            Tuple.tuple(BufferedRecord.storeKey(0, 1), null),
                            Tuple.tuple(BufferedRecord.storeKey(0, 2), null));
        }
    }

    @Test
    void shouldKeepRecordsBufferedWhenTheModelFailsAndClassifyThemOnceItRecovers() {
        try (TopologyHarness harness = new TopologyHarness(batchesOf(2), classifier)) {
            classifier.setFailing(true);
            sendNumbered(harness, 0, 1);

            assertThatThrownBy(() -> sendNumbered(harness, 1, 2))
                    .isInstanceOf(StreamsException.class)
                    .hasRootCauseMessage("test double: the model is down");
            assertThat(harness.output.isEmpty()).isTrue();
            assertThat(harness.deadLetters.isEmpty()).isTrue();
            assertThat(harness.bufferedKeys()).hasSize(2);

            classifier.setFailing(false);
            harness.advance(LINGER);

            assertThat(keys(harness.results())).containsExactly("k0", "k1");
            assertThat(harness.bufferedKeys()).isEmpty();
        }
    }

    @Test
    void shouldDecodeAndTokenizeEachRecordOnceOnItsWayThrough() {
        try (TopologyHarness harness = new TopologyHarness(batchesOf(4), classifier)) {
            sendNumbered(harness, 0, 10);
            harness.advance(LINGER);

            assertThat(harness.results()).hasSize(10);
            assertThat(classifier.tokenizeCalls()).isEqualTo(10);
        }
    }

    @Test
    void shouldDeadLetterTheRecordTheModelFailsOnAndClassifyTheRestOfItsBatch() {
        try (TopologyHarness harness = new TopologyHarness(batchesOf(8), classifier)) {
            sendNumbered(harness, 0, 3);
            byte[] poison = harness.send("k3", TestEvents.text("id-3", "a " + KeywordClassifier.POISON + " pill"));
            sendNumbered(harness, 4, 8);

            assertThat(keys(harness.results())).containsExactly("k0", "k1", "k2", "k4", "k5", "k6", "k7");
            List<TestRecord<byte[], byte[]>> deadLetters = harness.deadLetters.readRecordsToList();
            assertThat(deadLetters).hasSize(1);
            TestRecord<byte[], byte[]> deadLetter = deadLetters.get(0);
            assertThat(deadLetter.value()).isEqualTo(poison);
            assertThat(DeadLetterTest.header(deadLetter.headers(), DeadLetterHeaders.REASON))
                    .isEqualTo(RejectReason.MODEL_ERROR.name());
            assertThat(DeadLetterTest.header(deadLetter.headers(), DeadLetterHeaders.SOURCE_OFFSET))
                    .isEqualTo("3");
            assertThat(DeadLetterTest.header(deadLetter.headers(), DeadLetterHeaders.EXCEPTION))
                    .isEqualTo("org.sentimentstream.model.InferenceException");
            assertThat(harness.bufferedKeys()).isEmpty();
        }
    }

    @Test
    void shouldStopWithTheBatchStillBufferedWhenTheModelFailsOnEverything() {
        try (TopologyHarness harness = new TopologyHarness(batchesOf(2), classifier)) {
            classifier.setBroken(true);
            sendNumbered(harness, 0, 1);

            assertThatThrownBy(() -> sendNumbered(harness, 1, 2))
                    .isInstanceOf(StreamsException.class)
                    .hasRootCauseInstanceOf(org.sentimentstream.model.InferenceException.class)
                    .satisfies(e -> assertThat(e).hasStackTraceContaining("fails on every input"));
            assertThat(harness.output.isEmpty()).isTrue();
            assertThat(harness.deadLetters.isEmpty())
                    .as("nothing dead-lettered")
                    .isTrue();
            assertThat(harness.bufferedKeys()).hasSize(2);

            classifier.setBroken(false);
            harness.advance(LINGER);

            assertThat(keys(harness.results())).containsExactly("k0", "k1");
        }
    }
}
