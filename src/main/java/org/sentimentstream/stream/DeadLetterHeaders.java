package org.sentimentstream.stream;

import java.util.List;

/**
 * Headers of a dead-letter record; every value is a UTF-8 string. The record's key, value and
 * timestamp are those of the input record, untouched (except for a record too large: {@link #VALUE_OMITTED}), and the input's own headers are kept too
 * (except earlier {@code sentiment.error.*} / {@code sentiment.source.*} headers, which are replaced).
 */
public final class DeadLetterHeaders {

    /** The stable reason code: a {@link RejectReason} name such as {@code UNDECODABLE}. */
    public static final String REASON = "sentiment.error.reason";
    /** A human explanation of the reason; never contains the record's text. */
    public static final String MESSAGE = "sentiment.error.message";
    /**
     * Fully qualified class of the exception that revealed the problem (for {@code UNDECODABLE}:
     * the decoding library's exception when there is one). Absent when a check found the problem.
     */
    public static final String EXCEPTION = "sentiment.error.exception";
    /**
     * Present only on a {@code RECORD_TOO_LARGE} dead letter, whose value is left out (empty) so that the dead
     * letter itself fits: what was left out, {@code value}, or {@code value,key,headers} when the key and headers
     * alone are over the limit too.
     */
    public static final String VALUE_OMITTED = "sentiment.error.value.omitted";
    /** Topic the record was read from. */
    public static final String SOURCE_TOPIC = "sentiment.source.topic";
    /** Partition the record was read from, in decimal. */
    public static final String SOURCE_PARTITION = "sentiment.source.partition";
    /** Offset of the record in that partition, in decimal. */
    public static final String SOURCE_OFFSET = "sentiment.source.offset";

    /** All of the above. */
    public static final List<String> ALL =
            List.of(REASON, MESSAGE, EXCEPTION, VALUE_OMITTED, SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET);

    private DeadLetterHeaders() {}
}
