package org.sentimentstream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sentimentstream.model.ModelInfo;
import org.sentimentstream.model.Prediction;

class UncertainRuleTest {

    private static final ModelInfo INFO = new ModelInfo("m", "1", List.of("negative", "positive"), 64);

    private static Prediction prediction(float positive, int knownTokens) {
        float[] probabilities = {1 - positive, positive};
        int best = positive >= 0.5f ? 1 : 0;
        return new Prediction(best, INFO.labels().get(best), probabilities, probabilities, INFO, 5, knownTokens, false);
    }

    @Test
    void shouldNeverApplyWhenOff() {
        assertThat(UncertainRule.OFF.labelOf(prediction(0.5f, 0))).isEqualTo("positive");
        assertThat(UncertainRule.OFF.labelOf(prediction(0.49f, 0))).isEqualTo("negative");
    }

    @Test
    void shouldKeepTheLabelAtTheThresholdsAndAnswerUncertainBelowEither() {
        UncertainRule rule = new UncertainRule(0.7, 2);

        assertThat(rule.labelOf(prediction(0.7f, 2))).isEqualTo("positive");
        assertThat(rule.labelOf(prediction(0.25f, 2))).isEqualTo("negative");
        assertThat(rule.labelOf(prediction(0.69f, 2))).isEqualTo("uncertain");
        assertThat(rule.labelOf(prediction(0.31f, 5))).isEqualTo("uncertain");
        assertThat(rule.labelOf(prediction(0.99f, 1))).isEqualTo("uncertain");
    }

    @Test
    void shouldRefuseThresholdsOutsideTheirRange() {
        assertThatThrownBy(() -> new UncertainRule(1.5, 0)).hasMessageContaining("minProbability");
        assertThatThrownBy(() -> new UncertainRule(Double.NaN, 0)).hasMessageContaining("minProbability");
        assertThatThrownBy(() -> new UncertainRule(0, -1)).hasMessageContaining("minKnownTokens");
    }
}
