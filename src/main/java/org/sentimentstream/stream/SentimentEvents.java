package org.sentimentstream.stream;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.model.ModelInfo;
import org.sentimentstream.model.Prediction;

/** Builds the output event of a classified text event, its label by the {@link UncertainRule}. */
final class SentimentEvents {

    private SentimentEvents() {}

    static SentimentEvent of(
            TextEvent input, Prediction prediction, Instant classifiedAt, boolean includeText, UncertainRule rule) {
        ModelInfo model = prediction.model();
        List<String> labels = model.labels();
        float[] probabilities = prediction.probabilities();
        if (probabilities.length != labels.size()) {
            throw new IllegalStateException("The classifier returned " + probabilities.length
                    + " probabilities for the " + labels.size() + " labels of model " + model.name());
        }
        Map<String, Float> byLabel = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            byLabel.put(labels.get(i), probabilities[i]);
        }
        return SentimentEvent.newBuilder()
                .setId(input.getId())
                .setLabel(rule.labelOf(prediction))
                .setProbabilities(byLabel)
                .setModelName(model.name())
                .setModelVersion(model.version())
                .setEventTime(input.getEventTime())
                .setClassifiedAt(classifiedAt)
                .setTokenCount(prediction.tokenCount())
                .setTruncated(prediction.truncated())
                .setSource(input.getSource())
                .setAttributes(input.getAttributes())
                .setText(includeText ? input.getText() : null)
                .setKnownTokenCount(prediction.knownTokenCount())
                .build();
    }
}
