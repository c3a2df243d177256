package org.sentimentstream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sentimentstream.stream.HostileInputHarness.KEY;
import static org.sentimentstream.stream.HostileInputHarness.LINGER;
import static org.sentimentstream.stream.HostileInputHarness.SMALL_RECORD_ALLOCATION_BOUND;
import static org.sentimentstream.stream.HostileInputHarness.TEXT_MAX_BYTES;
import static org.sentimentstream.stream.HostileInputHarness.decodeOutput;
import static org.sentimentstream.stream.HostileInputHarness.goodEvent;
import static org.sentimentstream.stream.HostileInputHarness.header;
import static org.sentimentstream.stream.HostileRecords.concat;
import static org.sentimentstream.stream.HostileRecords.encode;
import static org.sentimentstream.stream.HostileRecords.hex;
import static org.sentimentstream.stream.HostileRecords.utf8;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.model.ModelOptions;
import org.sentimentstream.model.OnnxSentimentClassifier;
import org.sentimentstream.serde.AvroCodec;
import org.sentimentstream.serde.TestEvents;
import org.sentimentstream.serde.WireFormat;
import org.sentimentstream.stream.HostileInputHarness.Run;

/**
 * A bad record never stops the service; it goes to the dead-letter topic. Hostile input runs through the
 * whole topology with the bundled ONNX model: every test puts good records before and after the hostile
 * one(s) and proves that the hostile record is either classified (when its text is valid, however odd) or
 * dead-lettered with its reason code and its bytes untouched, that the good records come out in order with
 * their ids, and that nothing stays in the batch buffer ({@link HostileInputHarness}). The tests are grouped
 * by kind of input; docs/RELIABILITY.md lists every kind with what was expected and seen.
 */
class HostileInputTest {

    private static OnnxSentimentClassifier model;
    private HostileInputHarness harness;

    @BeforeAll
    static void openModel() {
        model = OnnxSentimentClassifier.openBundled(ModelOptions.defaults());
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    @BeforeEach
    void observeTheModel() {
        harness = new HostileInputHarness(model);
    }

    /** Bytes that are not a record of the input format: random bytes, nothing, a tombstone, the other format. */
    @Nested
    class NotARecord {

        @ParameterizedTest
        @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
        void shouldDeadLetterRandomBytes(WireFormat format) {
            List<byte[]> values = List.of(
                    HostileRecords.randomBytes(1, 1),
                    HostileRecords.randomBytes(2, 64),
                    HostileRecords.randomBytes(3, 4096),
                    HostileRecords.randomBytes(4, 100_000));

            harness.assertEachDeadLettered(
                    format, values, RejectReason.UNDECODABLE, format == WireFormat.AVRO ? "Avro" : "JSON");
        }

        @Test
        void shouldDeadLetterRandomBodiesBehindAValidAvroHeader() {
            byte[] header = Arrays.copyOf(encode(WireFormat.AVRO, goodEvent(0)), AvroCodec.HEADER_LENGTH);
            Random random = new Random(42);
            List<byte[]> values = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                byte[] body = new byte[1 + random.nextInt(80)];
                random.nextBytes(body);
                values.add(concat(header, body));
            }

            harness.assertEachDeadLettered(WireFormat.AVRO, values, RejectReason.UNDECODABLE, "Avro TextEvent");
        }

        @ParameterizedTest
        @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
        void shouldDeadLetterAnEmptyValue(WireFormat format) {
            harness.assertDeadLettered(
                    format,
                    new byte[0],
                    RejectReason.UNDECODABLE,
                    format == WireFormat.AVRO ? "0 bytes, shorter than the 10-byte header" : "The value is empty");
        }

        @ParameterizedTest
        @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
        void shouldDeadLetterANullValueWithANullValue(WireFormat format) {
            Run run = harness.assertDeadLettered(format, null, RejectReason.NULL_VALUE, "tombstone");

            assertThat(run.deadLetters().get(0).value()).isNull();
        }

        @ParameterizedTest
        @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
        void shouldClassifyARecordWithANullKeyAndKeepTheKeyNull(WireFormat format) {
            Run run = harness.sendBetweenGoodRecords(
                    format, List.of(encode(format, TestEvents.text("no-key", "love it"))), null, new RecordHeaders());

            assertThat(run.ids()).containsExactly("good-0", "no-key", "good-1");
            assertThat(run.outputs().get(1).key()).isNull();
            assertThat(run.deadLetters()).isEmpty();
        }

        @Test
        void shouldDeadLetterAHostileRecordWithANullKeyAndKeepTheKeyNull() {
            Run run = harness.sendBetweenGoodRecords(
                    WireFormat.AVRO, List.of(HostileRecords.randomBytes(5, 30)), null, new RecordHeaders());

            assertThat(run.ids()).containsExactly("good-0", "good-1");
            assertThat(run.deadLetters()).singleElement().satisfies(deadLetter -> {
                assertThat(deadLetter.key()).isNull();
                assertThat(header(deadLetter, DeadLetterHeaders.REASON)).isEqualTo("UNDECODABLE");
            });
        }

        @ParameterizedTest
        @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
        void shouldDeadLetterARecordInTheOtherWireFormat(WireFormat format) {
            WireFormat other = format == WireFormat.AVRO ? WireFormat.JSON : WireFormat.AVRO;

            harness.assertDeadLettered(
                    format,
                    encode(other, TestEvents.text("1", "good")),
                    RejectReason.UNDECODABLE,
                    format == WireFormat.AVRO
                            ? "does not start with the Avro single-object marker"
                            : "not valid UTF-8: a zero byte");
        }
    }

    /**
     * Avro whose structure lies: truncated, unknown or foreign schemas, declared lengths and counts far beyond the
     * bytes present, impossible union branches, overlong varints, trailing bytes.
     */
    @Nested
    class AvroStructure {

        @Test
        void shouldDeadLetterAvroTruncatedAtEveryLength() {
            byte[] full = encode(WireFormat.AVRO, TestEvents.fullText());
            List<byte[]> prefixes = IntStream.range(0, full.length)
                    .mapToObj(length -> Arrays.copyOf(full, length))
                    .toList();

            harness.assertEachDeadLettered(WireFormat.AVRO, prefixes, RejectReason.UNDECODABLE, "Avro");
        }

        @Test
        void shouldDeadLetterAvroWithAnUnknownFingerprint() {
            harness.assertDeadLettered(
                    WireFormat.AVRO,
                    HostileRecords.avroWithUnknownFingerprint(),
                    RejectReason.UNDECODABLE,
                    "Unknown Avro schema fingerprint");
        }

        @Test
        void shouldDeadLetterAValidAvroRecordOfAnotherSchema() {
            harness.assertDeadLettered(
                    WireFormat.AVRO,
                    HostileRecords.avroOfAnotherSchema(),
                    RejectReason.UNDECODABLE,
                    "Unknown Avro schema fingerprint");
        }

        @Test
        void shouldDeadLetterTheBodyOfAnotherSchemaBehindTheTextEventFingerprint() {
            harness.assertDeadLettered(
                    WireFormat.AVRO,
                    HostileRecords.avroBodyOfAnotherSchemaUnderTheTextEventHeader(),
                    RejectReason.UNDECODABLE,
                    "Malformed Avro TextEvent");
        }

        @Test
        void handBuiltAvroShouldEqualTheCodecsSoTheHostileVariantsDifferOnlyWhereIntended() throws Exception {
            byte[] handBuilt = AvroBytes.textEvent()
                    .requiredFields("1", "hi")
                    .nullSourceAndLanguage()
                    .emptyMap()
                    .toByteArray();

            assertThat(handBuilt).isEqualTo(encode(WireFormat.AVRO, TestEvents.text("1", "hi")));
            assertThat(WireFormat.AVRO
                            .textEventCodec()
                            .decode(HostileRecords.avroWithTextBytes(utf8("\u00E9")))
                            .getText())
                    .isEqualTo("a\u00E9b");
            assertThat(WireFormat.AVRO
                            .textEventCodec()
                            .decode(HostileRecords.avroDeclaringAttributeCount(1))
                            .getAttributes())
                    .containsOnlyKeys("k");
        }

        @Test
        void shouldDeadLetterAvroDeclaringAHugeStringWithoutAllocatingIt() {
            List<byte[]> values = List.of(
                    HostileRecords.avroDeclaringIdLength(1L << 30),
                    HostileRecords.avroDeclaringIdLength(Integer.MAX_VALUE),
                    HostileRecords.avroDeclaringIdLength(Long.MAX_VALUE));

            Run run = harness.assertEachDeadLettered(
                    WireFormat.AVRO, values, RejectReason.UNDECODABLE, "but only 3 remain in the message");

            assertThat(header(run.deadLetters().get(0), DeadLetterHeaders.MESSAGE))
                    .contains("a string declares 1073741824 bytes");
            assertThat(run.mostAllocatedByOneHostileRecord()).isLessThan(SMALL_RECORD_ALLOCATION_BOUND);
        }

        @Test
        void shouldDeadLetterAvroDeclaringAHugeMapWithoutAllocatingIt() {
            List<byte[]> values = List.of(
                    HostileRecords.avroDeclaringAttributeCount(1_000_000_000L),
                    HostileRecords.avroDeclaringAttributeCount(Integer.MAX_VALUE),
                    HostileRecords.avroDeclaringAttributeCount(Long.MAX_VALUE / 2));

            Run run = harness.assertEachDeadLettered(
                    WireFormat.AVRO, values, RejectReason.UNDECODABLE, "items but only 5 bytes remain in the message");

            assertThat(header(run.deadLetters().get(0), DeadLetterHeaders.MESSAGE))
                    .contains("a map declares 1000000000 items");
            assertThat(run.mostAllocatedByOneHostileRecord()).isLessThan(SMALL_RECORD_ALLOCATION_BOUND);
        }

        @Test
        void shouldDeadLetterAvroDeclaringNegativeLengthsAndCounts() {
            byte[] negativeString =
                    AvroBytes.textEvent().varLong(-5).raw('a', 'b').toByteArray();
            // A negative block count is followed by the block's size in bytes; -Long.MIN_VALUE stays negative.
            byte[] negativeCount = AvroBytes.textEvent()
                    .requiredFields("1", "hi")
                    .nullSourceAndLanguage()
                    .varLong(Long.MIN_VALUE)
                    .varLong(4)
                    .string("k")
                    .string("v")
                    .emptyMap()
                    .toByteArray();

            Run run = harness.assertEachDeadLettered(
                    WireFormat.AVRO,
                    List.of(negativeString, negativeCount),
                    RejectReason.UNDECODABLE,
                    "Malformed Avro TextEvent");

            assertThat(header(run.deadLetters().get(0), DeadLetterHeaders.MESSAGE))
                    .contains("a string has a negative length");
            assertThat(header(run.deadLetters().get(1), DeadLetterHeaders.MESSAGE))
                    .contains("which has no absolute value");
        }

        @Test
        void shouldDeadLetterAvroWithAUnionBranchThatDoesNotExist() {
            byte[] value = AvroBytes.textEvent()
                    .requiredFields("1", "hi")
                    .varLong(7)
                    .varLong(0)
                    .emptyMap()
                    .toByteArray();

            Run run = harness.assertDeadLettered(
                    WireFormat.AVRO, value, RejectReason.UNDECODABLE, "Malformed Avro TextEvent");

            assertThat(header(run.deadLetters().get(0), DeadLetterHeaders.EXCEPTION))
                    .isEqualTo(ArrayIndexOutOfBoundsException.class.getName());
        }

        @Test
        void shouldDeadLetterAvroWithAnOverlongVarint() {
            byte[] value = AvroBytes.textEvent()
                    .raw(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01)
                    .toByteArray();

            harness.assertDeadLettered(WireFormat.AVRO, value, RejectReason.UNDECODABLE, "Invalid long encoding");
        }

        @Test
        void shouldDeadLetterAvroWithBytesAfterTheRecord() {
            byte[] value = concat(encode(WireFormat.AVRO, TestEvents.text("1", "good")), new byte[] {0, 0});

            harness.assertDeadLettered(
                    WireFormat.AVRO, value, RejectReason.UNDECODABLE, "2 unexpected bytes after the end");
        }
    }

    /**
     * Size limits: texts at, over and far over {@code text.max.bytes}, thousands of tokens, huge maps, extreme
     * event times.
     */
    @Nested
    class SizeLimits {

        @ParameterizedTest
        @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
        void shouldRefuseATenMegabyteTextByTheByteLimitWithoutTokenizingIt(WireFormat format) {
            String text = "spam ".repeat(2 * 1024 * 1024);
            byte[] value = encode(format, TestEvents.text("huge", text));

            Run run = harness.assertDeadLettered(
                    format,
                    value,
                    format == WireFormat.AVRO ? RejectReason.TEXT_TOO_LONG : RejectReason.UNDECODABLE,
                    format == WireFormat.AVRO
                            ? "The text is 10485760 bytes in UTF-8, more than text.max.bytes=4096"
                            : "more than the limit of 1048576");

            assertThat(harness.classifier().longestTokenizedChars())
                    .as("longest text tokenized")
                    .isLessThanOrEqualTo(TEXT_MAX_BYTES);
            if (format == WireFormat.AVRO) {
                // Decoding takes the text's bytes and its string: about twice the message (21 MB measured).
                assertThat(run.mostAllocatedByOneHostileRecord()).isLessThan(3L * value.length);
            } else {
                // Refused on its size before it is parsed (19 kB measured).
                assertThat(run.mostAllocatedByOneHostileRecord()).isLessThan(SMALL_RECORD_ALLOCATION_BOUND);
            }
        }

        @ParameterizedTest
        @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
        void shouldClassifyATextOfExactlyTheByteLimitAndRefuseOneByteMore(WireFormat format) {
            String atLimit = "good ".repeat(818) + "\uD83D\uDE00" + "\u00E9"; // 4090 + 4 + 2 bytes
            String overLimit = "good ".repeat(818) + "\uD83D\uDE00" + "\u20AC"; // 4090 + 4 + 3 bytes
            assertThat(atLimit.getBytes(StandardCharsets.UTF_8)).hasSize(TEXT_MAX_BYTES);

            SentimentEvent event = harness.assertClassified(format, TestEvents.text("at-limit", atLimit));
            harness.assertDeadLettered(
                    format,
                    encode(format, TestEvents.text("over", overLimit)),
                    RejectReason.TEXT_TOO_LONG,
                    "The text is 4097 bytes in UTF-8");

            assertThat(event.getTruncated()).isTrue();
        }

        @ParameterizedTest
        @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
        void shouldClassifyTheFirstTokensOfATextWithThousandsOfTokens(WireFormat format) {
            SentimentEvent event = harness.assertClassified(format, TestEvents.text("many", "a ".repeat(2048)));

            assertThat(event.getTokenCount()).isEqualTo(2048);
            assertThat(event.getTruncated()).isTrue();
        }

        @ParameterizedTest
        @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
        void shouldClassifyATextThatGrowsUnderNormalization(WireFormat format) {
            // U+FDFA is 3 bytes of UTF-8 and becomes 18 characters under NFKC.
            SentimentEvent event =
                    harness.assertClassified(format, TestEvents.text("nfkc", "\uFDFA".repeat(TEXT_MAX_BYTES / 3)));

            assertThat(event.getTruncated()).isTrue();
        }

        @Test
        void shouldDeadLetterAJsonDocumentOverTheSizeLimitBecauseOfItsAttributes() {
            byte[] value = encode(WireFormat.JSON, HostileRecords.withAttributes("big-map", 60_000));
            assertThat(value.length).isGreaterThan(1024 * 1024);

            harness.assertDeadLettered(
                    WireFormat.JSON, value, RejectReason.UNDECODABLE, "more than the limit of 1048576");

            assertThat(harness.classifier().longestTokenizedChars()).isLessThanOrEqualTo(TEXT_MAX_BYTES);
        }

        @ParameterizedTest
        @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
        void shouldClassifyARecordWithTenThousandAttributesAndCopyThemAll(WireFormat format) {
            TextEvent input = HostileRecords.withAttributes("map", 10_000);

            SentimentEvent event = harness.assertClassified(format, input);

            assertThat(event.getAttributes()).hasSize(10_000).isEqualTo(input.getAttributes());
        }

        @ParameterizedTest
        @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
        void shouldClassifyEventTimesAtTheEndsOfTheLongRange(WireFormat format) {
            TextEvent earliest = TestEvents.text("earliest", "good");
            earliest.setEventTime(Instant.ofEpochMilli(Long.MIN_VALUE));
            TextEvent latest = TestEvents.text("latest", "good");
            latest.setEventTime(Instant.ofEpochMilli(Long.MAX_VALUE));

            assertThat(harness.assertClassified(format, earliest).getEventTime())
                    .isEqualTo(Instant.ofEpochMilli(Long.MIN_VALUE));
            assertThat(harness.assertClassified(format, latest).getEventTime())
                    .isEqualTo(Instant.ofEpochMilli(Long.MAX_VALUE));
        }
    }

    /**
     * Text content: empty and white-space-only texts, control and invisible characters, emoji, right-to-left
     * text, combining characters, noncharacters.
     */
    @Nested
    class TextContent {

        @ParameterizedTest
        @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
        void shouldDeadLetterAnEmptyText(WireFormat format) {
            harness.assertDeadLettered(
                    format, encode(format, TestEvents.text("1", "")), RejectReason.EMPTY_TEXT, "The text is empty");
        }

        @ParameterizedTest
        @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
        void shouldDeadLetterAWhiteSpaceOnlyText(WireFormat format) {
            String whiteSpace = " \t\r\n\u000B\u000C\u00A0\u1680\u2003\u2028\u2029\u202F\u3000";

            harness.assertDeadLettered(
                    format,
                    encode(format, TestEvents.text("1", whiteSpace)),
                    RejectReason.EMPTY_TEXT,
                    "only white space");
        }

        @ParameterizedTest
        @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
        void shouldClassifyATextWithControlCharacters(WireFormat format) {
            harness.assertClassified(format, TestEvents.text("control", HostileRecords.CONTROL_CHARACTERS));
        }

        @ParameterizedTest
        @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
        void shouldDeadLetterATextOfOnlyControlOrInvisibleCharactersAsHavingNoTokens(WireFormat format) {
            List<byte[]> values = List.of(
                    encode(format, TestEvents.text("1", HostileRecords.ONLY_CONTROL_CHARACTERS)),
                    encode(format, TestEvents.text("2", HostileRecords.INVISIBLE_ONLY)));

            harness.assertEachDeadLettered(format, values, RejectReason.NO_TOKENS, "no token");
        }

        @ParameterizedTest
        @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
        void shouldClassifyAnEmojiOnlyText(WireFormat format) {
            harness.assertClassified(format, TestEvents.text("emoji", HostileRecords.EMOJI_ONLY));
        }

        @ParameterizedTest
        @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
        void shouldClassifyARightToLeftTextWithBidiControls(WireFormat format) {
            harness.assertClassified(format, TestEvents.text("rtl", HostileRecords.RIGHT_TO_LEFT));
        }

        @ParameterizedTest
        @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
        void shouldClassifyATextDrownedInCombiningCharacters(WireFormat format) {
            harness.assertClassified(format, TestEvents.text("zalgo", HostileRecords.COMBINING));
        }

        @ParameterizedTest
        @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
        void shouldClassifyNoncharactersAndPrivateUseCharacters(WireFormat format) {
            harness.assertClassified(format, TestEvents.text("nonchar", "\uFFFE\uFFFF \uE000\uF8FF \uDBFF\uDFFF good"));
        }
    }

    /**
     * Unicode and JSON: invalid UTF-8 in either format, unpaired surrogates, byte order marks, and JSON of the
     * wrong shape (missing fields, wrong types, nesting, non-standard numbers, duplicate keys).
     */
    @Nested
    class UnicodeAndJson {

        @Test
        void shouldDeadLetterInvalidUtf8InAnAvroString() {
            List<byte[]> values = HostileRecords.MALFORMED_UTF8.stream()
                    .map(bad -> HostileRecords.avroWithTextBytes(hex(bad)))
                    .toList();

            harness.assertEachDeadLettered(
                    WireFormat.AVRO, values, RejectReason.UNDECODABLE, "a string is not valid UTF-8");
        }

        @Test
        void shouldDeadLetterInvalidUtf8InJson() {
            List<byte[]> values = HostileRecords.MALFORMED_UTF8.stream()
                    .map(bad -> HostileRecords.jsonWithTextBytes(hex(bad)))
                    .toList();

            harness.assertEachDeadLettered(WireFormat.JSON, values, RejectReason.UNDECODABLE, "is not valid UTF-8");
        }

        @Test
        void shouldDeadLetterJsonInUtf16() {
            byte[] value = "{\"id\":\"1\",\"text\":\"good\",\"event_time\":1}".getBytes(StandardCharsets.UTF_16BE);

            harness.assertDeadLettered(WireFormat.JSON, value, RejectReason.UNDECODABLE, "a zero byte at offset 0");
        }

        @Test
        void shouldDeadLetterJsonWhoseEscapesLeaveASurrogateUnpaired() {
            List<byte[]> values = List.of(
                    utf8("{\"id\":\"1\\ud800\",\"text\":\"good\",\"event_time\":1}"),
                    utf8("{\"id\":\"1\",\"text\":\"good \\udc00 day\",\"event_time\":1}"),
                    utf8("{\"id\":\"1\",\"text\":\"good\",\"event_time\":1,\"attributes\":{\"k\":\"\\ud83d\"}}"));

            harness.assertEachDeadLettered(WireFormat.JSON, values, RejectReason.UNDECODABLE, "unpaired surrogate");
        }

        @Test
        void shouldClassifyJsonWithEscapedSurrogatePairsAndKeepTheId() {
            byte[] value = utf8(
                    "{\"id\":\"\\ud83d\\ude00\",\"text\":\"\\ud83d\\ude00 good \\u00e9\\u0000\",\"event_time\":1}");

            harness.assertClassified(WireFormat.JSON, value, "\uD83D\uDE00", "\uD83D\uDE00 good \u00E9\u0000");
        }

        @Test
        void shouldDeadLetterJsonWithRawControlCharactersInAString() {
            byte[] value = utf8("{\"id\":\"1\",\"text\":\"good\u0001day\",\"event_time\":1}");

            harness.assertDeadLettered(WireFormat.JSON, value, RejectReason.UNDECODABLE, "Illegal unquoted character");
        }

        @Test
        void shouldClassifyJsonWithAByteOrderMark() {
            byte[] value = utf8("\uFEFF{\"id\":\"bom\",\"text\":\"good day\",\"event_time\":1}");

            harness.assertClassified(WireFormat.JSON, value, "bom", "good day");
        }

        @Test
        void shouldDeadLetterJsonWithMissingFields() {
            List<byte[]> values = List.of(
                    utf8("{\"text\":\"good\",\"event_time\":1}"),
                    utf8("{\"id\":\"1\",\"event_time\":1}"),
                    utf8("{\"id\":\"1\",\"text\":\"good\"}"),
                    utf8("{}"));

            harness.assertEachDeadLettered(
                    WireFormat.JSON, values, RejectReason.UNDECODABLE, "lacks the required field");
        }

        @Test
        void shouldDeadLetterJsonWithANumberWhereTextBelongs() {
            List<byte[]> values = List.of(
                    utf8("{\"id\":\"1\",\"text\":42,\"event_time\":1}"),
                    utf8("{\"id\":\"1\",\"text\":4.2e1,\"event_time\":1}"),
                    utf8("{\"id\":7,\"text\":\"good\",\"event_time\":1}"));

            harness.assertEachDeadLettered(
                    WireFormat.JSON, values, RejectReason.UNDECODABLE, "must be a string, not a");
        }

        @Test
        void shouldDeadLetterJsonWithWrongTypes() {
            List<byte[]> values = List.of(
                    utf8("{\"id\":\"1\",\"text\":{\"en\":\"good\"},\"event_time\":1}"),
                    utf8("{\"id\":\"1\",\"text\":[\"good\"],\"event_time\":1}"),
                    utf8("{\"id\":\"1\",\"text\":true,\"event_time\":1}"),
                    utf8("{\"id\":\"1\",\"text\":null,\"event_time\":1}"),
                    utf8("{\"id\":\"1\",\"text\":\"good\",\"event_time\":\"2026-01-01T00:00:00Z\"}"),
                    utf8("{\"id\":\"1\",\"text\":\"good\",\"event_time\":1.5}"),
                    utf8("{\"id\":\"1\",\"text\":\"good\",\"event_time\":99999999999999999999}"),
                    utf8("{\"id\":\"1\",\"text\":\"good\",\"event_time\":1,\"source\":7}"),
                    utf8("{\"id\":\"1\",\"text\":\"good\",\"event_time\":1,\"attributes\":[\"a\"]}"),
                    utf8("{\"id\":\"1\",\"text\":\"good\",\"event_time\":1,\"attributes\":{\"a\":1}}"),
                    utf8("{\"id\":\"1\",\"text\":\"good\",\"event_time\":1,\"attributes\":{\"a\":{\"b\":\"c\"}}}"));

            harness.assertEachDeadLettered(WireFormat.JSON, values, RejectReason.UNDECODABLE, " must ");
        }

        @Test
        void shouldClassifyJsonWithExtraFieldsAndIgnoreThem() {
            byte[] value = utf8("{\"id\":\"extra\",\"text\":\"good day\",\"event_time\":1,\"label\":\"negative\","
                    + "\"nested\":{\"a\":[1,2.5,null,true,{\"b\":\"c\"}]},\"text2\":42}");

            SentimentEvent event = harness.assertClassified(WireFormat.JSON, value, "extra", "good day");

            assertThat(event.getAttributes()).isEmpty();
        }

        @Test
        void shouldDeadLetterDeeplyNestedJson() {
            List<byte[]> values =
                    List.of(HostileRecords.jsonNestedInExtraField(17), HostileRecords.jsonNestedInExtraField(100_000));

            harness.assertEachDeadLettered(WireFormat.JSON, values, RejectReason.UNDECODABLE, "nesting depth");
        }

        @Test
        void shouldClassifyJsonNestedWithinTheDepthLimit() {
            harness.assertClassified(WireFormat.JSON, HostileRecords.jsonNestedInExtraField(15), "nested", "good day");
        }

        @Test
        void shouldDeadLetterJsonThatIsNotAnObject() {
            List<byte[]> values = List.of(
                    utf8("[{\"id\":\"1\",\"text\":\"good\",\"event_time\":1}]"),
                    utf8("\"good day\""),
                    utf8("42"),
                    utf8("null"),
                    utf8("true"),
                    utf8("  \n "));

            harness.assertEachDeadLettered(WireFormat.JSON, values, RejectReason.UNDECODABLE, "JSON TextEvent");
        }

        @Test
        void shouldDeadLetterJsonWithNonStandardNumbers() {
            List<byte[]> values = List.of(
                    utf8("{\"id\":\"1\",\"text\":\"good\",\"event_time\":NaN}"),
                    utf8("{\"id\":\"1\",\"text\":\"good\",\"event_time\":Infinity}"),
                    utf8("{\"id\":\"1\",\"text\":\"good\",\"event_time\":-Infinity}"),
                    utf8("{\"id\":\"1\",\"text\":\"good\",\"event_time\":0x10}"),
                    utf8("{\"id\":\"1\",\"text\":\"good\",\"event_time\":01}"),
                    utf8("{\"id\":\"1\",\"text\":\"good\",\"event_time\":" + "9".repeat(1000) + "}"));

            harness.assertEachDeadLettered(WireFormat.JSON, values, RejectReason.UNDECODABLE, "JSON TextEvent");
        }

        @Test
        void shouldDeadLetterJsonWithDuplicateKeysOrTrailingContent() {
            List<byte[]> values = List.of(
                    utf8("{\"id\":\"1\",\"text\":\"good\",\"text\":\"bad\",\"event_time\":1}"),
                    utf8("{\"id\":\"1\",\"text\":\"good\",\"event_time\":1}{\"id\":\"2\"}"),
                    utf8("{\"id\":\"1\",\"text\":\"good\",\"event_time\":1} // comment"),
                    utf8("{\"id\":\"1\",\"text\":\"good\",\"event_time\":1,}"),
                    utf8("{'id':'1','text':'good','event_time':1}"));

            harness.assertEachDeadLettered(WireFormat.JSON, values, RejectReason.UNDECODABLE, "JSON TextEvent");
        }

        @Test
        void shouldDeadLetterJsonWithAnOverlongFieldName() {
            byte[] value = utf8("{\"id\":\"1\",\"text\":\"good\",\"event_time\":1,\"" + "n".repeat(2000) + "\":1}");

            harness.assertDeadLettered(WireFormat.JSON, value, RejectReason.UNDECODABLE, "exceeds a limit");
        }
    }

    /** Keys and headers: forged dead-letter headers, odd headers, and no text quoted in a dead letter's reason. */
    @Nested
    class KeysAndHeaders {

        @Test
        void shouldReplaceForgedDeadLetterHeadersOfAHostileRecord() {
            Headers forged = new RecordHeaders()
                    .add(DeadLetterHeaders.REASON, utf8("EMPTY_TEXT"))
                    .add(DeadLetterHeaders.SOURCE_OFFSET, utf8("12345"))
                    .add(DeadLetterHeaders.EXCEPTION, null);

            Run run = harness.sendBetweenGoodRecords(WireFormat.AVRO, List.of(utf8("junk")), KEY, forged);

            TestRecord<byte[], byte[]> deadLetter = run.deadLetters().get(0);
            assertThat(deadLetter.headers().headers(DeadLetterHeaders.REASON)).hasSize(1);
            assertThat(header(deadLetter, DeadLetterHeaders.REASON)).isEqualTo("UNDECODABLE");
            assertThat(header(deadLetter, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("1");
            assertThat(deadLetter.headers().headers(DeadLetterHeaders.EXCEPTION))
                    .hasSize(1);
            assertThat(run.ids()).containsExactly("good-0", "good-1");
        }

        @Test
        void shouldCarryOddHeadersOfAGoodRecordThroughTheBufferToTheOutput() {
            Headers odd = new RecordHeaders()
                    .add("null-valued", null)
                    .add("binary", new byte[] {(byte) 0xFF, 0})
                    .add("", utf8("empty name"))
                    .add("binary", utf8("second value"));

            Run run = harness.sendBetweenGoodRecords(
                    WireFormat.AVRO, List.of(encode(WireFormat.AVRO, TestEvents.text("h", "good"))), KEY, odd);

            Headers out = run.outputs().get(1).headers();
            assertThat(run.ids()).containsExactly("good-0", "h", "good-1");
            assertThat(out.lastHeader("null-valued").value()).isNull();
            assertThat(out.headers("binary"))
                    .extracting(Header::value)
                    .containsExactly(new byte[] {(byte) 0xFF, 0}, utf8("second value"));
            assertThat(out.lastHeader("").value()).isEqualTo(utf8("empty name"));
        }

        @Test
        void shouldDeadLetterARecordWhoseHeadersMakeItTooLargeWithoutItsValueKeyOrHeaders() {
            // A small good value; 1.1 MB of headers: the changelog entry and the output would pass max.request.size.
            Headers huge = new RecordHeaders().add("blob", new byte[1_100_000]);

            Run run = harness.sendBetweenGoodRecords(
                    WireFormat.AVRO, List.of(encode(WireFormat.AVRO, TestEvents.text("h", "good"))), KEY, huge);

            assertThat(run.ids()).containsExactly("good-0", "good-1");
            TestRecord<byte[], byte[]> deadLetter = run.deadLetters().get(0);
            assertThat(header(deadLetter, DeadLetterHeaders.REASON)).isEqualTo("RECORD_TOO_LARGE");
            assertThat(header(deadLetter, DeadLetterHeaders.VALUE_OMITTED)).isEqualTo("value,key,headers");
            assertThat(header(deadLetter, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("1");
            assertThat(deadLetter.value()).isEmpty();
            assertThat(deadLetter.key()).isNull();
            assertThat(deadLetter.headers().lastHeader("blob")).isNull();
        }

        @Test
        void shouldDeadLetterARecordWhoseKeyAndValueTogetherAreTooLargeWithItsKeyButWithoutItsValue() {
            // Each under the limit alone (600 kB of key, about 570 kB of value), together over it.
            byte[] bigKey = new byte[600_000];
            byte[] value = encode(WireFormat.AVRO, HostileRecords.withAttributes("big", 30_000));
            assertThat(value.length).isBetween(450_000, 1_000_000);

            Run run = harness.sendBetweenGoodRecords(
                    WireFormat.AVRO, List.of(value), bigKey, new RecordHeaders().add("trace", utf8("t-1")));

            assertThat(run.ids()).containsExactly("good-0", "good-1");
            TestRecord<byte[], byte[]> deadLetter = run.deadLetters().get(0);
            assertThat(header(deadLetter, DeadLetterHeaders.REASON)).isEqualTo("RECORD_TOO_LARGE");
            assertThat(header(deadLetter, DeadLetterHeaders.MESSAGE)).contains("key and headers");
            assertThat(header(deadLetter, DeadLetterHeaders.VALUE_OMITTED)).isEqualTo("value");
            assertThat(deadLetter.value()).isEmpty();
            assertThat(deadLetter.key()).isEqualTo(bigKey);
            assertThat(header(deadLetter, "trace")).isEqualTo("t-1");
        }

        @ParameterizedTest
        @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
        void shouldNeverQuoteTheTextInTheReasonOfADeadLetter(WireFormat format) {
            byte[] good = encode(format, TestEvents.text("private", "my secret diagnosis xyzzy"));
            List<byte[]> damaged = new ArrayList<>();
            for (int i = 0; i < good.length; i++) {
                damaged.add(Arrays.copyOf(good, i));
                for (int replacement : new int[] {'"', '\\', 0xFF, 0x01}) {
                    byte[] copy = good.clone();
                    copy[i] = (byte) replacement;
                    damaged.add(copy);
                }
            }

            Run run = harness.sendBetweenGoodRecords(format, damaged, KEY, new RecordHeaders());

            assertThat(run.outputs().size() + run.deadLetters().size()).isEqualTo(2 * damaged.size() + 1);
            assertThat(run.deadLetters()).hasSizeGreaterThan(damaged.size() / 2);
            // The reason is also what the service logs at WARN for each dead letter.
            assertThat(run.deadLetters())
                    .extracting(deadLetter -> header(deadLetter, DeadLetterHeaders.MESSAGE))
                    .allSatisfy(message -> assertThat(message)
                            .doesNotContain("secret")
                            .doesNotContain("diagnosis")
                            .doesNotContain("xyzzy"));
        }
    }

    /** Thousands of good, hostile and damaged records mixed: each one accounted for, in order. */
    @Nested
    class ThousandsOfMixedRecords {

        private static final String SEQUENCE_HEADER = "hostile.test.sequence";
        private static final List<String> WORDS = List.of(
                "good",
                "bad",
                "love",
                "hate",
                "day",
                "phone",
                "never",
                "again",
                "\uD83D\uDE00",
                "#fail",
                "@airline",
                "http://example.com/x",
                "caf\u00E9",
                "\u05D0\u05D4\u05D1",
                "sooooo",
                "!!!",
                "123",
                "&amp;",
                "\u4F60\u597D",
                "can't");

        @ParameterizedTest
        @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
        void shouldKeepGoingThroughThousandsOfMixedHostileRecordsAndAccountForEachOne(WireFormat format) {
            int count = 2000;
            Random random = new Random(7);
            List<HostileRecords.Sample> catalogue = HostileRecords.catalogue(format);
            List<HostileRecords.Sample> sent = new ArrayList<>(count);
            List<byte[]> keys = new ArrayList<>(count);
            try (TopologyHarness topology = harness.topology(format)) {
                for (int i = 0; i < count; i++) {
                    HostileRecords.Sample sample = nextSample(random, format, catalogue, i);
                    byte[] key = switch (i % 3) {
                        case 0 -> null;
                        case 1 -> utf8("key-" + i);
                        default -> concat(KEY, utf8(Integer.toString(i)));
                    };
                    sent.add(sample);
                    keys.add(key);
                    Headers headers = new RecordHeaders().add(SEQUENCE_HEADER, utf8(Integer.toString(i)));
                    topology.sendRaw(
                            key == null ? null : key.clone(),
                            sample.value() == null ? null : sample.value().clone(),
                            headers);
                    if (random.nextInt(50) == 0) {
                        topology.advance(LINGER);
                    }
                }
                topology.advance(LINGER);
                List<TestRecord<byte[], byte[]>> outputs = topology.output.readRecordsToList();
                List<TestRecord<byte[], byte[]>> deadLetters = topology.deadLetters.readRecordsToList();

                assertThat(outputs.size() + deadLetters.size())
                        .as("outputs + dead letters")
                        .isEqualTo(count);
                assertThat(topology.buffer().approximateNumEntries()).isZero();
                List<Integer> outputSequence =
                        outputs.stream().map(ThousandsOfMixedRecords::sequence).toList();
                List<Integer> deadLetterSequence = deadLetters.stream()
                        .map(ThousandsOfMixedRecords::sequence)
                        .toList();
                assertThat(outputSequence)
                        .as("outputs in input order")
                        .isSorted()
                        .doesNotHaveDuplicates();
                assertThat(deadLetterSequence)
                        .as("dead letters in input order")
                        .isSorted()
                        .doesNotHaveDuplicates();
                for (TestRecord<byte[], byte[]> output : outputs) {
                    int i = sequence(output);
                    assertThat(sent.get(i).expect())
                            .as("sample %d (%s)", i, sent.get(i).kind())
                            .isNotEqualTo(HostileRecords.Expect.DEAD_LETTER);
                    assertThat(output.key()).isEqualTo(keys.get(i));
                    if (sent.get(i).kind().equals("good")) {
                        assertThat(decodeOutput(output.value()).getId()).isEqualTo("m-" + i);
                    }
                }
                for (TestRecord<byte[], byte[]> deadLetter : deadLetters) {
                    int i = sequence(deadLetter);
                    HostileRecords.Sample sample = sent.get(i);
                    assertThat(sample.expect())
                            .as("sample %d (%s)", i, sample.kind())
                            .isNotEqualTo(HostileRecords.Expect.CLASSIFIED);
                    if (sample.reason() != null) {
                        assertThat(header(deadLetter, DeadLetterHeaders.REASON))
                                .isEqualTo(sample.reason().name());
                    }
                    assertThat(deadLetter.key()).isEqualTo(keys.get(i));
                    assertThat(deadLetter.value()).isEqualTo(sample.value());
                }
                assertThat(harness.classifier().longestTokenizedChars()).isLessThanOrEqualTo(TEXT_MAX_BYTES);
            }
        }

        /** Half good records, a quarter from the catalogue, a quarter good records with random damage. */
        private static HostileRecords.Sample nextSample(
                Random random, WireFormat format, List<HostileRecords.Sample> catalogue, int i) {
            int dice = random.nextInt(4);
            if (dice < 2) {
                StringBuilder text = new StringBuilder();
                for (int word = 0, words = 1 + random.nextInt(12); word < words; word++) {
                    text.append(WORDS.get(random.nextInt(WORDS.size()))).append(' ');
                }
                return HostileRecords.Sample.classified(
                        "good", encode(format, TestEvents.text("m-" + i, text.toString())));
            }
            if (dice == 2) {
                return catalogue.get(random.nextInt(catalogue.size()));
            }
            byte[] damaged = encode(format, TestEvents.fullText());
            switch (random.nextInt(3)) {
                case 0 -> damaged = Arrays.copyOf(damaged, random.nextInt(damaged.length));
                case 1 -> {
                    for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                        damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
                    }
                }
                default -> damaged = concat(damaged, HostileRecords.randomBytes(i, 1 + random.nextInt(8)));
            }
            return new HostileRecords.Sample("damaged", damaged, HostileRecords.Expect.EITHER, null);
        }

        private static int sequence(TestRecord<byte[], byte[]> record) {
            return Integer.parseInt(
                    new String(record.headers().lastHeader(SEQUENCE_HEADER).value(), StandardCharsets.UTF_8));
        }
    }
}
