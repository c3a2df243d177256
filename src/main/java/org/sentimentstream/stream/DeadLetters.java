package org.sentimentstream.stream;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.sentimentstream.serde.RecordDecodingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a rejected input record into its dead-letter record, and logs it. */
final class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    /** Longest {@link DeadLetterHeaders#MESSAGE}: a longer one is cut, so that the headers stay small. */
    static final int MAX_MESSAGE_CHARS = 500;

    private static final byte[] OMITTED = new byte[0];

    private DeadLetters() {}

    /**
     * The dead letter of a record too large to write again: its value is left out (empty), and its key and
     * headers too when they alone are over {@code recordMaxBytes}; {@link DeadLetterHeaders#VALUE_OMITTED} says
     * what was left out, and the source headers where the record is.
     */
    static Record<byte[], byte[]> withoutValue(
            byte[] key,
            long timestamp,
            Headers inputHeaders,
            SourcePosition source,
            Rejection rejection,
            int recordMaxBytes) {
        boolean keepKeyAndHeaders = RecordSizes.of(key, null, inputHeaders.toArray()) <= recordMaxBytes;
        Record<byte[], byte[]> deadLetter = of(
                keepKeyAndHeaders ? key : null,
                OMITTED,
                timestamp,
                keepKeyAndHeaders ? inputHeaders : new RecordHeaders(),
                source,
                rejection);
        add(deadLetter.headers(), DeadLetterHeaders.VALUE_OMITTED, keepKeyAndHeaders ? "value" : "value,key,headers");
        return deadLetter;
    }

    /**
     * The dead-letter record of an input record: its key, value, timestamp and headers untouched,
     * plus the {@link DeadLetterHeaders}.
     */
    static Record<byte[], byte[]> of(
            byte[] key,
            byte[] value,
            long timestamp,
            Headers inputHeaders,
            SourcePosition source,
            Rejection rejection) {
        LOG.warn(
                "Dead-lettering record topic={} partition={} offset={}: {} ({})",
                source.topic(),
                source.partition(),
                source.offset(),
                rejection.reason(),
                rejection.message());
        Headers headers = new RecordHeaders(inputHeaders.toArray());
        DeadLetterHeaders.ALL.forEach(headers::remove);
        add(headers, DeadLetterHeaders.REASON, rejection.reason().name());
        String message = rejection.message();
        add(
                headers,
                DeadLetterHeaders.MESSAGE,
                message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) + "..." : message);
        Throwable cause = rejection.cause();
        if (cause instanceof RecordDecodingException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause != null) {
            add(headers, DeadLetterHeaders.EXCEPTION, cause.getClass().getName());
        }
        add(headers, DeadLetterHeaders.SOURCE_TOPIC, source.topic());
        add(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(source.partition()));
        add(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(source.offset()));
        return new Record<>(key, value, timestamp, headers);
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
