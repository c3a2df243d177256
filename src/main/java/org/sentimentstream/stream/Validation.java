package org.sentimentstream.stream;

import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.tokenizer.Tokens;

/** The outcome of checking one input record: classifiable, or rejected with a reason. */
sealed interface Validation {

    /** A decoded event whose text has at least one token. */
    record Accepted(TextEvent event, Tokens tokens) implements Validation {}

    /** A record for the dead-letter topic. */
    record Rejected(Rejection rejection) implements Validation {}
}
