package org.sentimentstream.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sentimentstream.model.InferenceException;
import org.sentimentstream.model.ModelSelfCheck;
import org.sentimentstream.model.Prediction;
import org.sentimentstream.model.SentimentClassifier;
import org.sentimentstream.tokenizer.Tokens;

/**
 * Classifies a batch, and when the model fails on it, finds the texts it fails on. A failure that depends on
 * the data (a text that makes the model return a non-finite logit, say) then costs one dead letter instead of
 * a task that fails, restarts over the same restored batch and fails again forever. Only
 * {@link InferenceException} is isolated; any other exception (a closed model, a bug) propagates at once.
 *
 * <p>When a whole batch fails, the model is checked first ({@link ModelSelfCheck}: short, typical and
 * maximum-length texts): a model that fails it is a model failure, and the service stops with the batch
 * still buffered (2 calls, not 2n - 1). Otherwise the batch is split in halves until each failure is one
 * text, and each such text is classified once more on its own before it is blamed, so a transient failure
 * (memory pressure on a GPU, say) does not dead-letter a good record. One poison text in a batch of n = 2^k
 * costs 1 + 1 + 2k + 1 calls (17 for 128); k poison texts O(k log(n/k)).
 *
 * <p>With hot reload, the calls of one batch may straddle a model switch, so the predictions of one batch
 * may come from two models; each names its own ({@link Prediction#model()}).
 */
final class FailureIsolation {

    /** What became of one text of a batch. */
    sealed interface Outcome {

        /** The model classified the text. */
        record Classified(Prediction prediction) implements Outcome {}

        /** The model failed on this text alone, twice. */
        record Failed(InferenceException failure) implements Outcome {}
    }

    private final SentimentClassifier classifier;

    FailureIsolation(SentimentClassifier classifier) {
        this.classifier = classifier;
    }

    /**
     * One outcome per text, in order.
     *
     * @throws ModelFailureException when the batch failed and the model fails the self-check too
     */
    List<Outcome> classify(List<Tokens> batch) {
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        try {
            addAll(outcomes, classifier.classify(batch), batch.size());
        } catch (InferenceException batchFailure) {
            requireWorkingModel(batchFailure, batch.size());
            isolateInto(batch, outcomes);
        }
        return outcomes;
    }

    /** Adds the outcomes of {@code texts}, which are known to hold a failure, in order. */
    private void isolateInto(List<Tokens> texts, List<Outcome> outcomes) {
        if (texts.size() == 1) {
            outcomes.add(retryAlone(texts.get(0)));
            return;
        }
        int half = texts.size() / 2;
        classifyInto(texts.subList(0, half), outcomes);
        classifyInto(texts.subList(half, texts.size()), outcomes);
    }

    /** Adds the outcomes of {@code texts} in order. */
    private void classifyInto(List<Tokens> texts, List<Outcome> outcomes) {
        List<Prediction> predictions;
        try {
            predictions = classifier.classify(texts);
        } catch (InferenceException e) {
            isolateInto(texts, outcomes);
            return;
        }
        addAll(outcomes, predictions, texts.size());
    }

    /** A text that failed on its own: classified once more before it is blamed. */
    private Outcome retryAlone(Tokens text) {
        try {
            List<Prediction> predictions = classifier.classify(List.of(text));
            checkSize(predictions, 1);
            return new Outcome.Classified(predictions.get(0));
        } catch (InferenceException e) {
            return new Outcome.Failed(e);
        }
    }

    private static void addAll(List<Outcome> outcomes, List<Prediction> predictions, int texts) {
        checkSize(predictions, texts);
        predictions.forEach(prediction -> outcomes.add(new Outcome.Classified(prediction)));
    }

    private static void checkSize(List<Prediction> predictions, int texts) {
        if (predictions.size() != texts) {
            throw new IllegalStateException("The classifier returned " + predictions.size()
                    + " predictions for a batch of " + texts + " texts");
        }
    }

    private void requireWorkingModel(InferenceException batchFailure, int batchSize) {
        Optional<String> problem = ModelSelfCheck.problem(classifier);
        if (problem.isPresent()) {
            throw new ModelFailureException(
                    "The model fails on every input, its self-check included (not on particular texts: "
                            + problem.get() + "): a batch of " + batchSize + " records stays buffered and the"
                            + " service stops; deploy a working model. Batch failure: " + batchFailure.getMessage(),
                    batchFailure);
        }
    }
}
