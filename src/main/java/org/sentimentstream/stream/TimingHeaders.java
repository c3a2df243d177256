package org.sentimentstream.stream;

import java.util.List;

/**
 * Headers of an output record with the wall-clock times of its way through the service, written when
 * {@code output.timing.headers} is on (for latency measurements: the {@code loadtest} command breaks a
 * record's latency down into stages with them). Every value is milliseconds since the epoch, in decimal
 * UTF-8.
 */
public final class TimingHeaders {

    /**
     * The input record's timestamp: its producer's create time, or the broker's append time when the input
     * topic has {@code message.timestamp.type=LogAppendTime}. The output record keeps the input timestamp,
     * unless its own topic has LogAppendTime, so it is repeated here.
     */
    public static final String INPUT_TIMESTAMP = "sentiment.timing.input-timestamp";
    /** When the service's processor received the record (before it is checked and buffered). */
    public static final String RECEIVED = "sentiment.timing.received";
    /** When the classification of the record's batch started. */
    public static final String BATCH_STARTED = "sentiment.timing.batch-started";
    /** When the model returned for the record's batch. */
    public static final String MODEL_DONE = "sentiment.timing.model-done";
    /** When the output record was handed to Kafka Streams' producer. */
    public static final String SENT = "sentiment.timing.sent";

    /** All of them, in the order of the stages. */
    public static final List<String> ALL = List.of(INPUT_TIMESTAMP, RECEIVED, BATCH_STARTED, MODEL_DONE, SENT);

    private TimingHeaders() {}
}
