package org.sentimentstream.registry;

/**
 * A schema registry call failed. Unchecked: a caller on a stream thread lets it fail the thread (the
 * record's offset is not committed, so nothing is lost), and a command lets it end the command with
 * its message.
 */
public abstract class RegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
