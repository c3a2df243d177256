package org.sentimentstream.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sentimentstream.tokenizer.Tokenizer;
import org.sentimentstream.tokenizer.Tokens;

/**
 * Whether a model can classify at all: one call with three texts taken from the committed parity vectors
 * ({@code src/test/resources/model/parity-vectors.jsonl}), one of a single token, a typical tweet of about
 * eighteen tokens, and the typical tweet's tokens repeated to the model's maximum length. The model passes
 * when the call succeeds and every prediction has one finite probability in [0, 1] per label, summing to 1.
 *
 * <p>One policy for two decisions: a hot reload switches to a new model only if it passes
 * ({@link ReloadingClassifier}), and when a whole batch fails, the batch's texts are blamed one by one only if
 * the model passes (the stream's failure isolation); a model that fails is a model failure, not a text's.
 * It reads only the labels and the probabilities of a prediction, nothing a model may add to it.
 */
public final class ModelSelfCheck {

    /** One token. */
    static final String SHORT_TEXT = "goodnight";

    /**
     * Eighteen tokens, a tweet of the training data's kind. None of its words is in the vocabulary of the tests'
     * small model, whose poison-word variants must pass the check (their poison is a text's, not the model's).
     */
    static final String TYPICAL_TEXT =
            "My email system was hacked and lots of my contacts have received email from an Indian web community ";

    private static final double SUM_TOLERANCE = 1e-3;
    private static final Tokenizer TOKENIZER = new Tokenizer();
    private static final Tokens SHORT = Tokens.of(TOKENIZER, SHORT_TEXT);
    private static final Tokens TYPICAL = Tokens.of(TOKENIZER, TYPICAL_TEXT);

    private ModelSelfCheck() {}

    /** The texts of the check for a model of this maximum length: short, typical, maximum length. */
    static List<Tokens> texts(int maxLength) {
        List<String> longest = new ArrayList<>(maxLength);
        while (longest.size() < maxLength) {
            longest.add(TYPICAL.values().get(longest.size() % TYPICAL.size()));
        }
        return List.of(SHORT, TYPICAL, new Tokens(longest));
    }

    /**
     * Runs the check with one {@link SentimentClassifier#classify} call.
     *
     * @return why the model fails the check, or empty when it passes
     */
    public static Optional<String> problem(SentimentClassifier classifier) {
        ModelInfo info = classifier.info();
        List<Tokens> texts = texts(info.maxLength());
        List<Prediction> predictions;
        try {
            predictions = classifier.classify(texts);
        } catch (InferenceException e) {
            return Optional.of("it fails on the self-check texts: " + e.getMessage());
        }
        if (predictions.size() != texts.size()) {
            return Optional.of("it answered " + predictions.size() + " predictions for " + texts.size() + " texts");
        }
        for (int i = 0; i < predictions.size(); i++) {
            String broken = brokenProbabilities(
                    predictions.get(i).probabilities(), info.labels().size());
            if (broken != null) {
                return Optional.of("self-check text " + (i + 1) + " of " + texts.size() + " ("
                        + texts.get(i).size() + " tokens): " + broken);
            }
        }
        return Optional.empty();
    }

    private static String brokenProbabilities(float[] probabilities, int labels) {
        if (probabilities == null || probabilities.length != labels) {
            return "not one probability per label (" + labels + ")";
        }
        double sum = 0;
        for (float p : probabilities) {
            if (!Float.isFinite(p) || p < 0 || p > 1) {
                return "a probability of " + p;
            }
            sum += p;
        }
        if (Math.abs(sum - 1) > SUM_TOLERANCE) {
            return "probabilities summing to " + sum;
        }
        return null;
    }
}
