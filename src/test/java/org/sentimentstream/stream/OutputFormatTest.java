package org.sentimentstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.serde.TestEvents;
import org.sentimentstream.serde.WireFormat;

class OutputFormatTest {

    private final KeywordClassifier classifier = new KeywordClassifier();

    private static TopologySettings settings(WireFormat in, WireFormat out, boolean includeText) {
        return new TopologySettings(
                Topics.defaults().withFormats(in, out), 1, Duration.ofMillis(100), 4096, includeText);
    }

    /** Every pair of the formats that need no schema registry (confluent-avro: ConfluentFormatIT). */
    static Stream<Arguments> formatPairs() {
        return standaloneFormats().flatMap(in -> standaloneFormats().map(out -> Arguments.of(in, out)));
    }

    private static Stream<WireFormat> standaloneFormats() {
        return Stream.of(WireFormat.values()).filter(format -> !format.needsSettings());
    }

    @ParameterizedTest(name = "{0} in, {1} out")
    @MethodSource("formatPairs")
    void shouldReadEachInputFormatAndWriteEachOutputFormat(WireFormat in, WireFormat out) {
        try (TopologyHarness harness = new TopologyHarness(settings(in, out, false), classifier)) {
            TextEvent input = TestEvents.fullText();

            harness.send("user-7", input);

            TestRecord<String, SentimentEvent> result = harness.results().get(0);
            assertThat(result.key()).isEqualTo("user-7");
            assertThat(result.getRecordTime()).isEqualTo(TopologyHarness.RECORD_TIME);
            SentimentEvent event = result.value();
            assertThat(event.getId()).isEqualTo("evt-42");
            assertThat(event.getLabel()).isEqualTo("positive");
            assertThat(event.getProbabilities())
                    .containsExactlyInAnyOrderEntriesOf(Map.of("negative", 0.1f, "positive", 0.9f));
            assertThat(event.getModelName()).isEqualTo(KeywordClassifier.INFO.name());
            assertThat(event.getModelVersion()).isEqualTo(KeywordClassifier.INFO.version());
            assertThat(event.getEventTime()).isEqualTo(input.getEventTime());
            assertThat(event.getClassifiedAt()).isEqualTo(TopologyHarness.CLASSIFIED_AT);
            assertThat(event.getTokenCount()).isEqualTo(4);
            assertThat(event.getTruncated()).isFalse();
            assertThat(event.getSource()).isEqualTo("support-chat");
            assertThat(event.getAttributes()).isEqualTo(input.getAttributes());
            assertThat(event.getText()).isNull();
        }
    }

    @Test
    void shouldEchoTheTextOnlyWhenConfiguredTo() {
        try (TopologyHarness harness =
                new TopologyHarness(settings(WireFormat.AVRO, WireFormat.JSON, true), classifier)) {
            harness.send("k", TestEvents.text("1", "I hate mondays"));

            SentimentEvent event = harness.results().get(0).value();

            assertThat(event.getText()).isEqualTo("I hate mondays");
            assertThat(event.getLabel()).isEqualTo("negative");
        }
    }

    @Test
    void shouldReportTheTokenCountAndTruncationOfLongTexts() {
        try (TopologyHarness harness =
                new TopologyHarness(settings(WireFormat.AVRO, WireFormat.AVRO, false), classifier)) {
            harness.send("k", TestEvents.text("1", "one two three four five six seven eight nine ten"));

            SentimentEvent event = harness.results().get(0).value();

            assertThat(event.getTokenCount()).isEqualTo(10);
            assertThat(event.getTruncated()).isTrue();
        }
    }

    @Test
    void shouldKeepTheInputHeadersAndANullKey() {
        try (TopologyHarness harness =
                new TopologyHarness(settings(WireFormat.AVRO, WireFormat.AVRO, false), classifier)) {
            byte[] value = WireFormat.AVRO.textEventCodec().encode(TestEvents.text("1", "good"));

            harness.sendRaw(
                    null, value, new RecordHeaders().add("traceparent", "00-f-01".getBytes(StandardCharsets.UTF_8)));

            TestRecord<String, SentimentEvent> result = harness.results().get(0);
            assertThat(result.key()).isNull();
            assertThat(new String(result.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
                    .isEqualTo("00-f-01");
        }
    }
}
