package org.sentimentstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentimentstream.config.SentimentStreamConfig;

class StreamsPropertiesTest {

    private static SentimentStreamConfig withSettings(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.putIfAbsent("bootstrap.servers", "127.0.0.1:9092");
        return new SentimentStreamConfig(all);
    }

    @Test
    void shouldPassOtherKafkaSettingsThroughUnchanged() {
        SentimentStreamConfig config = withSettings(Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "ssl.truststore.location", "/etc/kafka/truststore.jks",
                "producer.compression.type", "zstd",
                "batch.max.records", "64"));

        Properties properties = StreamsProperties.of(config);

        assertThat(properties)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.jks")
                .containsEntry("producer.compression.type", "zstd")
                .doesNotContainKey("batch.max.records")
                .doesNotContainKey("input.topic");
    }

    @Test
    void shouldGiveKafkaStreamsItsOwnSettings(@TempDir Path stateDir) {
        SentimentStreamConfig config = withSettings(Map.of(
                "bootstrap.servers", "a:9092,b:9092",
                "application.id", "sentiment-test",
                "processing.guarantee", "exactly_once_v2",
                "num.stream.threads", "3",
                "commit.interval.ms", "250",
                "state.dir", stateDir.toString()));

        assertThat(StreamsProperties.of(config))
                .containsEntry("bootstrap.servers", "a:9092,b:9092")
                .containsEntry("application.id", "sentiment-test")
                .containsEntry("processing.guarantee", "exactly_once_v2")
                .containsEntry("num.stream.threads", 3)
                .containsEntry("commit.interval.ms", 250L)
                .containsEntry("state.dir", stateDir.toString());
    }

    @Test
    void shouldKeepTheIdlePollWithinTheLingerUnlessPollMsIsGiven() {
        assertThat(StreamsProperties.of(withSettings(Map.of("batch.linger.ms", "20"))))
                .containsEntry("poll.ms", 20L);
        assertThat(StreamsProperties.of(withSettings(Map.of("batch.linger.ms", "500"))))
                .containsEntry("poll.ms", 100L);
        assertThat(StreamsProperties.of(withSettings(Map.of("poll.ms", "7")))).containsEntry("poll.ms", "7");
    }

    @Test
    void shouldSendFlushedBatchesWithAShortProducerLingerUnlessTheUserSetsOne() {
        assertThat(StreamsProperties.of(withSettings(Map.of()))).containsEntry("producer.linger.ms", 5L);
        assertThat(StreamsProperties.of(withSettings(Map.of("producer.linger.ms", "50"))))
                .containsEntry("producer.linger.ms", "50");
        assertThat(StreamsProperties.of(withSettings(Map.of("linger.ms", "40"))))
                .containsEntry("linger.ms", "40")
                .doesNotContainKey("producer.linger.ms");
    }

    @Test
    void shouldNeverIdleATaskForOrderingAcrossPartitionsUnlessTheUserSetsIt() {
        // One input topic: a task reads one partition, so idling would only cost CPU.
        assertThat(StreamsProperties.of(withSettings(Map.of()))).containsEntry("max.task.idle.ms", -1L);
        assertThat(StreamsProperties.of(withSettings(Map.of("max.task.idle.ms", "0"))))
                .containsEntry("max.task.idle.ms", "0");
    }

    @Test
    void shouldCommitEverySecondUnderAtLeastOnceUnlessTheUserSetsAnInterval() {
        // Kafka Streams' 30 s would let the buffer's cache hold 30 s of deletions on the heap.
        assertThat(StreamsProperties.of(withSettings(Map.of()))).containsEntry("commit.interval.ms", 1000L);
        assertThat(StreamsProperties.of(withSettings(Map.of("commit.interval.ms", "30000"))))
                .containsEntry("commit.interval.ms", 30000L);
    }

    @Test
    void shouldLeaveTheExactlyOnceCommitIntervalToKafkaStreams() {
        assertThat(StreamsProperties.of(withSettings(Map.of("processing.guarantee", "exactly_once_v2"))))
                .doesNotContainKey("commit.interval.ms");
    }

    @Test
    void shouldLeaveUnsetKafkaStreamsSettingsToKafkasDefaults() {
        assertThat(StreamsProperties.of(withSettings(Map.of()))).doesNotContainKey("state.dir");
    }
}
