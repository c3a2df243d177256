package org.sentimentstream.model;

import java.util.List;
import org.sentimentstream.tokenizer.Tokens;

/**
 * Classifies texts with a loaded model. Implementations are opened once per process, shared by all
 * stream threads (they must be thread-safe) and closed on shutdown.
 *
 * <p>Texts are tokenized once, when they arrive ({@link #tokenize}), and classified later in batches
 * ({@link #classify}). The tokens do not depend on the model's vocabulary, so a batch is classified
 * entirely by one model even when the model is replaced in between: token ids, truncation and the
 * model's identity are decided in {@link #classify}, and each {@link Prediction} names its model.
 */
public interface SentimentClassifier extends AutoCloseable {

    /** What the current model is: its name, version, labels and maximum length. */
    ModelInfo info();

    /**
     * Tokenizes one text by the tokenizer specification of the model (which a replacement model never
     * changes). The result is empty when the text holds no token at all (for example only whitespace or
     * invisible format characters).
     */
    Tokens tokenize(String text);

    /**
     * Classifies a batch of tokenized texts, every one with at least one token, with one model. The
     * result has one prediction per input, in the same order; a text's prediction does not depend on the
     * other texts of the batch.
     *
     * @throws InferenceException when the model fails on the batch (possibly because of one of its texts)
     */
    List<Prediction> classify(List<Tokens> batch);

    /** Releases the model session. */
    @Override
    void close();
}
