package org.sentimentstream.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sentimentstream.tokenizer.EncodedText;
import org.sentimentstream.tokenizer.SharedVectors;
import org.sentimentstream.tokenizer.Tokenizer;

/**
 * The bundled model in Java against Python (src/test/resources/model/parity-vectors.jsonl): the same
 * ids, logits within 1e-4 of ONNX Runtime Python's, and batch invariance within 1e-5.
 */
class ParityVectorsTest {

    private static final double PARITY_TOLERANCE = 1e-4;
    private static final double BATCH_TOLERANCE = 1e-5;

    private static OnnxSentimentClassifier bundled;
    private static List<SharedVectors.Line> vectors;

    @BeforeAll
    static void openBundledModel() {
        bundled = OnnxSentimentClassifier.openBundled(ModelOptions.defaults());
        vectors = SharedVectors.read("model/parity-vectors.jsonl");
    }

    @AfterAll
    static void closeBundledModel() {
        bundled.close();
    }

    @Test
    void shouldEncodeEveryParityTextToPythonsIds() {
        for (SharedVectors.Line line : vectors) {
            assertThat(bundled.encode(line.text()).ids()).as(line.describe()).containsExactly(line.longs("ids"));
        }
    }

    @Test
    void shouldMatchPythonLogitsForEachTextAlone() {
        double worst = 0;
        for (SharedVectors.Line line : vectors) {
            float[] logits = bundled.classifyEncoded(List.of(bundled.encode(line.text())))
                    .get(0)
                    .logits();
            float[] expected = line.floats("logits");
            assertThat(logits).as(line.describe()).hasSameSizeAs(expected);
            for (int k = 0; k < expected.length; k++) {
                worst = Math.max(worst, Math.abs(logits[k] - expected[k]));
                assertThat((double) Math.abs(logits[k] - expected[k]))
                        .as(line.describe() + " logit " + k)
                        .isLessThanOrEqualTo(PARITY_TOLERANCE);
            }
        }
        assertThat(worst).isLessThanOrEqualTo(PARITY_TOLERANCE);
    }

    @Test
    void shouldMatchPythonLogitsInsideOneMixedLengthBatch() {
        List<EncodedText> batch = vectors.stream()
                .map(line -> bundled.encode(line.text()))
                .filter(encoded -> !encoded.isEmpty())
                .toList();
        List<SharedVectors.Line> kept = vectors.stream()
                .filter(line -> !bundled.encode(line.text()).isEmpty())
                .toList();

        List<Prediction> predictions = bundled.classifyEncoded(batch);

        for (int i = 0; i < kept.size(); i++) {
            float[] expected = kept.get(i).floats("logits");
            for (int k = 0; k < expected.length; k++) {
                assertThat((double) Math.abs(predictions.get(i).logits()[k] - expected[k]))
                        .as(kept.get(i).describe())
                        .isLessThanOrEqualTo(PARITY_TOLERANCE);
            }
        }
    }

    @Test
    void shouldGiveEachTextTheSameLogitsAloneAndInBatchesPaddedToOtherLengths() {
        List<EncodedText> texts = vectors.stream()
                .map(line -> bundled.encode(line.text()))
                .filter(encoded -> !encoded.isEmpty())
                .toList();
        EncodedText longest =
                texts.stream().max(Comparator.comparingInt(t -> t.ids().length)).orElseThrow();
        EncodedText shortest =
                texts.stream().min(Comparator.comparingInt(t -> t.ids().length)).orElseThrow();
        EncodedText full = bundled.encode("word ".repeat(bundled.info().maxLength() + 5));

        double worst = 0;
        for (EncodedText text : texts) {
            float[] alone = bundled.classifyEncoded(List.of(text)).get(0).logits();
            List<List<EncodedText>> batches =
                    List.of(List.of(text, full), List.of(full, shortest, text), List.of(shortest, text, longest, text));
            for (List<EncodedText> batch : batches) {
                List<Prediction> predictions = bundled.classifyEncoded(batch);
                for (int position = 0; position < batch.size(); position++) {
                    if (batch.get(position) == text) {
                        worst = Math.max(
                                worst,
                                maxAbsDifference(
                                        alone, predictions.get(position).logits()));
                    }
                }
            }
        }

        assertThat(worst).isLessThanOrEqualTo(BATCH_TOLERANCE);
    }

    private static double maxAbsDifference(float[] a, float[] b) {
        double worst = 0;
        for (int k = 0; k < a.length; k++) {
            worst = Math.max(worst, Math.abs(a[k] - b[k]));
        }
        return worst;
    }

    @Test
    void shouldLoadTheBundledModelUnderTheContract() {
        ModelMetadata metadata = bundled.metadata();
        assertThat(metadata.contract()).isEqualTo("sentiment-model/1");
        assertThat(metadata.tokenizer()).isEqualTo(Tokenizer.SPECIFICATION);
        assertThat(metadata.labels()).isNotEmpty();
        List<String> reserved = new ArrayList<>();
        for (int id = 0; id < 6; id++) {
            reserved.add(metadata.vocabulary().token(id));
        }
        assertThat(reserved).containsExactly("<pad>", "<unk>", "<url>", "<user>", "<hashtag>", "<number>");
    }
}
