package org.sentimentstream.model;

/**
 * A model could not be loaded: the file is missing or unreadable, the requested execution provider is
 * not available, or (as {@link InvalidModelException}) the file breaks the model contract.
 */
public class ModelLoadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
