package org.sentimentstream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.sentimentstream.stream.HostileRecords.concat;
import static org.sentimentstream.stream.HostileRecords.encode;
import static org.sentimentstream.stream.HostileRecords.hex;
import static org.sentimentstream.stream.HostileRecords.utf8;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.model.ModelOptions;
import org.sentimentstream.model.OnnxSentimentClassifier;
import org.sentimentstream.model.Prediction;
import org.sentimentstream.serde.AvroCodec;
import org.sentimentstream.serde.RecordDecodingException;
import org.sentimentstream.serde.TestEvents;
import org.sentimentstream.serde.WireFormat;

/**
 * Hostile input (issue 4, part 2) through the whole topology with the bundled ONNX model. Every test
 * puts good records before and after the hostile one(s) and proves that the hostile record is either
 * classified (when its text is valid, however odd) or dead-lettered with its reason code and its bytes
 * untouched, that the good records come out in order with their ids, and that nothing stays in the
 * batch buffer. docs/RELIABILITY.md lists every kind with what was expected and seen.
 */
class HostileInputTest {

    private static final int TEXT_MAX_BYTES = 4096;
    private static final Duration LINGER = Duration.ofMillis(50);
    /** Not UTF-8, so a key that is decoded and re-encoded anywhere would not survive. */
    private static final byte[] KEY = {0, 1, 2, (byte) 0xFF, (byte) 0xC0};
    /**
     * Most bytes that refusing one record may make the topology allocate when the record is refused
     * before its content is decoded (about 30 kB measured). The records tested against it declare
     * 1 GiB or more, or are 10 MB; decoding them would allocate that much.
     */
    private static final long SMALL_RECORD_ALLOCATION_BOUND = 4L * 1024 * 1024;

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

    private static OnnxSentimentClassifier model;
    private ObservedClassifier classifier;

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
        classifier = new ObservedClassifier(model);
    }

    private static TopologySettings settings(WireFormat inputFormat) {
        return new TopologySettings(
                Topics.defaults().withFormats(inputFormat, WireFormat.AVRO), 8, LINGER, TEXT_MAX_BYTES, false);
    }

    // ---------------------------------------------------------------- harness

    /** What one run put out: raw output and dead-letter records in order, and the most one hostile send allocated. */
    private record Run(
            List<TestRecord<byte[], byte[]>> outputs,
            List<TestRecord<byte[], byte[]>> deadLetters,
            long mostAllocatedByOneHostileRecord) {

        List<SentimentEvent> events() {
            return outputs.stream().map(record -> decodeOutput(record.value())).toList();
        }

        List<String> ids() {
            return events().stream().map(SentimentEvent::getId).toList();
        }
    }

    private static SentimentEvent decodeOutput(byte[] value) {
        try {
            return WireFormat.AVRO.sentimentEventCodec().decode(value);
        } catch (RecordDecodingException e) {
            throw new AssertionError("An output record is not an Avro SentimentEvent", e);
        }
    }

    private static TextEvent goodEvent(int i) {
        return TestEvents.text("good-" + i, i % 2 == 0 ? "what a lovely day :)" : "worst service ever, never again");
    }

    private static List<String> goodIds(int count) {
        return IntStream.range(0, count).mapToObj(i -> "good-" + i).toList();
    }

    /**
     * Sends good record 0, then each hostile value (with the given key and headers) followed by the
     * next good record, then lets the linger pass. Good record i has key and id {@code good-i}.
     */
    private Run sendBetweenGoodRecords(WireFormat format, List<byte[]> hostile, byte[] key, Headers headers) {
        try (TopologyHarness harness = new TopologyHarness(settings(format), classifier)) {
            harness.send("good-0", goodEvent(0));
            long mostAllocated = 0;
            for (int i = 0; i < hostile.size(); i++) {
                byte[] keyCopy = key == null ? null : key.clone();
                byte[] valueCopy =
                        hostile.get(i) == null ? null : hostile.get(i).clone();
                Headers headersCopy = new RecordHeaders(headers.toArray());
                long allocated = allocatedBytesDuring(() -> harness.sendRaw(keyCopy, valueCopy, headersCopy));
                mostAllocated = Math.max(mostAllocated, allocated);
                harness.send("good-" + (i + 1), goodEvent(i + 1));
            }
            harness.advance(LINGER);
            Run run =
                    new Run(harness.output.readRecordsToList(), harness.deadLetters.readRecordsToList(), mostAllocated);
            assertThat(harness.buffer().approximateNumEntries())
                    .as("records left in the batch buffer")
                    .isZero();
            return run;
        }
    }

    private Run sendBetweenGoodRecords(WireFormat format, byte[] hostile) {
        return sendBetweenGoodRecords(format, Arrays.asList(hostile), KEY, new RecordHeaders());
    }

    private static long allocatedBytesDuring(Runnable action) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeThat(bean)
                .as("a JVM that counts allocated bytes per thread")
                .isInstanceOf(com.sun.management.ThreadMXBean.class);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeThat(threads.isThreadAllocatedMemoryEnabled()).isTrue();
        long before = threads.getCurrentThreadAllocatedBytes();
        action.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /**
     * Proves that each hostile value went to the dead-letter topic, in order, with key and value
     * untouched, the reason and its source offset, and that every good record came out in order.
     */
    private Run assertEachDeadLettered(
            WireFormat format, List<byte[]> hostile, RejectReason reason, String messagePart) {
        Run run = sendBetweenGoodRecords(format, hostile, KEY, new RecordHeaders());
        assertThat(run.ids())
                .as("good records around the hostile ones")
                .containsExactlyElementsOf(goodIds(hostile.size() + 1));
        assertThat(run.outputs())
                .extracting(record -> new String(record.key(), StandardCharsets.UTF_8))
                .containsExactlyElementsOf(goodIds(hostile.size() + 1));
        assertThat(run.deadLetters()).hasSize(hostile.size());
        for (int i = 0; i < hostile.size(); i++) {
            TestRecord<byte[], byte[]> deadLetter = run.deadLetters().get(i);
            assertThat(deadLetter.key()).isEqualTo(KEY);
            assertThat(deadLetter.value())
                    .as("dead letter %d keeps its bytes", i)
                    .isEqualTo(hostile.get(i));
            assertThat(header(deadLetter, DeadLetterHeaders.REASON)).isEqualTo(reason.name());
            assertThat(header(deadLetter, DeadLetterHeaders.MESSAGE)).contains(messagePart);
            assertThat(header(deadLetter, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo(Long.toString(2L * i + 1));
        }
        return run;
    }

    private Run assertDeadLettered(WireFormat format, byte[] hostile, RejectReason reason, String messagePart) {
        return assertEachDeadLettered(format, Arrays.asList(hostile), reason, messagePart);
    }

    /**
     * Proves that the hostile value was classified by the real model exactly as its text alone is,
     * between the good records, with nothing dead-lettered; returns its output event.
     */
    private SentimentEvent assertClassified(WireFormat format, byte[] hostile, String id, String text) {
        Run run = sendBetweenGoodRecords(format, hostile);
        assertThat(run.deadLetters()).as("dead letters").isEmpty();
        assertThat(run.ids()).containsExactly("good-0", id, "good-1");
        assertThat(run.outputs().get(1).key()).isEqualTo(KEY);
        SentimentEvent event = run.events().get(1);
        Prediction alone = model.classify(List.of(model.encode(text))).get(0);
        assertThat(event.getLabel()).isEqualTo(alone.label());
        for (int label = 0; label < alone.probabilities().length; label++) {
            assertThat(event.getProbabilities().get(model.info().labels().get(label)))
                    .isCloseTo(alone.probabilities()[label], within(1e-5f));
        }
        assertThat(event.getTokenCount()).isEqualTo(model.encode(text).tokenCount());
        return event;
    }

    private SentimentEvent assertClassified(WireFormat format, TextEvent event) {
        return assertClassified(format, encode(format, event), event.getId(), event.getText());
    }

    // ---------------------------------------------------------------- bytes that are not a record

    @ParameterizedTest
    @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
    void shouldDeadLetterRandomBytes(WireFormat format) {
        List<byte[]> values = List.of(
                HostileRecords.randomBytes(1, 1),
                HostileRecords.randomBytes(2, 64),
                HostileRecords.randomBytes(3, 4096),
                HostileRecords.randomBytes(4, 100_000));

        assertEachDeadLettered(format, values, RejectReason.UNDECODABLE, format == WireFormat.AVRO ? "Avro" : "JSON");
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

        assertEachDeadLettered(WireFormat.AVRO, values, RejectReason.UNDECODABLE, "Avro TextEvent");
    }

    @ParameterizedTest
    @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
    void shouldDeadLetterAnEmptyValue(WireFormat format) {
        assertDeadLettered(
                format,
                new byte[0],
                RejectReason.UNDECODABLE,
                format == WireFormat.AVRO ? "0 bytes, shorter than the 10-byte header" : "The value is empty");
    }

    @ParameterizedTest
    @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
    void shouldDeadLetterANullValueWithANullValue(WireFormat format) {
        Run run = assertDeadLettered(format, null, RejectReason.NULL_VALUE, "tombstone");

        assertThat(run.deadLetters().get(0).value()).isNull();
    }

    @ParameterizedTest
    @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
    void shouldClassifyARecordWithANullKeyAndKeepTheKeyNull(WireFormat format) {
        Run run = sendBetweenGoodRecords(
                format, List.of(encode(format, TestEvents.text("no-key", "love it"))), null, new RecordHeaders());

        assertThat(run.ids()).containsExactly("good-0", "no-key", "good-1");
        assertThat(run.outputs().get(1).key()).isNull();
        assertThat(run.deadLetters()).isEmpty();
    }

    @Test
    void shouldDeadLetterAHostileRecordWithANullKeyAndKeepTheKeyNull() {
        Run run = sendBetweenGoodRecords(
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

        assertDeadLettered(
                format,
                encode(other, TestEvents.text("1", "good")),
                RejectReason.UNDECODABLE,
                format == WireFormat.AVRO
                        ? "does not start with the Avro single-object marker"
                        : "not valid UTF-8: a zero byte");
    }

    // ---------------------------------------------------------------- Avro that lies

    @Test
    void shouldDeadLetterAvroTruncatedAtEveryLength() {
        byte[] full = encode(WireFormat.AVRO, TestEvents.fullText());
        List<byte[]> prefixes = IntStream.range(0, full.length)
                .mapToObj(length -> Arrays.copyOf(full, length))
                .toList();

        assertEachDeadLettered(WireFormat.AVRO, prefixes, RejectReason.UNDECODABLE, "Avro");
    }

    @Test
    void shouldDeadLetterAvroWithAnUnknownFingerprint() {
        assertDeadLettered(
                WireFormat.AVRO,
                HostileRecords.avroWithUnknownFingerprint(),
                RejectReason.UNDECODABLE,
                "Unknown Avro schema fingerprint");
    }

    @Test
    void shouldDeadLetterAValidAvroRecordOfAnotherSchema() {
        assertDeadLettered(
                WireFormat.AVRO,
                HostileRecords.avroOfAnotherSchema(),
                RejectReason.UNDECODABLE,
                "Unknown Avro schema fingerprint");
    }

    @Test
    void shouldDeadLetterTheBodyOfAnotherSchemaBehindTheTextEventFingerprint() {
        assertDeadLettered(
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

        Run run = assertEachDeadLettered(
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

        Run run = assertEachDeadLettered(
                WireFormat.AVRO, values, RejectReason.UNDECODABLE, "items but only 5 bytes remain in the message");

        assertThat(header(run.deadLetters().get(0), DeadLetterHeaders.MESSAGE))
                .contains("a map declares 1000000000 items");
        assertThat(run.mostAllocatedByOneHostileRecord()).isLessThan(SMALL_RECORD_ALLOCATION_BOUND);
    }

    @Test
    void shouldDeadLetterAvroDeclaringNegativeLengthsAndCounts() {
        byte[] negativeString = AvroBytes.textEvent().varLong(-5).raw('a', 'b').toByteArray();
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

        Run run = assertEachDeadLettered(
                WireFormat.AVRO,
                List.of(negativeString, negativeCount),
                RejectReason.UNDECODABLE,
                "Malformed Avro TextEvent");

        assertThat(header(run.deadLetters().get(0), DeadLetterHeaders.MESSAGE))
                .contains("a string has a negative length");
        assertThat(header(run.deadLetters().get(1), DeadLetterHeaders.MESSAGE)).contains("which has no absolute value");
    }

    @Test
    void shouldDeadLetterAvroWithAUnionBranchThatDoesNotExist() {
        byte[] value = AvroBytes.textEvent()
                .requiredFields("1", "hi")
                .varLong(7)
                .varLong(0)
                .emptyMap()
                .toByteArray();

        Run run = assertDeadLettered(WireFormat.AVRO, value, RejectReason.UNDECODABLE, "Malformed Avro TextEvent");

        assertThat(header(run.deadLetters().get(0), DeadLetterHeaders.EXCEPTION))
                .isEqualTo(ArrayIndexOutOfBoundsException.class.getName());
    }

    @Test
    void shouldDeadLetterAvroWithAnOverlongVarint() {
        byte[] value = AvroBytes.textEvent()
                .raw(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01)
                .toByteArray();

        assertDeadLettered(WireFormat.AVRO, value, RejectReason.UNDECODABLE, "Invalid long encoding");
    }

    @Test
    void shouldDeadLetterAvroWithBytesAfterTheRecord() {
        byte[] value = concat(encode(WireFormat.AVRO, TestEvents.text("1", "good")), new byte[] {0, 0});

        assertDeadLettered(WireFormat.AVRO, value, RejectReason.UNDECODABLE, "2 unexpected bytes after the end");
    }

    // ---------------------------------------------------------------- sizes

    @ParameterizedTest
    @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
    void shouldRefuseATenMegabyteTextByTheByteLimitWithoutTokenizingIt(WireFormat format) {
        String text = "spam ".repeat(2 * 1024 * 1024);
        byte[] value = encode(format, TestEvents.text("huge", text));

        Run run = assertDeadLettered(
                format,
                value,
                format == WireFormat.AVRO ? RejectReason.TEXT_TOO_LONG : RejectReason.UNDECODABLE,
                format == WireFormat.AVRO
                        ? "The text is 10485760 bytes in UTF-8, more than text.max.bytes=4096"
                        : "more than the limit of 1048576");

        assertThat(classifier.longestTokenizedChars())
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

        SentimentEvent event = assertClassified(format, TestEvents.text("at-limit", atLimit));
        assertDeadLettered(
                format,
                encode(format, TestEvents.text("over", overLimit)),
                RejectReason.TEXT_TOO_LONG,
                "The text is 4097 bytes in UTF-8");

        assertThat(event.getTruncated()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
    void shouldClassifyTheFirstTokensOfATextWithThousandsOfTokens(WireFormat format) {
        SentimentEvent event = assertClassified(format, TestEvents.text("many", "a ".repeat(2048)));

        assertThat(event.getTokenCount()).isEqualTo(2048);
        assertThat(event.getTruncated()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
    void shouldClassifyATextThatGrowsUnderNormalization(WireFormat format) {
        // U+FDFA is 3 bytes of UTF-8 and becomes 18 characters under NFKC.
        SentimentEvent event = assertClassified(format, TestEvents.text("nfkc", "\uFDFA".repeat(TEXT_MAX_BYTES / 3)));

        assertThat(event.getTruncated()).isTrue();
    }

    @Test
    void shouldDeadLetterAJsonDocumentOverTheSizeLimitBecauseOfItsAttributes() {
        byte[] value = encode(WireFormat.JSON, HostileRecords.withAttributes("big-map", 60_000));
        assertThat(value.length).isGreaterThan(1024 * 1024);

        assertDeadLettered(WireFormat.JSON, value, RejectReason.UNDECODABLE, "more than the limit of 1048576");

        assertThat(classifier.longestTokenizedChars()).isLessThanOrEqualTo(TEXT_MAX_BYTES);
    }

    @ParameterizedTest
    @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
    void shouldClassifyARecordWithTenThousandAttributesAndCopyThemAll(WireFormat format) {
        TextEvent input = HostileRecords.withAttributes("map", 10_000);

        SentimentEvent event = assertClassified(format, input);

        assertThat(event.getAttributes()).hasSize(10_000).isEqualTo(input.getAttributes());
    }

    @ParameterizedTest
    @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
    void shouldClassifyEventTimesAtTheEndsOfTheLongRange(WireFormat format) {
        TextEvent earliest = TestEvents.text("earliest", "good");
        earliest.setEventTime(Instant.ofEpochMilli(Long.MIN_VALUE));
        TextEvent latest = TestEvents.text("latest", "good");
        latest.setEventTime(Instant.ofEpochMilli(Long.MAX_VALUE));

        assertThat(assertClassified(format, earliest).getEventTime()).isEqualTo(Instant.ofEpochMilli(Long.MIN_VALUE));
        assertThat(assertClassified(format, latest).getEventTime()).isEqualTo(Instant.ofEpochMilli(Long.MAX_VALUE));
    }

    // ---------------------------------------------------------------- odd but valid texts, and texts without words

    @ParameterizedTest
    @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
    void shouldDeadLetterAnEmptyText(WireFormat format) {
        assertDeadLettered(
                format, encode(format, TestEvents.text("1", "")), RejectReason.EMPTY_TEXT, "The text is empty");
    }

    @ParameterizedTest
    @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
    void shouldDeadLetterAWhiteSpaceOnlyText(WireFormat format) {
        String whiteSpace = " \t\r\n\u000B\u000C\u00A0\u1680\u2003\u2028\u2029\u202F\u3000";

        assertDeadLettered(
                format, encode(format, TestEvents.text("1", whiteSpace)), RejectReason.EMPTY_TEXT, "only white space");
    }

    @ParameterizedTest
    @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
    void shouldClassifyATextWithControlCharacters(WireFormat format) {
        assertClassified(format, TestEvents.text("control", HostileRecords.CONTROL_CHARACTERS));
    }

    @ParameterizedTest
    @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
    void shouldDeadLetterATextOfOnlyControlOrInvisibleCharactersAsHavingNoTokens(WireFormat format) {
        List<byte[]> values = List.of(
                encode(format, TestEvents.text("1", HostileRecords.ONLY_CONTROL_CHARACTERS)),
                encode(format, TestEvents.text("2", HostileRecords.INVISIBLE_ONLY)));

        assertEachDeadLettered(format, values, RejectReason.NO_TOKENS, "no token");
    }

    @ParameterizedTest
    @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
    void shouldClassifyAnEmojiOnlyText(WireFormat format) {
        assertClassified(format, TestEvents.text("emoji", HostileRecords.EMOJI_ONLY));
    }

    @ParameterizedTest
    @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
    void shouldClassifyARightToLeftTextWithBidiControls(WireFormat format) {
        assertClassified(format, TestEvents.text("rtl", HostileRecords.RIGHT_TO_LEFT));
    }

    @ParameterizedTest
    @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
    void shouldClassifyATextDrownedInCombiningCharacters(WireFormat format) {
        assertClassified(format, TestEvents.text("zalgo", HostileRecords.COMBINING));
    }

    @ParameterizedTest
    @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
    void shouldClassifyNoncharactersAndPrivateUseCharacters(WireFormat format) {
        assertClassified(format, TestEvents.text("nonchar", "\uFFFE\uFFFF \uE000\uF8FF \uDBFF\uDFFF good"));
    }

    // ---------------------------------------------------------------- invalid UTF-8

    @Test
    void shouldDeadLetterInvalidUtf8InAnAvroString() {
        List<byte[]> values = HostileRecords.MALFORMED_UTF8.stream()
                .map(bad -> HostileRecords.avroWithTextBytes(hex(bad)))
                .toList();

        assertEachDeadLettered(WireFormat.AVRO, values, RejectReason.UNDECODABLE, "a string is not valid UTF-8");
    }

    @Test
    void shouldDeadLetterInvalidUtf8InJson() {
        List<byte[]> values = HostileRecords.MALFORMED_UTF8.stream()
                .map(bad -> HostileRecords.jsonWithTextBytes(hex(bad)))
                .toList();

        assertEachDeadLettered(WireFormat.JSON, values, RejectReason.UNDECODABLE, "is not valid UTF-8");
    }

    @Test
    void shouldDeadLetterJsonInUtf16() {
        byte[] value = "{\"id\":\"1\",\"text\":\"good\",\"event_time\":1}".getBytes(StandardCharsets.UTF_16BE);

        assertDeadLettered(WireFormat.JSON, value, RejectReason.UNDECODABLE, "a zero byte at offset 0");
    }

    @Test
    void shouldDeadLetterJsonWhoseEscapesLeaveASurrogateUnpaired() {
        List<byte[]> values = List.of(
                utf8("{\"id\":\"1\\ud800\",\"text\":\"good\",\"event_time\":1}"),
                utf8("{\"id\":\"1\",\"text\":\"good \\udc00 day\",\"event_time\":1}"),
                utf8("{\"id\":\"1\",\"text\":\"good\",\"event_time\":1,\"attributes\":{\"k\":\"\\ud83d\"}}"));

        assertEachDeadLettered(WireFormat.JSON, values, RejectReason.UNDECODABLE, "unpaired surrogate");
    }

    @Test
    void shouldClassifyJsonWithEscapedSurrogatePairsAndKeepTheId() {
        byte[] value =
                utf8("{\"id\":\"\\ud83d\\ude00\",\"text\":\"\\ud83d\\ude00 good \\u00e9\\u0000\",\"event_time\":1}");

        assertClassified(WireFormat.JSON, value, "\uD83D\uDE00", "\uD83D\uDE00 good \u00E9\u0000");
    }

    @Test
    void shouldDeadLetterJsonWithRawControlCharactersInAString() {
        byte[] value = utf8("{\"id\":\"1\",\"text\":\"good\u0001day\",\"event_time\":1}");

        assertDeadLettered(WireFormat.JSON, value, RejectReason.UNDECODABLE, "Illegal unquoted character");
    }

    @Test
    void shouldClassifyJsonWithAByteOrderMark() {
        byte[] value = utf8("\uFEFF{\"id\":\"bom\",\"text\":\"good day\",\"event_time\":1}");

        assertClassified(WireFormat.JSON, value, "bom", "good day");
    }

    // ---------------------------------------------------------------- JSON of the wrong shape

    @Test
    void shouldDeadLetterJsonWithMissingFields() {
        List<byte[]> values = List.of(
                utf8("{\"text\":\"good\",\"event_time\":1}"),
                utf8("{\"id\":\"1\",\"event_time\":1}"),
                utf8("{\"id\":\"1\",\"text\":\"good\"}"),
                utf8("{}"));

        assertEachDeadLettered(WireFormat.JSON, values, RejectReason.UNDECODABLE, "lacks the required field");
    }

    @Test
    void shouldDeadLetterJsonWithANumberWhereTextBelongs() {
        List<byte[]> values = List.of(
                utf8("{\"id\":\"1\",\"text\":42,\"event_time\":1}"),
                utf8("{\"id\":\"1\",\"text\":4.2e1,\"event_time\":1}"),
                utf8("{\"id\":7,\"text\":\"good\",\"event_time\":1}"));

        assertEachDeadLettered(WireFormat.JSON, values, RejectReason.UNDECODABLE, "must be a string, not a");
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

        assertEachDeadLettered(WireFormat.JSON, values, RejectReason.UNDECODABLE, " must ");
    }

    @Test
    void shouldClassifyJsonWithExtraFieldsAndIgnoreThem() {
        byte[] value = utf8("{\"id\":\"extra\",\"text\":\"good day\",\"event_time\":1,\"label\":\"negative\","
                + "\"nested\":{\"a\":[1,2.5,null,true,{\"b\":\"c\"}]},\"text2\":42}");

        SentimentEvent event = assertClassified(WireFormat.JSON, value, "extra", "good day");

        assertThat(event.getAttributes()).isEmpty();
    }

    @Test
    void shouldDeadLetterDeeplyNestedJson() {
        List<byte[]> values =
                List.of(HostileRecords.jsonNestedInExtraField(17), HostileRecords.jsonNestedInExtraField(100_000));

        assertEachDeadLettered(WireFormat.JSON, values, RejectReason.UNDECODABLE, "nesting depth");
    }

    @Test
    void shouldClassifyJsonNestedWithinTheDepthLimit() {
        assertClassified(WireFormat.JSON, HostileRecords.jsonNestedInExtraField(15), "nested", "good day");
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

        assertEachDeadLettered(WireFormat.JSON, values, RejectReason.UNDECODABLE, "JSON TextEvent");
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

        assertEachDeadLettered(WireFormat.JSON, values, RejectReason.UNDECODABLE, "JSON TextEvent");
    }

    @Test
    void shouldDeadLetterJsonWithDuplicateKeysOrTrailingContent() {
        List<byte[]> values = List.of(
                utf8("{\"id\":\"1\",\"text\":\"good\",\"text\":\"bad\",\"event_time\":1}"),
                utf8("{\"id\":\"1\",\"text\":\"good\",\"event_time\":1}{\"id\":\"2\"}"),
                utf8("{\"id\":\"1\",\"text\":\"good\",\"event_time\":1} // comment"),
                utf8("{\"id\":\"1\",\"text\":\"good\",\"event_time\":1,}"),
                utf8("{'id':'1','text':'good','event_time':1}"));

        assertEachDeadLettered(WireFormat.JSON, values, RejectReason.UNDECODABLE, "JSON TextEvent");
    }

    @Test
    void shouldDeadLetterJsonWithAnOverlongFieldName() {
        byte[] value = utf8("{\"id\":\"1\",\"text\":\"good\",\"event_time\":1,\"" + "n".repeat(2000) + "\":1}");

        assertDeadLettered(WireFormat.JSON, value, RejectReason.UNDECODABLE, "exceeds a limit");
    }

    // ---------------------------------------------------------------- keys and headers

    @Test
    void shouldReplaceForgedDeadLetterHeadersOfAHostileRecord() {
        Headers forged = new RecordHeaders()
                .add(DeadLetterHeaders.REASON, utf8("EMPTY_TEXT"))
                .add(DeadLetterHeaders.SOURCE_OFFSET, utf8("12345"))
                .add(DeadLetterHeaders.EXCEPTION, null);

        Run run = sendBetweenGoodRecords(WireFormat.AVRO, List.of(utf8("junk")), KEY, forged);

        TestRecord<byte[], byte[]> deadLetter = run.deadLetters().get(0);
        assertThat(deadLetter.headers().headers(DeadLetterHeaders.REASON)).hasSize(1);
        assertThat(header(deadLetter, DeadLetterHeaders.REASON)).isEqualTo("UNDECODABLE");
        assertThat(header(deadLetter, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("1");
        assertThat(deadLetter.headers().headers(DeadLetterHeaders.EXCEPTION)).hasSize(1);
        assertThat(run.ids()).containsExactly("good-0", "good-1");
    }

    @Test
    void shouldCarryOddHeadersOfAGoodRecordThroughTheBufferToTheOutput() {
        Headers odd = new RecordHeaders()
                .add("null-valued", null)
                .add("binary", new byte[] {(byte) 0xFF, 0})
                .add("", utf8("empty name"))
                .add("binary", utf8("second value"));

        Run run = sendBetweenGoodRecords(
                WireFormat.AVRO, List.of(encode(WireFormat.AVRO, TestEvents.text("h", "good"))), KEY, odd);

        Headers out = run.outputs().get(1).headers();
        assertThat(run.ids()).containsExactly("good-0", "h", "good-1");
        assertThat(out.lastHeader("null-valued").value()).isNull();
        assertThat(out.headers("binary"))
                .extracting(Header::value)
                .containsExactly(new byte[] {(byte) 0xFF, 0}, utf8("second value"));
        assertThat(out.lastHeader("").value()).isEqualTo(utf8("empty name"));
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

        Run run = sendBetweenGoodRecords(format, damaged, KEY, new RecordHeaders());

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

    // ---------------------------------------------------------------- many of everything

    @ParameterizedTest
    @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
    void shouldKeepGoingThroughThousandsOfMixedHostileRecordsAndAccountForEachOne(WireFormat format) {
        int count = 2000;
        Random random = new Random(7);
        List<HostileRecords.Sample> catalogue = HostileRecords.catalogue(format);
        List<HostileRecords.Sample> sent = new ArrayList<>(count);
        List<byte[]> keys = new ArrayList<>(count);
        try (TopologyHarness harness = new TopologyHarness(settings(format), classifier)) {
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
                harness.sendRaw(
                        key == null ? null : key.clone(),
                        sample.value() == null ? null : sample.value().clone(),
                        headers);
                if (random.nextInt(50) == 0) {
                    harness.advance(LINGER);
                }
            }
            harness.advance(LINGER);
            List<TestRecord<byte[], byte[]>> outputs = harness.output.readRecordsToList();
            List<TestRecord<byte[], byte[]>> deadLetters = harness.deadLetters.readRecordsToList();

            assertThat(outputs.size() + deadLetters.size())
                    .as("outputs + dead letters")
                    .isEqualTo(count);
            assertThat(harness.buffer().approximateNumEntries()).isZero();
            List<Integer> outputSequence =
                    outputs.stream().map(HostileInputTest::sequence).toList();
            List<Integer> deadLetterSequence =
                    deadLetters.stream().map(HostileInputTest::sequence).toList();
            assertThat(outputSequence).as("outputs in input order").isSorted().doesNotHaveDuplicates();
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
            assertThat(classifier.longestTokenizedChars()).isLessThanOrEqualTo(TEXT_MAX_BYTES);
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
            return HostileRecords.Sample.classified("good", encode(format, TestEvents.text("m-" + i, text.toString())));
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
