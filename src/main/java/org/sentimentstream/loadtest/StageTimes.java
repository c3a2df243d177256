package org.sentimentstream.loadtest;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.record.TimestampType;
import org.sentimentstream.stream.TimingHeaders;

/**
 * The times of one result's way through the service, from its {@link TimingHeaders} (written when the
 * service runs with {@code output.timing.headers=true}), in milliseconds since the epoch.
 *
 * @param inputTimestamp the input record's timestamp (the broker's append time when the input topic has
 *                       LogAppendTime)
 * @param received       when the service's processor received the record
 * @param batchStarted   when its batch's classification started
 * @param modelDone      when the model returned for its batch
 * @param sent           when the service handed the output record to its producer
 * @param outputAppended when the broker appended the output record, if the output topic has LogAppendTime
 */
public record StageTimes(
        long inputTimestamp, long received, long batchStarted, long modelDone, long sent, OptionalLong outputAppended) {

    /**
     * The stage times of an output record, or empty when it has no timing headers (or a malformed one).
     *
     * @param timestamp     the output record's timestamp
     * @param timestampType its type: {@link TimestampType#LOG_APPEND_TIME} makes it the append time
     */
    public static Optional<StageTimes> of(Headers headers, long timestamp, TimestampType timestampType) {
        try {
            OptionalLong inputTimestamp = millis(headers, TimingHeaders.INPUT_TIMESTAMP);
            OptionalLong received = millis(headers, TimingHeaders.RECEIVED);
            OptionalLong batchStarted = millis(headers, TimingHeaders.BATCH_STARTED);
            OptionalLong modelDone = millis(headers, TimingHeaders.MODEL_DONE);
            OptionalLong sent = millis(headers, TimingHeaders.SENT);
            if (inputTimestamp.isEmpty()
                    || received.isEmpty()
                    || batchStarted.isEmpty()
                    || modelDone.isEmpty()
                    || sent.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new StageTimes(
                    inputTimestamp.getAsLong(),
                    received.getAsLong(),
                    batchStarted.getAsLong(),
                    modelDone.getAsLong(),
                    sent.getAsLong(),
                    timestampType == TimestampType.LOG_APPEND_TIME
                            ? OptionalLong.of(timestamp)
                            : OptionalLong.empty()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static OptionalLong millis(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(new String(header.value(), StandardCharsets.US_ASCII)));
    }
}
