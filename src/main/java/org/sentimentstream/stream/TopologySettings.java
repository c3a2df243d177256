package org.sentimentstream.stream;

import java.time.Duration;
import java.util.Objects;

/**
 * What the topology needs from the configuration.
 *
 * @param topics          topic names and formats
 * @param batchMaxRecords most records per model call; a full buffer is classified at once
 * @param batchLinger     longest wall-clock wait of a buffered record before its batch is classified
 * @param textMaxBytes    largest accepted text, in UTF-8 bytes
 * @param includeText     whether output events echo the text
 * @param timingHeaders   whether output records carry {@link TimingHeaders}
 * @param uncertainRule   when the output's label is {@value UncertainRule#LABEL} instead of the model's
 * @param batchMaxBytes   most buffered bytes (keys, values, headers) of a task before its batch is classified
 * @param recordMaxBytes  largest input record (key, value and headers) accepted: the producer's
 *                        {@code max.request.size} less {@link RecordSizes#RESERVED_BYTES}
 */
public record TopologySettings(
        Topics topics,
        int batchMaxRecords,
        Duration batchLinger,
        int textMaxBytes,
        boolean includeText,
        boolean timingHeaders,
        UncertainRule uncertainRule,
        int batchMaxBytes,
        int recordMaxBytes) {

    /**
     * The configuration's defaults of {@code batch.max.bytes} and of Kafka's {@code max.request.size}, of
     * {@code batch.max.records}, {@code batch.linger.ms} and {@code text.max.bytes} (app's StreamSettingsTest keeps
     * them equal to the configuration's).
     */
    private static final int DEFAULT_BATCH_MAX_BYTES = 4 * 1024 * 1024;

    private static final int KAFKA_DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;
    private static final int DEFAULT_BATCH_MAX_RECORDS = 128;
    private static final Duration DEFAULT_BATCH_LINGER = Duration.ofMillis(20);
    private static final int DEFAULT_TEXT_MAX_BYTES = 4096;

    public TopologySettings {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(uncertainRule, "uncertainRule");
        Objects.requireNonNull(batchLinger, "batchLinger");
        if (batchMaxRecords < 1) {
            throw new IllegalArgumentException("batchMaxRecords must be at least 1, not " + batchMaxRecords);
        }
        if (batchLinger.toMillis() < 1) {
            throw new IllegalArgumentException("batchLinger must be at least 1 ms, not " + batchLinger);
        }
        if (textMaxBytes < 1) {
            throw new IllegalArgumentException("textMaxBytes must be at least 1, not " + textMaxBytes);
        }
        if (batchMaxBytes < 1) {
            throw new IllegalArgumentException("batchMaxBytes must be at least 1, not " + batchMaxBytes);
        }
        if (recordMaxBytes < 1) {
            throw new IllegalArgumentException("recordMaxBytes must be at least 1, not " + recordMaxBytes);
        }
    }

    /**
     * Settings without timing headers, with the {@code uncertain} rule off and the default byte limits (Kafka's
     * default {@code max.request.size}).
     */
    public TopologySettings(
            Topics topics, int batchMaxRecords, Duration batchLinger, int textMaxBytes, boolean includeText) {
        this(
                topics,
                batchMaxRecords,
                batchLinger,
                textMaxBytes,
                includeText,
                false,
                UncertainRule.OFF,
                DEFAULT_BATCH_MAX_BYTES,
                RecordSizes.recordMaxBytes(KAFKA_DEFAULT_MAX_REQUEST_SIZE));
    }

    /** The same settings, with or without timing headers. */
    public TopologySettings withTimingHeaders(boolean on) {
        return new TopologySettings(
                topics,
                batchMaxRecords,
                batchLinger,
                textMaxBytes,
                includeText,
                on,
                uncertainRule,
                batchMaxBytes,
                recordMaxBytes);
    }

    /** The same settings with another {@code uncertain} rule. */
    public TopologySettings withUncertainRule(UncertainRule rule) {
        return new TopologySettings(
                topics,
                batchMaxRecords,
                batchLinger,
                textMaxBytes,
                includeText,
                timingHeaders,
                rule,
                batchMaxBytes,
                recordMaxBytes);
    }

    /** The same settings with other byte limits. */
    public TopologySettings withByteLimits(int maxBufferedBytes, int maxRecordBytes) {
        return new TopologySettings(
                topics,
                batchMaxRecords,
                batchLinger,
                textMaxBytes,
                includeText,
                timingHeaders,
                uncertainRule,
                maxBufferedBytes,
                maxRecordBytes);
    }

    /** The default settings, on the default topics. */
    public static TopologySettings defaults() {
        return new TopologySettings(
                Topics.defaults(), DEFAULT_BATCH_MAX_RECORDS, DEFAULT_BATCH_LINGER, DEFAULT_TEXT_MAX_BYTES, false);
    }

    /** How often the buffer is checked for records older than the linger: half of it, at least 1 ms. */
    public Duration lingerCheckInterval() {
        return Duration.ofMillis(Math.max(1, batchLinger.toMillis() / 2));
    }
}
