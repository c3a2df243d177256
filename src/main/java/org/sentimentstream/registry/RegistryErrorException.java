package org.sentimentstream.registry;

/**
 * The registry answered a request with an error that retrying cannot change (HTTP 4xx other than 408
 * and 429): an unknown schema id or subject, an incompatible schema, refused credentials, or a URL
 * that is not a registry's API. The status and the registry's {@code error_code} say which.
 */
public final class RegistryErrorException extends RegistryException {

    private static final long serialVersionUID = 1L;

    /** Confluent's error code of a subject that does not exist. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /** Confluent's error code of a schema (by id, or by content under a subject) that does not exist. */
    public static final int SCHEMA_NOT_FOUND = 40403;

    private final int status;
    private final int errorCode;
    private final boolean answerTooLarge;

    RegistryErrorException(String message, int status, int errorCode) {
        this(message, status, errorCode, false);
    }

    RegistryErrorException(String message, int status, int errorCode, boolean answerTooLarge) {
        super(message, null);
        this.status = status;
        this.errorCode = errorCode;
        this.answerTooLarge = answerTooLarge;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The registry's {@code error_code} (Confluent's codes, such as 40403), or -1 when the answer had none. */
    public int errorCode() {
        return errorCode;
    }

    /** Whether the registry said that the schema asked for does not exist (404 with error code 40403). */
    public boolean isSchemaNotFound() {
        return status == 404 && errorCode == SCHEMA_NOT_FOUND;
    }

    /** Whether the registry's answer was longer than the client reads ({@code MAX_ANSWER_BYTES}). */
    public boolean isAnswerTooLarge() {
        return answerTooLarge;
    }
}
