package org.sentimentstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sentimentstream.model.ModelInfo;
import org.sentimentstream.model.Prediction;
import org.sentimentstream.model.SentimentClassifier;
import org.sentimentstream.tokenizer.Tokens;

class ClassificationPrinterTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final FakeClassifier classifier = new FakeClassifier();
    private final StringWriter out = new StringWriter();
    private final ClassificationPrinter printer = new ClassificationPrinter(classifier, new PrintWriter(out));

    @Test
    void shouldPrintOneJsonObjectPerTextWithLabelProbabilitiesAndModel() throws Exception {
        printer.classifyAndPrint(List.of("good day", "bad bad day"));

        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(2);
        JsonNode first = lines.get(0);
        assertThat(first.get("text").asText()).isEqualTo("good day");
        assertThat(first.get("label").asText()).isEqualTo("positive");
        assertThat(first.get("probabilities").get("negative").asDouble()).isEqualTo(0.25);
        assertThat(first.get("probabilities").get("positive").asDouble()).isEqualTo(0.75);
        assertThat(first.get("model_name").asText()).isEqualTo("fake");
        assertThat(first.get("model_version").asText()).isEqualTo("9.9");
        assertThat(first.get("truncated").asBoolean()).isFalse();
        assertThat(lines.get(1).get("label").asText()).isEqualTo("negative");
        assertThat(lines.get(1).get("truncated").asBoolean())
                .as("3 tokens, max 2")
                .isTrue();
        assertThat(classifier.calls).as("one model call per batch").isEqualTo(1);
    }

    @Test
    void shouldReportATextWithoutTokenInsteadOfSendingItToTheModel() throws Exception {
        printer.classifyAndPrint(List.of("   ", "good"));

        List<JsonNode> lines = lines();
        assertThat(lines.get(0).get("label").isNull()).isTrue();
        assertThat(lines.get(0).get("error").asText()).isEqualTo(ClassificationPrinter.NO_TOKEN_ERROR);
        assertThat(lines.get(1).get("label").asText()).isEqualTo("positive");
        assertThat(classifier.batchSizes).containsExactly(1);
    }

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            nodes.add(mapper.readTree(line));
        }
        return nodes;
    }

    /** Words are tokens (at most 2 kept); a text with "bad" is negative. */
    private static final class FakeClassifier implements SentimentClassifier {
        int calls;
        final List<Integer> batchSizes = new ArrayList<>();

        @Override
        public ModelInfo info() {
            return new ModelInfo("fake", "9.9", List.of("negative", "positive"), 2);
        }

        @Override
        public Tokens tokenize(String text) {
            return new Tokens(
                    text.isBlank() ? List.of() : Arrays.asList(text.trim().split("\\s+")));
        }

        @Override
        public List<Prediction> classify(List<Tokens> batch) {
            calls++;
            batchSizes.add(batch.size());
            ModelInfo info = info();
            return batch.stream()
                    .map(t -> t.values().stream().limit(2).anyMatch("bad"::equals)
                            ? new Prediction(
                                    0,
                                    "negative",
                                    new float[] {0.75f, 0.25f},
                                    new float[] {1, 0},
                                    info,
                                    t.size(),
                                    Math.min(t.size(), 2),
                                    t.size() > 2)
                            : new Prediction(
                                    1,
                                    "positive",
                                    new float[] {0.25f, 0.75f},
                                    new float[] {0, 1},
                                    info,
                                    t.size(),
                                    Math.min(t.size(), 2),
                                    t.size() > 2))
                    .toList();
        }

        @Override
        public void close() {}
    }
}
