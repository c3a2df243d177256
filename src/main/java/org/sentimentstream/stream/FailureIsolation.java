package org.sentimentstream.stream;

import java.util.ArrayList;
import java.util.List;
import org.sentimentstream.model.InferenceException;
import org.sentimentstream.model.Prediction;
import org.sentimentstream.model.SentimentClassifier;
import org.sentimentstream.tokenizer.Tokens;

/**
 * Classifies a batch, and when the model fails on it, finds the texts it fails on by splitting the batch
 * in halves until each failure is one text. A failure that depends on the data (a text that makes the
 * model return a non-finite logit, say) then costs one dead letter instead of a task that fails, restarts
 * over the same restored batch and fails again forever. Only {@link InferenceException} is isolated; any
 * other exception (a closed model, a bug) propagates at once.
 */
final class FailureIsolation {

    /**
     * A text any working model classifies: when a batch had failures, the model must still classify this
     * before its failures are blamed on the texts rather than on the model.
     */
    static final Tokens PROBE = new Tokens(List.of("ok"));

    /** What became of one text of a batch. */
    sealed interface Outcome {

        /** The model classified the text. */
        record Classified(Prediction prediction) implements Outcome {}

        /** The model failed on this text alone. */
        record Failed(InferenceException failure) implements Outcome {}
    }

    private final SentimentClassifier classifier;

    FailureIsolation(SentimentClassifier classifier) {
        this.classifier = classifier;
    }

    /**
     * One outcome per text, in order.
     *
     * @throws ModelFailureException when some texts failed and the model fails on {@link #PROBE} too
     */
    List<Outcome> classify(List<Tokens> batch) {
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        InferenceException firstFailure = classifyInto(batch, outcomes);
        if (firstFailure != null) {
            requireWorkingModel(firstFailure, batch.size());
        }
        return outcomes;
    }

    /** Adds the outcomes of {@code texts} in order; returns the first failure, or null. */
    private InferenceException classifyInto(List<Tokens> texts, List<Outcome> outcomes) {
        List<Prediction> predictions;
        try {
            predictions = classifier.classify(texts);
        } catch (InferenceException e) {
            if (texts.size() == 1) {
                outcomes.add(new Outcome.Failed(e));
                return e;
            }
            int half = texts.size() / 2;
            InferenceException left = classifyInto(texts.subList(0, half), outcomes);
            InferenceException right = classifyInto(texts.subList(half, texts.size()), outcomes);
            return left != null ? left : right;
        }
        if (predictions.size() != texts.size()) {
            throw new IllegalStateException("The classifier returned " + predictions.size()
                    + " predictions for a batch of " + texts.size() + " texts");
        }
        predictions.forEach(prediction -> outcomes.add(new Outcome.Classified(prediction)));
        return null;
    }

    private void requireWorkingModel(InferenceException firstFailure, int batchSize) {
        try {
            classifier.classify(List.of(PROBE));
        } catch (InferenceException probeFailure) {
            ModelFailureException failure = new ModelFailureException(
                    "The model fails on every input, a probe text included (not on particular texts): a batch of "
                            + batchSize + " records stays buffered and the service stops; deploy a working model. "
                            + "First failure: " + firstFailure.getMessage(),
                    firstFailure);
            failure.addSuppressed(probeFailure);
            throw failure;
        }
    }
}
