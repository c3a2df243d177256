package org.sentimentstream.cli;

/** Bad usage found while a command runs (a missing file, a bad setting): exit code 2, message only. */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }

    UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
