package org.sentimentstream.model;

/** A model call failed, or the model answered with something unusable (wrong shape, non-finite logits). */
public class InferenceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InferenceException(String message) {
        super(message);
    }

    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
