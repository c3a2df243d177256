package org.sentimentstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.serde.AvroCodec;
import org.sentimentstream.serde.TestEvents;
import org.sentimentstream.serde.WireFormat;

class DeadLetterTest {

    private static final int TEXT_MAX_BYTES = 16;
    private static final byte[] KEY = {0, 1, 2, (byte) 0xFF};

    private final KeywordClassifier classifier = new KeywordClassifier();

    private static TopologySettings settings(WireFormat inputFormat) {
        return new TopologySettings(
                Topics.defaults().withFormats(inputFormat, WireFormat.AVRO),
                1,
                Duration.ofMillis(100),
                TEXT_MAX_BYTES,
                false);
    }

    static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static Stream<Arguments> rejectedRecords() {
        TextEvent tooLong = TestEvents.text("1", "\u00e9".repeat(9)); // 9 characters, 18 bytes of UTF-8
        return Stream.of(
                Arguments.of("tombstone", WireFormat.AVRO, null, RejectReason.NULL_VALUE, "null", null),
                Arguments.of(
                        "garbage Avro",
                        WireFormat.AVRO,
                        new byte[] {(byte) 0xC3, 1, 2, 3},
                        RejectReason.UNDECODABLE,
                        "shorter than the 10-byte header",
                        "org.sentimentstream.serde.RecordDecodingException"),
                Arguments.of(
                        "truncated Avro",
                        WireFormat.AVRO,
                        truncated(WireFormat.AVRO.textEventCodec().encode(TestEvents.fullText())),
                        RejectReason.UNDECODABLE,
                        "Malformed Avro TextEvent",
                        "org.sentimentstream.serde.RecordDecodingException"),
                Arguments.of(
                        "Avro ending early",
                        WireFormat.AVRO,
                        Arrays.copyOf(avro(TestEvents.text("1", "hi")), AvroCodec.HEADER_LENGTH),
                        RejectReason.UNDECODABLE,
                        "truncated",
                        "java.io.EOFException"),
                Arguments.of(
                        "JSON lacking text",
                        WireFormat.JSON,
                        "{\"id\":\"1\",\"event_time\":1}".getBytes(StandardCharsets.UTF_8),
                        RejectReason.UNDECODABLE,
                        "lacks the required field 'text'",
                        "org.sentimentstream.serde.RecordDecodingException"),
                Arguments.of(
                        "broken JSON",
                        WireFormat.JSON,
                        "{\"id\":".getBytes(StandardCharsets.UTF_8),
                        RejectReason.UNDECODABLE,
                        "Invalid JSON TextEvent",
                        "com.fasterxml.jackson.core.io.JsonEOFException"),
                Arguments.of(
                        "empty text",
                        WireFormat.AVRO,
                        avro(TestEvents.text("1", "")),
                        RejectReason.EMPTY_TEXT,
                        "The text is empty",
                        null),
                Arguments.of(
                        "white space",
                        WireFormat.JSON,
                        json(TestEvents.text("1", " \t\n\u00a0\u3000")),
                        RejectReason.EMPTY_TEXT,
                        "only white space",
                        null),
                Arguments.of(
                        "too long",
                        WireFormat.AVRO,
                        avro(tooLong),
                        RejectReason.TEXT_TOO_LONG,
                        "18 bytes in UTF-8, more than text.max.bytes=16",
                        null),
                Arguments.of(
                        "no tokens",
                        WireFormat.AVRO,
                        avro(TestEvents.text("1", "!!! \u200b ???")),
                        RejectReason.NO_TOKENS,
                        "no token",
                        null));
    }

    private static byte[] avro(TextEvent event) {
        return WireFormat.AVRO.textEventCodec().encode(event);
    }

    private static byte[] json(TextEvent event) {
        return WireFormat.JSON.textEventCodec().encode(event);
    }

    private static byte[] truncated(byte[] bytes) {
        return Arrays.copyOf(bytes, bytes.length - 4);
    }

    @ParameterizedTest(name = "{0} -> {3}")
    @MethodSource("rejectedRecords")
    void shouldSendRejectedRecordsToTheDeadLetterTopicWithTheirBytesUntouchedAndTheReason(
            String name,
            WireFormat format,
            byte[] value,
            RejectReason reason,
            String messagePart,
            String exceptionClass) {
        try (TopologyHarness harness = new TopologyHarness(settings(format), classifier)) {
            harness.send("ok", TestEvents.text("ok-0", "fine"));
            Headers inputHeaders = new RecordHeaders().add("traceparent", "00-abc-01".getBytes(StandardCharsets.UTF_8));
            byte[] valueCopy = value == null ? null : value.clone();

            harness.sendRaw(KEY.clone(), valueCopy, inputHeaders);

            List<TestRecord<byte[], byte[]>> deadLetters = harness.deadLetters.readRecordsToList();
            assertThat(deadLetters).hasSize(1);
            TestRecord<byte[], byte[]> deadLetter = deadLetters.get(0);
            assertThat(deadLetter.key()).isEqualTo(KEY);
            assertThat(deadLetter.value()).isEqualTo(value);
            assertThat(deadLetter.getRecordTime()).isEqualTo(TopologyHarness.RECORD_TIME);
            Headers headers = deadLetter.headers();
            assertThat(header(headers, DeadLetterHeaders.REASON)).isEqualTo(reason.name());
            assertThat(header(headers, DeadLetterHeaders.MESSAGE)).contains(messagePart);
            assertThat(header(headers, DeadLetterHeaders.EXCEPTION)).isEqualTo(exceptionClass);
            assertThat(header(headers, DeadLetterHeaders.SOURCE_TOPIC))
                    .isEqualTo(SentimentStreamConfig.DEFAULT_INPUT_TOPIC);
            assertThat(header(headers, DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("0");
            assertThat(header(headers, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("1");
            assertThat(header(headers, "traceparent")).isEqualTo("00-abc-01");
            assertThat(harness.results()).extracting(r -> r.value().getId()).containsExactly("ok-0");
            assertThat(harness.buffer().approximateNumEntries()).isZero();
        }
    }

    @Test
    void shouldNeverPutTheTextInTheDeadLetterMessage() {
        try (TopologyHarness harness = new TopologyHarness(settings(WireFormat.AVRO), classifier)) {
            harness.send("k", TestEvents.text("1", "private diagnosis: " + "x".repeat(40)));

            Headers headers = harness.deadLetters.readRecord().headers();

            assertThat(header(headers, DeadLetterHeaders.REASON)).isEqualTo(RejectReason.TEXT_TOO_LONG.name());
            assertThat(header(headers, DeadLetterHeaders.MESSAGE)).doesNotContain("diagnosis");
        }
    }

    @Test
    void shouldReplaceStaleErrorHeadersOfAReplayedDeadLetter() {
        try (TopologyHarness harness = new TopologyHarness(settings(WireFormat.AVRO), classifier)) {
            Headers stale = new RecordHeaders()
                    .add(DeadLetterHeaders.REASON, "NO_TOKENS".getBytes(StandardCharsets.UTF_8))
                    .add(DeadLetterHeaders.SOURCE_OFFSET, "99".getBytes(StandardCharsets.UTF_8));

            harness.sendRaw(KEY, "junk".getBytes(StandardCharsets.UTF_8), stale);

            Headers headers = harness.deadLetters.readRecord().headers();
            assertThat(headers.headers(DeadLetterHeaders.REASON)).hasSize(1);
            assertThat(header(headers, DeadLetterHeaders.REASON)).isEqualTo("UNDECODABLE");
            assertThat(header(headers, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
        }
    }

    @Test
    void shouldNotCallTheModelForRejectedRecords() {
        try (TopologyHarness harness = new TopologyHarness(settings(WireFormat.AVRO), classifier)) {
            harness.sendRaw(KEY, null, new RecordHeaders());
            harness.send("k", TestEvents.text("1", "   "));
            harness.send("k", TestEvents.text("2", "???"));
            harness.advance(Duration.ofSeconds(1));

            assertThat(harness.deadLetters.getQueueSize()).isEqualTo(3);
            assertThat(classifier.batchSizes()).isEmpty();
        }
    }
}
