package org.sentimentstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sentimentstream.tokenizer.EncodedText;

/** Encoding and batched classification, on a small random BiLSTM built by {@link TestModelBuilder}. */
class OnnxSentimentClassifierTest {

    private static final List<String> TEXTS = List.of(
            "I love this movie!!!",
            "i hate it",
            "bad",
            "not good not bad the day the movie 😂",
            "@bob #love http://x.co 42",
            "completely unknown words");

    private TestModelBuilder builder;
    private OnnxSentimentClassifier classifier;

    @BeforeEach
    void open() {
        builder = TestModelBuilder.small();
        classifier = new OnnxSentimentClassifier(
                new ModelLoader(ModelOptions.defaults()).load(builder.build(), "test-model.onnx"));
    }

    @AfterEach
    void close() {
        classifier.close();
    }

    private List<EncodedText> encodeAll(List<String> texts) {
        return texts.stream().map(classifier::encode).toList();
    }

    @Test
    void shouldEncodeTokensToVocabularyIdsWithUnknownId() {
        EncodedText encoded = classifier.encode("I love cats!!!");

        assertThat(encoded.ids()).containsExactly(6, 7, 1, 12);
        assertThat(encoded.tokenCount()).isEqualTo(4);
        assertThat(encoded.truncated()).isFalse();
    }

    @Test
    void shouldEncodePlaceholdersToTheirReservedIds() {
        assertThat(classifier.encode("http://a @b #c 3.5").ids()).containsExactly(2, 3, 4, 1, 5);
    }

    @Test
    void shouldTruncateToMaxLengthAndCountAllTokens() {
        EncodedText encoded = classifier.encode("a b c d e f g h i j");

        assertThat(encoded.ids()).hasSize(8);
        assertThat(encoded.tokenCount()).isEqualTo(10);
        assertThat(encoded.truncated()).isTrue();
    }

    @Test
    void shouldEncodeTextWithoutTokensAsEmpty() {
        assertThat(classifier.encode(" \u200B\t").isEmpty()).isTrue();
    }

    @Test
    void shouldMatchTheReferenceNetworkComputedInJava() {
        List<EncodedText> batch = encodeAll(TEXTS);

        List<Prediction> predictions = classifier.classifyEncoded(batch);

        assertThat(predictions).hasSize(TEXTS.size());
        for (int i = 0; i < batch.size(); i++) {
            float[] expected = builder.referenceLogits(batch.get(i).ids());
            float[] actual = predictions.get(i).logits();
            for (int k = 0; k < expected.length; k++) {
                assertThat(actual[k]).as("text %d logit %d", i, k).isCloseTo(expected[k], within(1e-4f));
            }
        }
    }

    @Test
    void shouldGiveTheSameLogitsAloneAndInsideBatchesOfMixedLengths() {
        List<EncodedText> all = encodeAll(TEXTS);
        List<float[]> alone = new ArrayList<>();
        for (EncodedText text : all) {
            alone.add(classifier.classifyEncoded(List.of(text)).get(0).logits());
        }
        List<List<Integer>> batchOrders =
                List.of(List.of(0, 1, 2, 3, 4, 5), List.of(5, 4, 3, 2, 1, 0), List.of(2, 3), List.of(3, 2, 2, 0, 1));

        double maxDifference = 0;
        for (List<Integer> order : batchOrders) {
            List<Prediction> predictions =
                    classifier.classifyEncoded(order.stream().map(all::get).toList());
            for (int position = 0; position < order.size(); position++) {
                float[] expected = alone.get(order.get(position));
                float[] actual = predictions.get(position).logits();
                for (int k = 0; k < expected.length; k++) {
                    maxDifference = Math.max(maxDifference, Math.abs(expected[k] - actual[k]));
                }
            }
        }

        assertThat(maxDifference).isLessThanOrEqualTo(1e-5);
    }

    @Test
    void shouldReturnSoftmaxProbabilitiesAndTheMostProbableLabel() {
        for (Prediction prediction : classifier.classifyEncoded(encodeAll(TEXTS))) {
            float[] logits = prediction.logits();
            float[] probabilities = prediction.probabilities();
            assertThat(probabilities[0] + probabilities[1]).isCloseTo(1.0f, within(1e-6f));
            double expectedPositive = 1.0 / (1.0 + Math.exp((double) logits[0] - logits[1]));
            assertThat((double) probabilities[1]).isCloseTo(expectedPositive, within(1e-6));
            int best = logits[1] > logits[0] ? 1 : 0;
            assertThat(prediction.labelIndex()).isEqualTo(best);
            assertThat(prediction.label())
                    .isEqualTo(List.of("negative", "positive").get(best));
        }
    }

    @Test
    void shouldReturnNoPredictionForAnEmptyBatch() {
        assertThat(classifier.classifyEncoded(List.of())).isEmpty();
    }

    @Test
    void shouldRefuseABatchElementWithoutIds() {
        List<EncodedText> batch = List.of(classifier.encode("good"), classifier.encode("   "));

        assertThatThrownBy(() -> classifier.classifyEncoded(batch))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batch element 1 has no token ids");
    }

    @Test
    void shouldRefuseIdsOutsideTheVocabulary() {
        List<EncodedText> batch = List.of(new EncodedText(new long[] {6, 20}, 2, 2));

        assertThatThrownBy(() -> classifier.classifyEncoded(batch))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds id 20, outside the vocabulary");
    }

    @Test
    void shouldRefuseMoreIdsThanTheMaximumLength() {
        List<EncodedText> batch = List.of(new EncodedText(new long[9], 9, 9));

        assertThatThrownBy(() -> classifier.classifyEncoded(batch))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than the model's maximum length 8");
    }

    @Test
    void shouldRefuseToClassifyAfterClose() {
        List<EncodedText> batch = List.of(classifier.encode("good"));
        classifier.close();

        assertThatThrownBy(() -> classifier.classifyEncoded(batch))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    @Timeout(60)
    void shouldGiveTheSameAnswersWhenCalledFromSeveralThreadsAtOnce() throws Exception {
        List<EncodedText> batch = encodeAll(TEXTS);
        List<Prediction> expected = classifier.classifyEncoded(batch);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<List<Prediction>>> calls = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                calls.add(() -> classifier.classifyEncoded(batch));
            }
            for (Future<List<Prediction>> future : pool.invokeAll(calls)) {
                List<Prediction> actual = future.get();
                for (int i = 0; i < expected.size(); i++) {
                    assertThat(actual.get(i).logits())
                            .containsExactly(expected.get(i).logits());
                }
            }
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    @Timeout(60)
    void shouldGiveEachConcurrentCallerTheAnswersOfItsOwnBatchWhenBatchesDiffer() throws Exception {
        List<EncodedText> all = encodeAll(TEXTS);
        List<List<EncodedText>> batches = List.of(
                all,
                all.subList(0, 1),
                all.subList(2, 5),
                all.subList(3, 4),
                List.of(all.get(5), all.get(0), all.get(3)));
        List<List<Prediction>> expected =
                batches.stream().map(classifier::classifyEncoded).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<List<Prediction>>> calls = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                List<EncodedText> batch = batches.get(i % batches.size());
                calls.add(() -> classifier.classifyEncoded(batch));
            }
            List<Future<List<Prediction>>> futures = pool.invokeAll(calls);
            for (int i = 0; i < futures.size(); i++) {
                List<Prediction> actual = futures.get(i).get();
                List<Prediction> wanted = expected.get(i % batches.size());
                assertThat(actual).hasSameSizeAs(wanted);
                for (int row = 0; row < wanted.size(); row++) {
                    assertThat(actual.get(row).logits())
                            .containsExactly(wanted.get(row).logits());
                }
            }
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void shouldExposeTheModelInfo() {
        assertThat(classifier.info())
                .isEqualTo(new ModelInfo("test-bilstm", "0.0.1", List.of("negative", "positive"), 8));
    }
}
