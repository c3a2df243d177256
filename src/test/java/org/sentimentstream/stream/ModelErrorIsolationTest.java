package org.sentimentstream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.sentimentstream.model.ModelLoader;
import org.sentimentstream.model.ModelOptions;
import org.sentimentstream.model.OnnxSentimentClassifier;
import org.sentimentstream.model.TestModels;
import org.sentimentstream.serde.TestEvents;

/**
 * A real ONNX model that fails on some texts (NaN logits, from a damaged embedding row): the record it
 * fails on is isolated from its batch and dead-lettered with {@code MODEL_ERROR}, the records around it
 * are classified, and a model that fails on every text stops the task with nothing dead-lettered.
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
}
