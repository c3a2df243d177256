package org.sentimentstream.serde;

/**
 * A message could not be decoded into a record. The message of the exception is the reason, written
 * for an operator (it never contains the text of the record); the cause, when there is one, is the
 * exception of the underlying library.
 */
public class RecordDecodingException extends Exception {

    private static final long serialVersionUID = 1L;

    public RecordDecodingException(String reason) {
        super(reason);
    }

    public RecordDecodingException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
