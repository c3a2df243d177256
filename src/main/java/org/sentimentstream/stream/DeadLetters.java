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

    private DeadLetters() {}

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
        add(headers, DeadLetterHeaders.MESSAGE, rejection.message());
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
