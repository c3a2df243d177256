package org.sentimentstream.model;

import java.util.List;
import org.sentimentstream.tokenizer.EncodedText;

/**
 * Classifies texts with a loaded model. Implementations are opened once per process, shared by all
 * stream threads (they must be thread-safe) and closed on shutdown.
 */
public interface SentimentClassifier extends AutoCloseable {

    /** What the loaded model is: its name, version, labels and maximum length. */
    ModelInfo info();

    /**
     * Tokenizes one text with the model's tokenizer and vocabulary. The result has no ids when the
     * text holds no token at all (for example only whitespace or invisible format characters).
     */
    EncodedText encode(String text);

    /**
     * Classifies a batch of encoded texts with one model call. Every element must have at least one
     * id. The result has one prediction per input, in the same order; a text's prediction does not
     * depend on the other texts of the batch.
     */
    List<Prediction> classify(List<EncodedText> batch);

    /** Releases the model session. */
    @Override
    void close();
}
