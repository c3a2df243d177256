package org.sentimentstream.stream;

import java.time.Duration;
import java.util.Objects;
import org.sentimentstream.config.SentimentStreamConfig;

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
 */
public record TopologySettings(
        Topics topics,
        int batchMaxRecords,
        Duration batchLinger,
        int textMaxBytes,
        boolean includeText,
        boolean timingHeaders,
        UncertainRule uncertainRule) {

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
    }

    /** Settings without timing headers, with the {@code uncertain} rule off. */
    public TopologySettings(
            Topics topics, int batchMaxRecords, Duration batchLinger, int textMaxBytes, boolean includeText) {
        this(topics, batchMaxRecords, batchLinger, textMaxBytes, includeText, false, UncertainRule.OFF);
    }

    /** The same settings, with or without timing headers. */
    public TopologySettings withTimingHeaders(boolean on) {
        return new TopologySettings(topics, batchMaxRecords, batchLinger, textMaxBytes, includeText, on, uncertainRule);
    }

    /** The same settings with another {@code uncertain} rule. */
    public TopologySettings withUncertainRule(UncertainRule rule) {
        return new TopologySettings(
                topics, batchMaxRecords, batchLinger, textMaxBytes, includeText, timingHeaders, rule);
    }

    /** The settings of a configuration. */
    public static TopologySettings from(SentimentStreamConfig config) {
        return new TopologySettings(
                Topics.from(config),
                config.batchMaxRecords(),
                config.batchLinger(),
                config.textMaxBytes(),
                config.outputIncludeText(),
                config.outputTimingHeaders(),
                new UncertainRule(config.uncertainMinProbability(), config.uncertainMinKnownTokens()));
    }

    /** The default settings, on the default topics. */
    public static TopologySettings defaults() {
        return new TopologySettings(
                Topics.defaults(),
                SentimentStreamConfig.DEFAULT_BATCH_MAX_RECORDS,
                Duration.ofMillis(SentimentStreamConfig.DEFAULT_BATCH_LINGER_MS),
                SentimentStreamConfig.DEFAULT_TEXT_MAX_BYTES,
                false);
    }

    /** How often the buffer is checked for records older than the linger: half of it, at least 1 ms. */
    public Duration lingerCheckInterval() {
        return Duration.ofMillis(Math.max(1, batchLinger.toMillis() / 2));
    }
}
