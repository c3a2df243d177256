package org.sentimentstream.app;

import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.serde.CodecContext;
import org.sentimentstream.stream.RecordSizes;
import org.sentimentstream.stream.Topics;
import org.sentimentstream.stream.TopologySettings;
import org.sentimentstream.stream.UncertainRule;

/**
 * The stream package's types made from the configuration (the stream package knows no settings). Each call of
 * {@link #topics} makes a new codec context, so a process calls it once (through {@link #topologySettings} for
 * the service) and shares the result.
 */
public final class StreamSettings {

    private StreamSettings() {}

    /** The topics of a configuration, with a new codec context over its settings. */
    public static Topics topics(SentimentStreamConfig config) {
        return new Topics(
                config.inputTopic(),
                config.outputTopic(),
                config.deadLetterTopic(),
                config.inputFormat().orElse(null),
                config.outputFormat(),
                CodecContext.of(config.originals()),
                config.inputShape(),
                config.outputMode());
    }

    /** The topology's settings of a configuration, on its topics (with a new codec context). */
    public static TopologySettings topologySettings(SentimentStreamConfig config) {
        return new TopologySettings(
                topics(config),
                config.batchMaxRecords(),
                config.batchLinger(),
                config.textMaxBytes(),
                config.outputIncludeText(),
                config.outputTimingHeaders(),
                new UncertainRule(config.uncertainMinProbability(), config.uncertainMinKnownTokens()),
                config.batchMaxBytes(),
                RecordSizes.recordMaxBytes(config.producerMaxRequestSize()));
    }
}
