package org.sentimentstream.stream;

import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.serde.DecodedInput;
import org.sentimentstream.tokenizer.Tokens;

/** The outcome of checking one input record: classifiable, or rejected with a reason. */
sealed interface Validation {

    /** A decoded input whose text has at least one token. */
    record Accepted(DecodedInput input, Tokens tokens) implements Validation {

        /** The id, text and time to classify. */
        TextEvent event() {
            return input.event();
        }
    }

    /** A record for the dead-letter topic. */
    record Rejected(Rejection rejection) implements Validation {}
}
