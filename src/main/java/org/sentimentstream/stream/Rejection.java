package org.sentimentstream.stream;

import java.util.Objects;

/**
 * A record that cannot be classified, and why.
 *
 * @param reason  the stable code
 * @param message a human explanation, free of the record's text
 * @param cause   the exception that revealed the problem, or null when a check found it
 */
public record Rejection(RejectReason reason, String message, Throwable cause) {

    public Rejection {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }
}
