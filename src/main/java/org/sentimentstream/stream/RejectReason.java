package org.sentimentstream.stream;

/**
 * Why a record went to the dead-letter topic: the stable code in the {@code sentiment.error.reason}
 * header. Codes are never renamed; new ones may be added.
 */
public enum RejectReason {
    /** The value is null (a tombstone). */
    NULL_VALUE,
    /** The value is not a text event in the input format. */
    UNDECODABLE,
    /** The text is empty or only white space. */
    EMPTY_TEXT,
    /** The text is longer than {@code text.max.bytes} in UTF-8. */
    TEXT_TOO_LONG,
    /** The tokenizer finds no token in the text (for example only invisible format characters). */
    NO_TOKENS,
    /**
     * The value is larger than the batch buffer accepts ({@link RecordValidator#MAX_BUFFERED_VALUE_BYTES}):
     * buffering it would write a changelog record over Kafka's default 1 MiB request size.
     */
    RECORD_TOO_LARGE
}
