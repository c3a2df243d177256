package org.sentimentstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.serde.TestEvents;

/**
 * The {@code uncertain} label of the {@link UncertainRule} through the topology: off by default, and with
 * either threshold set, written instead of the model's label while the probabilities stay. The test double's
 * probabilities are 0.9 for a positive text and 0.8 for a negative one; its known tokens are ASCII ones.
 */
class UncertainLabelTest {

    private static final String ARABIC = "\u0647\u0630\u0627 \u0631\u0627\u0626\u0639 \u062c\u062f\u0627";

    private final KeywordClassifier classifier = new KeywordClassifier();

    private static TopologySettings settings(UncertainRule rule) {
        return new TopologySettings(Topics.defaults(), 1, Duration.ofMillis(100), 4096, false).withUncertainRule(rule);
    }

    private List<SentimentEvent> classify(UncertainRule rule, String... texts) {
        try (TopologyHarness harness = new TopologyHarness(settings(rule), classifier)) {
            for (int i = 0; i < texts.length; i++) {
                harness.send("k" + i, TestEvents.text(Integer.toString(i), texts[i]));
            }
            return harness.results().stream().map(r -> r.value()).toList();
        }
    }

    @Test
    void shouldWriteTheModelsLabelAndTheKnownTokenCountWithTheDefaults() {
        List<SentimentEvent> events =
                classify(TopologySettings.defaults().uncertainRule(), "I love it", "I hate it", ARABIC);

        assertThat(events).extracting(SentimentEvent::getLabel).containsExactly("positive", "negative", "negative");
        assertThat(events).extracting(SentimentEvent::getKnownTokenCount).containsExactly(3, 3, 0);
        assertThat(events).extracting(SentimentEvent::getTokenCount).containsExactly(3, 3, 3);
    }

    @Test
    void shouldLabelTextsWithTooFewKnownTokensUncertainAndKeepTheirProbabilities() {
        List<SentimentEvent> events = classify(new UncertainRule(0, 1), "I love it", ARABIC + " ok", ARABIC);

        assertThat(events).extracting(SentimentEvent::getLabel).containsExactly("positive", "negative", "uncertain");
        assertThat(events.get(2).getProbabilities())
                .containsExactlyInAnyOrderEntriesOf(Map.of("negative", 0.8f, "positive", 0.2f));
        assertThat(events.get(2).getKnownTokenCount()).isZero();
    }

    @Test
    void shouldLabelTextsBelowTheProbabilityThresholdUncertain() {
        List<SentimentEvent> atThreshold = classify(new UncertainRule(0.8, 0), "I love it", "I hate it");
        List<SentimentEvent> above = classify(new UncertainRule(0.85, 0), "I love it", "I hate it");

        assertThat(atThreshold).extracting(SentimentEvent::getLabel).containsExactly("positive", "negative");
        assertThat(above).extracting(SentimentEvent::getLabel).containsExactly("positive", "uncertain");
        assertThat(above.get(1).getProbabilities())
                .containsExactlyInAnyOrderEntriesOf(Map.of("negative", 0.8f, "positive", 0.2f));
    }
}
