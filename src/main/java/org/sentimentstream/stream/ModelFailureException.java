package org.sentimentstream.stream;

/**
 * The model fails on everything, not on one text: a batch failed, and so did the model's self-check
 * ({@link org.sentimentstream.model.ModelSelfCheck}: short, typical and maximum-length texts that any working
 * model classifies). Nothing of the batch is dead-lettered; the exception stops the stream thread
 * (and the service) with the records still buffered, to be classified once a working model is deployed.
 */
public final class ModelFailureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ModelFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
