package org.sentimentstream.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.sentimentstream.model.ModelInfo;
import org.sentimentstream.model.Prediction;
import org.sentimentstream.model.SentimentClassifier;
import org.sentimentstream.tokenizer.Tokens;

/**
 * Classifies batches of texts and prints one JSON object per text:
 * {@code {"text","label","probabilities":{label:p,...},"model_name","model_version","truncated"}}.
 * A text with no token at all gets {@code "label":null} and an {@code "error"} instead.
 */
final class ClassificationPrinter {

    static final String NO_TOKEN_ERROR = "the text has no token to classify";

    private final SentimentClassifier classifier;
    private final PrintWriter out;
    private final ObjectMapper mapper = new ObjectMapper();

    ClassificationPrinter(SentimentClassifier classifier, PrintWriter out) {
        this.classifier = classifier;
        this.out = out;
    }

    /** Classifies the texts as one batch (texts without a token left out of it) and prints them in order. */
    void classifyAndPrint(List<String> texts) {
        List<Tokens> tokenized = new ArrayList<>(texts.size());
        List<Tokens> batch = new ArrayList<>(texts.size());
        for (String text : texts) {
            Tokens tokens = classifier.tokenize(text);
            tokenized.add(tokens);
            if (!tokens.isEmpty()) {
                batch.add(tokens);
            }
        }
        List<Prediction> predictions = batch.isEmpty() ? List.of() : classifier.classify(batch);
        int next = 0;
        for (int i = 0; i < texts.size(); i++) {
            out.println(toJson(texts.get(i), tokenized.get(i).isEmpty() ? null : predictions.get(next++)));
        }
        out.flush();
    }

    private String toJson(String text, Prediction prediction) {
        ModelInfo info = prediction == null ? classifier.info() : prediction.model();
        ObjectNode node = mapper.createObjectNode();
        node.put("text", text);
        if (prediction == null) {
            node.putNull("label");
            node.putNull("probabilities");
        } else {
            node.put("label", prediction.label());
            ObjectNode probabilities = node.putObject("probabilities");
            for (int i = 0; i < info.labels().size(); i++) {
                probabilities.put(info.labels().get(i), prediction.probabilities()[i]);
            }
        }
        node.put("model_name", info.name());
        node.put("model_version", info.version());
        node.put("truncated", prediction != null && prediction.truncated());
        if (prediction == null) {
            node.put("error", NO_TOKEN_ERROR);
        }
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON object: " + e.getOriginalMessage(), e);
        }
    }
}
