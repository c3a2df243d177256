package org.sentimentstream.serde;

import java.util.Objects;

/**
 * A message could not be decoded into a record. The message of the exception is the reason, written
 * for an operator (it never contains the text of the record); the cause, when there is one, is the
 * exception of the underlying library. The {@link Kind} says which class of problem it is, so that the
 * dead-letter topic can name it with a stable code.
 */
public class RecordDecodingException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The class of decoding problem. */
    public enum Kind {
        /** The bytes are not a record of the expected type in this wire format. */
        MALFORMED,
        /** The message names a writer schema (by registry id) that the schema registry does not have. */
        UNKNOWN_SCHEMA_ID,
        /**
         * The message's writer schema exists but cannot be read as the expected record type: Avro schema
         * resolution fails, or it is not an Avro schema.
         */
        INCOMPATIBLE_SCHEMA,
        /** A field that an input field path names (the text's) is absent or null in the value. */
        FIELD_MISSING,
        /** A field path meets a value of another type: a non-record on the way, or a text that is not a string. */
        FIELD_WRONG_TYPE
    }

    private final Kind kind;

    public RecordDecodingException(String reason) {
        this(Kind.MALFORMED, reason, null);
    }

    public RecordDecodingException(String reason, Throwable cause) {
        this(Kind.MALFORMED, reason, cause);
    }

    public RecordDecodingException(Kind kind, String reason, Throwable cause) {
        super(reason, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** Which class of problem this is. */
    public Kind kind() {
        return kind;
    }
}
