package org.sentimentstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.serde.FieldMapping;
import org.sentimentstream.serde.InputShape;
import org.sentimentstream.serde.OutputMode;
import org.sentimentstream.serde.WireFormat;

/**
 * The input shapes of issue 17 through the whole topology: plain text (id from the key or the coordinates,
 * time from the timestamp), any JSON object by field path, and the enriched JSON output.
 */
class InputShapesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final KeywordClassifier classifier = new KeywordClassifier();

    private static TopologySettings settings(WireFormat inputFormat, InputShape shape, OutputMode mode) {
        Topics topics = Topics.defaults().withFormats(WireFormat.JSON, WireFormat.JSON);
        return new TopologySettings(
                topics.withShapes(inputFormat, shape, mode), 1, Duration.ofMillis(100), 4096, false);
    }

    private static TopologySettings plainText() {
        return settings(null, InputShape.PLAIN_TEXT, OutputMode.EVENT);
    }

    private static TopologySettings jsonFields(FieldMapping mapping, OutputMode mode) {
        return settings(WireFormat.JSON, InputShape.fields(mapping), mode);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String reasonOf(TopologyHarness harness) {
        return DeadLetterTest.header(harness.deadLetters.readRecord().headers(), DeadLetterHeaders.REASON);
    }

    @Nested
    class PlainText {

        @Test
        void shouldTakeTheIdFromAUtf8KeyAndTheTimeFromTheRecordTimestamp() {
            try (TopologyHarness harness = new TopologyHarness(plainText(), classifier)) {
                harness.sendRaw(utf8("ticket-7"), utf8("I love this keyboard"), new RecordHeaders());

                SentimentEvent event = harness.results().get(0).value();
                assertThat(event.getId()).isEqualTo("ticket-7");
                assertThat(event.getLabel()).isEqualTo("positive");
                assertThat(event.getEventTime()).isEqualTo(TopologyHarness.RECORD_TIME);
            }
        }

        @Test
        void shouldNameARecordWithoutAKeyByItsTopicPartitionAndOffset() {
            try (TopologyHarness harness = new TopologyHarness(plainText(), classifier)) {
                harness.sendRaw(null, utf8("good"), new RecordHeaders());
                harness.sendRaw(new byte[0], utf8("bad"), new RecordHeaders());

                assertThat(harness.results())
                        .extracting(r -> r.value().getId())
                        .containsExactly("text-events-0-0", "text-events-0-1");
            }
        }

        @Test
        void shouldWriteABinaryKeyAsHexInTheId() {
            try (TopologyHarness harness = new TopologyHarness(plainText(), classifier)) {
                harness.sendRaw(new byte[] {(byte) 0xff, 0x00, 0x7f}, utf8("great"), new RecordHeaders());

                assertThat(harness.results().get(0).value().getId()).isEqualTo("hex:ff007f");
            }
        }

        @Test
        void shouldDeadLetterAValueThatIsNotUtf8WithItsBytesUntouched() {
            byte[] latin1 = "caf\u00e9 is good".getBytes(StandardCharsets.ISO_8859_1);
            try (TopologyHarness harness = new TopologyHarness(plainText(), classifier)) {
                harness.sendRaw(utf8("k"), latin1, new RecordHeaders());
                harness.sendRaw(utf8("k2"), utf8("still good"), new RecordHeaders());

                TestRecord<byte[], byte[]> deadLetter = harness.deadLetters.readRecord();
                assertThat(deadLetter.value()).isEqualTo(latin1);
                assertThat(DeadLetterTest.header(deadLetter.headers(), DeadLetterHeaders.REASON))
                        .isEqualTo(RejectReason.UNDECODABLE.name());
                assertThat(DeadLetterTest.header(deadLetter.headers(), DeadLetterHeaders.MESSAGE))
                        .contains("not valid UTF-8");
                assertThat(harness.results()).extracting(r -> r.value().getId()).containsExactly("k2");
            }
        }

        @Test
        void shouldDeadLetterAnEmptyLineAsEmptyText() {
            try (TopologyHarness harness = new TopologyHarness(plainText(), classifier)) {
                harness.sendRaw(utf8("k"), utf8("   "), new RecordHeaders());

                assertThat(reasonOf(harness)).isEqualTo(RejectReason.EMPTY_TEXT.name());
            }
        }
    }

    @Nested
    class JsonByField {

        private final FieldMapping nested = FieldMapping.of("message.content.text", "meta.ticket", "meta.at");

        @Test
        void shouldClassifyTheTextAtANestedPathWithItsIdAndTime() {
            try (TopologyHarness harness = new TopologyHarness(jsonFields(nested, OutputMode.EVENT), classifier)) {
                harness.sendRaw(
                        utf8("key"),
                        utf8("{\"message\":{\"content\":{\"text\":\"I hate waiting\",\"lang\":\"en\"}},"
                                + "\"meta\":{\"ticket\":4711,\"at\":\"2026-03-01T10:00:00Z\"},\"tags\":[1,2]}"),
                        new RecordHeaders());

                SentimentEvent event = harness.results().get(0).value();
                assertThat(event.getId()).isEqualTo("4711");
                assertThat(event.getLabel()).isEqualTo("negative");
                assertThat(event.getEventTime()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
            }
        }

        @Test
        void shouldClassifyWhatTheCommandLineProducersWriteForTheSameMapping() {
            TopologySettings settings = jsonFields(nested, OutputMode.EVENT);
            TextEvent written = TextEvent.newBuilder()
                    .setId("p-1")
                    .setText("I hate waiting")
                    .setEventTime(Instant.parse("2026-03-01T10:00:00Z"))
                    .build();
            byte[] value = settings.topics()
                    .inputSerializer(settings.topics().input())
                    .serialize(settings.topics().input(), written);
            try (TopologyHarness harness = new TopologyHarness(settings, classifier)) {
                harness.sendRaw(utf8("p-1"), value, new RecordHeaders());

                SentimentEvent event = harness.results().get(0).value();
                assertThat(event.getId()).isEqualTo("p-1");
                assertThat(event.getLabel()).isEqualTo("negative");
                assertThat(event.getEventTime()).isEqualTo(written.getEventTime());
                assertThat(harness.deadLetters.isEmpty()).isTrue();
            }
        }

        @Test
        void shouldFallBackToTheKeyAndTimestampWhenTheIdAndTimeAreAbsentOrNull() {
            try (TopologyHarness harness = new TopologyHarness(jsonFields(nested, OutputMode.EVENT), classifier)) {
                harness.sendRaw(
                        utf8("the-key"),
                        utf8("{\"message\":{\"content\":{\"text\":\"good\"}},\"meta\":{\"ticket\":null}}"),
                        new RecordHeaders());

                SentimentEvent event = harness.results().get(0).value();
                assertThat(event.getId()).isEqualTo("the-key");
                assertThat(event.getEventTime()).isEqualTo(TopologyHarness.RECORD_TIME);
            }
        }

        @Test
        void shouldDeadLetterEachBadShapeWithItsOwnReasonAndKeepTheGoodOnes() {
            List<KeyValue<String, RejectReason>> cases = List.of(
                    KeyValue.pair("{\"message\":{\"content\":{}}}", RejectReason.FIELD_MISSING),
                    KeyValue.pair("{\"message\":null}", RejectReason.FIELD_MISSING),
                    KeyValue.pair("{\"message\":{\"content\":{\"text\":42}}}", RejectReason.FIELD_WRONG_TYPE),
                    KeyValue.pair(
                            "{\"message\":{\"content\":{\"text\":{\"nested\":\"x\"}}}}", RejectReason.FIELD_WRONG_TYPE),
                    KeyValue.pair("{\"message\":[{\"content\":{\"text\":\"good\"}}]}", RejectReason.FIELD_WRONG_TYPE),
                    KeyValue.pair("{\"message\":\"good\"}", RejectReason.FIELD_WRONG_TYPE),
                    KeyValue.pair(
                            "{\"message\":{\"content\":{\"text\":\"good\"}},\"meta\":{\"ticket\":[1]}}",
                            RejectReason.FIELD_WRONG_TYPE),
                    KeyValue.pair(
                            "{\"message\":{\"content\":{\"text\":\"good\"}},\"meta\":{\"at\":\"yesterday\"}}",
                            RejectReason.FIELD_WRONG_TYPE),
                    KeyValue.pair("[\"good\"]", RejectReason.UNDECODABLE),
                    KeyValue.pair("\"good\"", RejectReason.UNDECODABLE),
                    KeyValue.pair("{\"a\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(41), RejectReason.UNDECODABLE),
                    KeyValue.pair("{\"message\":{\"content\":{\"text\":\"\\ud800 good\"}}}", RejectReason.UNDECODABLE));
            try (TopologyHarness harness = new TopologyHarness(jsonFields(nested, OutputMode.EVENT), classifier)) {
                for (KeyValue<String, RejectReason> bad : cases) {
                    harness.sendRaw(utf8("bad"), utf8(bad.key), new RecordHeaders());
                    harness.sendRaw(
                            utf8("good"), utf8("{\"message\":{\"content\":{\"text\":\"good\"}}}"), new RecordHeaders());
                }

                for (KeyValue<String, RejectReason> bad : cases) {
                    TestRecord<byte[], byte[]> deadLetter = harness.deadLetters.readRecord();
                    assertThat(deadLetter.value()).as(bad.key).isEqualTo(utf8(bad.key));
                    assertThat(DeadLetterTest.header(deadLetter.headers(), DeadLetterHeaders.REASON))
                            .as(bad.key)
                            .isEqualTo(bad.value.name());
                }
                assertThat(harness.results()).hasSize(cases.size());
            }
        }

        @Test
        void shouldDeadLetterAHugeObjectInsteadOfBufferingIt() {
            String filler = "x".repeat(600 * 1024);
            // A record limit of 512 KiB (a producer max.request.size of 520 KiB): the first record is over it; the
            // second is over the JSON decoder's own bound, which is checked first.
            TopologySettings settings = jsonFields(FieldMapping.text("body"), OutputMode.EVENT)
                    .withByteLimits(SentimentStreamConfig.DEFAULT_BATCH_MAX_BYTES, 512 * 1024);
            try (TopologyHarness harness = new TopologyHarness(settings, classifier)) {
                harness.sendRaw(
                        utf8("k"), utf8("{\"body\":\"good\",\"blob\":\"" + filler + "\"}"), new RecordHeaders());
                harness.sendRaw(
                        utf8("k"),
                        utf8("{\"body\":\"good\",\"blob\":\"" + filler + filler + "\"}"),
                        new RecordHeaders());

                assertThat(reasonOf(harness)).isEqualTo(RejectReason.RECORD_TOO_LARGE.name());
                assertThat(reasonOf(harness)).isEqualTo(RejectReason.UNDECODABLE.name());
                assertThat(harness.bufferedKeys()).isEmpty();
            }
        }
    }

    @Nested
    class EnrichedJson {

        @Test
        void shouldWriteTheInputObjectWithTheSentimentAdded() throws IOException {
            try (TopologyHarness harness = new TopologyHarness(
                    jsonFields(FieldMapping.text("review.body"), OutputMode.ENRICHED), classifier)) {
                harness.sendRaw(
                        utf8("r1"),
                        utf8("{\"review\":{\"body\":\"I love it\",\"stars\":5},\"product\":\"p-9\"}"),
                        new RecordHeaders());

                JsonNode out = JSON.readTree(harness.output.readRecord().value());
                assertThat(out.path("review").path("stars").asInt()).isEqualTo(5);
                assertThat(out.path("product").asText()).isEqualTo("p-9");
                JsonNode sentiment = out.path("sentiment");
                assertThat(sentiment.path("label").asText()).isEqualTo("positive");
                assertThat(sentiment.path("probabilities").path("positive").floatValue())
                        .isEqualTo(0.9f);
                assertThat(sentiment.path("model_name").asText()).isEqualTo(KeywordClassifier.INFO.name());
                assertThat(sentiment.path("model_version").asText()).isEqualTo(KeywordClassifier.INFO.version());
                assertThat(sentiment.path("classified_at").asLong())
                        .isEqualTo(TopologyHarness.CLASSIFIED_AT.toEpochMilli());
            }
        }

        @Test
        void shouldEnrichARecordRestoredFromTheChangelogByDecodingItAgain() throws IOException {
            TopologySettings settings = new TopologySettings(
                    jsonFields(FieldMapping.text("body"), OutputMode.ENRICHED).topics(),
                    10,
                    Duration.ofMillis(100),
                    4096,
                    false);
            List<KeyValue<String, BufferedRecord>> changelog;
            try (TopologyHarness crashed = new TopologyHarness(settings, classifier)) {
                crashed.sendRaw(utf8("k"), utf8("{\"body\":\"a bad day\",\"n\":1}"), new RecordHeaders());
                changelog = crashed.changelog.readKeyValuesToList();
            }
            RestoredBufferTest.Restarted restarted = new RestoredBufferTest.Restarted(settings, classifier, changelog);
            restarted.lingerPasses();

            List<byte[]> outputs = restarted.context.forwarded(SentimentTopology.OUTPUT_SINK).stream()
                    .map(forward -> (byte[]) forward.record().value())
                    .toList();
            assertThat(outputs).hasSize(1);
            JsonNode out = JSON.readTree(outputs.get(0));
            assertThat(out.path("n").asInt()).isEqualTo(1);
            assertThat(out.path("sentiment").path("label").asText()).isEqualTo("negative");
        }
    }
}
