package org.sentimentstream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.sentimentstream.model.InferenceException;
import org.sentimentstream.model.ModelInfo;
import org.sentimentstream.model.ModelLoader;
import org.sentimentstream.model.ModelOptions;
import org.sentimentstream.model.OnnxSentimentClassifier;
import org.sentimentstream.model.Prediction;
import org.sentimentstream.model.SentimentClassifier;
import org.sentimentstream.model.TestModels;
import org.sentimentstream.serde.TestEvents;
import org.sentimentstream.tokenizer.Tokens;

/**
 * A real ONNX model that fails on some texts (NaN logits, from a damaged embedding row): the record it
 * fails on is isolated from its batch and dead-lettered with {@code MODEL_ERROR}, the records around it
 * are classified, and a model that fails on every text (or on every long text) stops the task with nothing
 * dead-lettered. The number of model calls each case costs is asserted; a failure that does not recur when
 * its text is tried alone is not blamed on the text.
 */
class ModelErrorIsolationTest {

    private static final Duration LINGER = Duration.ofMillis(50);

    private static TopologySettings batchesOf(int maxRecords) {
        return new TopologySettings(Topics.defaults(), maxRecords, LINGER, 4096, false);
    }

    private static OnnxSentimentClassifier open(byte[] model) {
        return new OnnxSentimentClassifier(new ModelLoader(ModelOptions.defaults()).load(model, "test model"));
    }

    @Test
    void shouldDeadLetterOnlyThePoisonRecordAndClassifyTheRecordsAroundIt() {
        List<String> texts = List.of("i love it", "good day", "the movie", "i hate it", "not bad", "this day");
        try (OnnxSentimentClassifier model = open(TestModels.failingOn("hate"));
                TopologyHarness harness = new TopologyHarness(batchesOf(texts.size()), model)) {
            for (int i = 0; i < texts.size(); i++) {
                harness.send("k" + i, TestEvents.text("id-" + i, texts.get(i)));
            }

            List<TestRecord<String, org.sentimentstream.avro.SentimentEvent>> results = harness.results();
            assertThat(results).extracting(TestRecord::key).containsExactly("k0", "k1", "k2", "k4", "k5");
            assertThat(results)
                    .allSatisfy(r -> assertThat(r.value().getProbabilities().values())
                            .allSatisfy(p -> assertThat(p).isBetween(0f, 1f)));
            List<TestRecord<byte[], byte[]>> deadLetters = harness.deadLetters.readRecordsToList();
            assertThat(deadLetters).hasSize(1);
            assertThat(DeadLetterTest.header(deadLetters.get(0).headers(), DeadLetterHeaders.REASON))
                    .isEqualTo("MODEL_ERROR");
            assertThat(DeadLetterTest.header(deadLetters.get(0).headers(), DeadLetterHeaders.MESSAGE))
                    .contains("non-finite logit");
            assertThat(DeadLetterTest.header(deadLetters.get(0).headers(), DeadLetterHeaders.SOURCE_OFFSET))
                    .isEqualTo("3");
            assertThat(harness.bufferedKeys()).isEmpty();
        }
    }

    @Test
    void shouldIsolateOnePoisonRecordOfABatchOf128InSeventeenModelCalls() {
        try (OnnxSentimentClassifier model = open(TestModels.failingOn("hate"));
                ObservedClassifier observed = new ObservedClassifier(model);
                TopologyHarness harness = new TopologyHarness(batchesOf(128), observed)) {
            for (int i = 0; i < 128; i++) {
                harness.send("k" + i, TestEvents.text("id-" + i, i == 77 ? "i hate it" : "i love it"));
            }

            // the batch, the self-check, 2 halves at each of log2(128) = 7 levels, the isolated text once more
            assertThat(observed.classifyCalls()).isEqualTo(1 + 1 + 2 * 7 + 1);
            assertThat(harness.results()).hasSize(127);
            List<TestRecord<byte[], byte[]>> deadLetters = harness.deadLetters.readRecordsToList();
            assertThat(deadLetters)
                    .singleElement()
                    .satisfies(deadLetter -> assertThat(
                                    DeadLetterTest.header(deadLetter.headers(), DeadLetterHeaders.SOURCE_OFFSET))
                            .isEqualTo("77"));
        }
    }

    @Test
    void shouldStopAfterTwoModelCallsWhenTheModelFailsOnEveryText() {
        try (OnnxSentimentClassifier model = open(TestModels.failingOnEverything());
                ObservedClassifier observed = new ObservedClassifier(model);
                TopologyHarness harness = new TopologyHarness(batchesOf(128), observed)) {
            for (int i = 0; i < 127; i++) {
                harness.send("k" + i, TestEvents.text("id-" + i, "i love it"));
            }

            assertThatThrownBy(() -> harness.send("k127", TestEvents.text("id-127", "good day")))
                    .isInstanceOf(StreamsException.class)
                    .hasStackTraceContaining("The model fails on every input");
            assertThat(observed.classifyCalls())
                    .as("the batch, then the self-check")
                    .isEqualTo(2);
            assertThat(harness.deadLetters.isEmpty()).isTrue();
            assertThat(harness.bufferedKeys()).hasSize(128);
        }
    }

    @Test
    void shouldClassifyARecordWhoseFailureDoesNotRecurWhenRetriedAlone() {
        try (OnnxSentimentClassifier model = open(TestModels.valid());
                FaultyClassifier faulty = new FaultyClassifier(model, tokens -> tokens.contains("movie"), 3);
                TopologyHarness harness = new TopologyHarness(batchesOf(4), faulty)) {
            List<String> texts = List.of("i love it", "the movie", "good day", "not bad");
            for (int i = 0; i < texts.size(); i++) {
                harness.send("k" + i, TestEvents.text("id-" + i, texts.get(i)));
            }

            assertThat(faulty.failures())
                    .as("batch, half, the text alone: 3 transient failures")
                    .isEqualTo(3);
            assertThat(harness.results()).extracting(TestRecord::key).containsExactly("k0", "k1", "k2", "k3");
            assertThat(harness.deadLetters.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldStopRatherThanDeadLetterLongTextsWhenTheModelFailsOnEveryLongText() {
        try (OnnxSentimentClassifier model = OnnxSentimentClassifier.openBundled(ModelOptions.defaults());
                FaultyClassifier faulty = new FaultyClassifier(model, tokens -> tokens.size() > 30, Integer.MAX_VALUE);
                TopologyHarness harness = new TopologyHarness(batchesOf(3), faulty)) {
            harness.send("k0", TestEvents.text("id-0", "a short text"));
            harness.send("k1", TestEvents.text("id-1", "long ".repeat(40)));

            assertThatThrownBy(() -> harness.send("k2", TestEvents.text("id-2", "another short one")))
                    .isInstanceOf(StreamsException.class)
                    .hasStackTraceContaining("The model fails on every input");
            assertThat(harness.deadLetters.isEmpty())
                    .as("the long text is not blamed")
                    .isTrue();
            assertThat(harness.bufferedKeys()).hasSize(3);
        }
    }

    @Test
    void shouldStopRatherThanDeadLetterTheStreamWhenTheModelFailsOnEveryText() {
        try (OnnxSentimentClassifier model = open(TestModels.failingOnEverything());
                TopologyHarness harness = new TopologyHarness(batchesOf(3), model)) {
            harness.send("k0", TestEvents.text("id-0", "i love it"));
            harness.send("k1", TestEvents.text("id-1", "good day"));

            assertThatThrownBy(() -> harness.send("k2", TestEvents.text("id-2", "the movie")))
                    .isInstanceOf(StreamsException.class)
                    .hasStackTraceContaining("The model fails on every input");
            assertThat(harness.deadLetters.isEmpty()).isTrue();
            assertThat(harness.output.isEmpty()).isTrue();
            assertThat(harness.bufferedKeys()).hasSize(3);
        }
    }

    /**
     * TEST DOUBLE around a real classifier: a call fails with an {@link InferenceException} when one of its texts
     * matches {@code failsOn}, for the first {@code times} such calls; every other call goes to the real model.
     */
    private static final class FaultyClassifier implements SentimentClassifier {

        private final SentimentClassifier delegate;
        private final Predicate<List<String>> failsOn;
        private final int times;
        private int failures;

        FaultyClassifier(SentimentClassifier delegate, Predicate<List<String>> failsOn, int times) {
            this.delegate = delegate;
            this.failsOn = failsOn;
            this.times = times;
        }

        int failures() {
            return failures;
        }

        @Override
        public ModelInfo info() {
            return delegate.info();
        }

        @Override
        public Tokens tokenize(String text) {
            return delegate.tokenize(text);
        }

        @Override
        public List<Prediction> classify(List<Tokens> batch) {
            if (failures < times && batch.stream().map(Tokens::values).anyMatch(failsOn)) {
                failures++;
                throw new InferenceException("injected failure " + failures);
            }
            return delegate.classify(batch);
        }

        @Override
        public void close() {
            // the real classifier belongs to the test
        }
    }
}
