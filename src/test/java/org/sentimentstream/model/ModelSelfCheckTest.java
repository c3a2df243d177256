package org.sentimentstream.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sentimentstream.tokenizer.Tokens;

/** The self-check passes working models and names what is wrong with broken ones, in one model call. */
class ModelSelfCheckTest {

    private static OnnxSentimentClassifier open(byte[] model) {
        return new OnnxSentimentClassifier(new ModelLoader(ModelOptions.defaults()).load(model, "test model"));
    }

    @Test
    void shouldUseShortTypicalAndMaximumLengthTexts() {
        List<Tokens> texts = ModelSelfCheck.texts(64);

        assertThat(texts)
                .extracting(Tokens::size)
                .containsExactly(1, texts.get(1).size(), 64);
        assertThat(texts.get(1).size()).isBetween(15, 30);
    }

    @Test
    void shouldPassTheBundledModelAndAWorkingSmallModel() {
        try (OnnxSentimentClassifier bundled = OnnxSentimentClassifier.openBundled(ModelOptions.defaults());
                OnnxSentimentClassifier small = open(TestModels.valid())) {
            assertThat(ModelSelfCheck.problem(bundled)).isEmpty();
            assertThat(ModelSelfCheck.problem(small)).isEmpty();
        }
    }

    @Test
    void shouldFailAModelWithNanWeights() {
        try (OnnxSentimentClassifier model = open(TestModels.nanWeights())) {
            assertThat(ModelSelfCheck.problem(model))
                    .hasValueSatisfying(problem ->
                            assertThat(problem).contains("self-check").contains("non-finite logit"));
        }
    }
}
