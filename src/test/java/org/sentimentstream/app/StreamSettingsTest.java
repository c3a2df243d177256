package org.sentimentstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.serde.InputShape;
import org.sentimentstream.serde.OutputMode;
import org.sentimentstream.serde.WireFormat;
import org.sentimentstream.stream.Topics;
import org.sentimentstream.stream.TopologySettings;
import org.sentimentstream.stream.UncertainRule;

class StreamSettingsTest {

    @Test
    void shouldMapEverySettingTheTopologyReads() {
        SentimentStreamConfig config = new SentimentStreamConfig(Map.ofEntries(
                Map.entry("bootstrap.servers", "127.0.0.1:9092"),
                Map.entry("input.topic", "in"),
                Map.entry("output.topic", "out"),
                Map.entry("dead.letter.topic", "dlq"),
                Map.entry("input.format", "json"),
                Map.entry("output.format", "json"),
                Map.entry("batch.max.records", "7"),
                Map.entry("batch.linger.ms", "33"),
                Map.entry("text.max.bytes", "99"),
                Map.entry("output.include.text", "true"),
                Map.entry("output.timing.headers", "true"),
                Map.entry("uncertain.min.probability", "0.6"),
                Map.entry("uncertain.min.known.tokens", "2"),
                Map.entry("batch.max.bytes", "65536"),
                Map.entry("producer.max.request.size", "100000")));

        TopologySettings settings = StreamSettings.topologySettings(config);

        Topics topics = settings.topics();
        assertThat(topics.input()).isEqualTo("in");
        assertThat(topics.output()).isEqualTo("out");
        assertThat(topics.deadLetter()).isEqualTo("dlq");
        assertThat(topics.inputFormat()).isEqualTo(WireFormat.JSON);
        assertThat(topics.outputFormat()).isEqualTo(WireFormat.JSON);
        assertThat(topics.inputShape()).isEqualTo(InputShape.TEXT_EVENTS);
        assertThat(topics.outputMode()).isEqualTo(OutputMode.EVENT);
        assertThat(settings.batchMaxRecords()).isEqualTo(7);
        assertThat(settings.batchLinger()).isEqualTo(Duration.ofMillis(33));
        assertThat(settings.textMaxBytes()).isEqualTo(99);
        assertThat(settings.includeText()).isTrue();
        assertThat(settings.timingHeaders()).isTrue();
        assertThat(settings.uncertainRule()).isEqualTo(new UncertainRule(0.6, 2));
        assertThat(settings.batchMaxBytes()).isEqualTo(65536);
        assertThat(settings.recordMaxBytes()).isLessThan(100000).isGreaterThan(100000 - 16 * 1024);
    }

    @Test
    void shouldKeepTheStreamPackagesDefaultsEqualToTheConfigurationsDefaults() {
        // The stream package cannot read the configuration, so it keeps its own copy of the defaults.
        SentimentStreamConfig config = new SentimentStreamConfig(Map.of("bootstrap.servers", "127.0.0.1:9092"));

        assertThat(StreamSettings.topologySettings(config))
                .usingRecursiveComparison()
                .ignoringFields("topics.codecs")
                .isEqualTo(TopologySettings.defaults());
    }
}
