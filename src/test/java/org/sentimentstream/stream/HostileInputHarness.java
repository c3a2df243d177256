package org.sentimentstream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.model.OnnxSentimentClassifier;
import org.sentimentstream.model.Prediction;
import org.sentimentstream.serde.RecordDecodingException;
import org.sentimentstream.serde.TestEvents;
import org.sentimentstream.serde.WireFormat;

/**
 * The harness of {@link HostileInputTest}: sends hostile records between good ones through the whole
 * topology (TopologyTestDriver, the real ONNX model behind an {@link ObservedClassifier} spy) and proves
 * what became of each. Every send checks that the batch buffer is empty at the end; the {@code assert*}
 * methods check a hostile record's fate (classified exactly as its text alone, or dead-lettered with its
 * reason, message, source offset and untouched bytes) and that the good records around it came out in
 * order. One harness per test: the spy's observations start empty.
 */
final class HostileInputHarness {

    static final int TEXT_MAX_BYTES = 4096;
    static final Duration LINGER = Duration.ofMillis(50);
    /** Not UTF-8, so a key that is decoded and re-encoded anywhere would not survive. */
    static final byte[] KEY = {0, 1, 2, (byte) 0xFF, (byte) 0xC0};
    /**
     * Most bytes that refusing one record may make the topology allocate when the record is refused
     * before its content is decoded (about 30 kB measured). The records tested against it declare
     * 1 GiB or more, or are 10 MB; decoding them would allocate that much.
     */
    static final long SMALL_RECORD_ALLOCATION_BOUND = 4L * 1024 * 1024;

    private final OnnxSentimentClassifier model;
    private final ObservedClassifier classifier;

    /** A harness on the real model (shared by the tests, left open), observed afresh. */
    HostileInputHarness(OnnxSentimentClassifier model) {
        this.model = model;
        this.classifier = new ObservedClassifier(model);
    }

    /** The spy around the model: what the topology asked it to tokenize and classify. */
    ObservedClassifier classifier() {
        return classifier;
    }

    /** A topology in {@code inputFormat} with the harness's settings and classifier; the caller closes it. */
    TopologyHarness topology(WireFormat inputFormat) {
        return new TopologyHarness(settings(inputFormat), classifier);
    }

    private static TopologySettings settings(WireFormat inputFormat) {
        return new TopologySettings(
                Topics.defaults().withFormats(inputFormat, WireFormat.AVRO), 8, LINGER, TEXT_MAX_BYTES, false);
    }

    /** What one run put out: raw output and dead-letter records in order, and the most one hostile send allocated. */
    record Run(
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

    static SentimentEvent decodeOutput(byte[] value) {
        try {
            return WireFormat.AVRO.sentimentEventCodec().decode(value);
        } catch (RecordDecodingException e) {
            throw new AssertionError("An output record is not an Avro SentimentEvent", e);
        }
    }

    /** Good record {@code i}: id {@code good-i}, a positive text for even {@code i}, a negative one for odd. */
    static TextEvent goodEvent(int i) {
        return TestEvents.text("good-" + i, i % 2 == 0 ? "what a lovely day :)" : "worst service ever, never again");
    }

    static List<String> goodIds(int count) {
        return IntStream.range(0, count).mapToObj(i -> "good-" + i).toList();
    }

    /** The value of the last header {@code name} as UTF-8, or null when there is none. */
    static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /**
     * Sends good record 0, then each hostile value (with the given key and headers) followed by the
     * next good record, then lets the linger pass. Good record i has key and id {@code good-i}.
     */
    Run sendBetweenGoodRecords(WireFormat format, List<byte[]> hostile, byte[] key, Headers headers) {
        try (TopologyHarness harness = topology(format)) {
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

    /** {@link #sendBetweenGoodRecords(WireFormat, List, byte[], Headers)} of one value, with {@link #KEY}. */
    Run sendBetweenGoodRecords(WireFormat format, byte[] hostile) {
        return sendBetweenGoodRecords(format, Arrays.asList(hostile), KEY, new RecordHeaders());
    }

    private static long allocatedBytesDuring(Runnable action) {
        var bean = ManagementFactory.getThreadMXBean();
        assumeThat(bean).as("a JVM that counts allocated bytes per thread").isInstanceOf(ThreadMXBean.class);
        ThreadMXBean threads = (ThreadMXBean) bean;
        assumeThat(threads.isThreadAllocatedMemoryEnabled()).isTrue();
        long before = threads.getCurrentThreadAllocatedBytes();
        action.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    /**
     * Proves that each hostile value went to the dead-letter topic, in order, with key and value
     * untouched, the reason and its source offset, and that every good record came out in order.
     */
    Run assertEachDeadLettered(WireFormat format, List<byte[]> hostile, RejectReason reason, String messagePart) {
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

    /** {@link #assertEachDeadLettered} of one value. */
    Run assertDeadLettered(WireFormat format, byte[] hostile, RejectReason reason, String messagePart) {
        return assertEachDeadLettered(format, Arrays.asList(hostile), reason, messagePart);
    }

    /**
     * Proves that the hostile value was classified by the real model exactly as its text alone is,
     * between the good records, with nothing dead-lettered; returns its output event.
     */
    SentimentEvent assertClassified(WireFormat format, byte[] hostile, String id, String text) {
        Run run = sendBetweenGoodRecords(format, hostile);
        assertThat(run.deadLetters()).as("dead letters").isEmpty();
        assertThat(run.ids()).containsExactly("good-0", id, "good-1");
        assertThat(run.outputs().get(1).key()).isEqualTo(KEY);
        SentimentEvent event = run.events().get(1);
        Prediction alone = model.classifyEncoded(List.of(model.encode(text))).get(0);
        assertThat(event.getLabel()).isEqualTo(alone.label());
        for (int label = 0; label < alone.probabilities().length; label++) {
            assertThat(event.getProbabilities().get(model.info().labels().get(label)))
                    .isCloseTo(alone.probabilities()[label], within(1e-5f));
        }
        assertThat(event.getTokenCount()).isEqualTo(model.encode(text).tokenCount());
        return event;
    }

    /** {@link #assertClassified(WireFormat, byte[], String, String)} of {@code event} encoded in {@code format}. */
    SentimentEvent assertClassified(WireFormat format, TextEvent event) {
        return assertClassified(format, HostileRecords.encode(format, event), event.getId(), event.getText());
    }
}
