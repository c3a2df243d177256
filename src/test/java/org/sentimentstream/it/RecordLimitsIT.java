package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sentimentstream.app.SentimentService;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.stream.DeadLetterHeaders;
import org.sentimentstream.stream.Topics;

/**
 * Records near a real broker's size limits: with the output and dead-letter topics limited to 64 KiB
 * ({@code max.message.bytes}) and the service's producer to the same ({@code producer.max.request.size}), a
 * record whose headers or key make it too large is dead-lettered without its value, and the service keeps
 * running and classifying; it never meets a {@code RecordTooLargeException} (which would stop it, and stop it
 * again after every restart, on the same record).
 */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RecordLimitsIT {

    private static final Duration RESULTS_TIMEOUT = Duration.ofMinutes(2);
    private static final int LIMIT = 64 * 1024;

    @RegisterExtension
    static final LocalBrokerExtension KAFKA = new LocalBrokerExtension();

    @TempDir
    Path folder;

    @Test
    void shouldDeadLetterRecordsTooLargeForTheBrokerWithoutTheirValueAndKeepClassifying() throws Exception {
        Topics topics = ItKafka.createTopics(KAFKA.broker(), "limits", 1);
        limitMessageSize(topics.output(), topics.deadLetter());
        List<TextEvent> good = ItKafka.events("good", List.of("i love it", "a bad day", "what a good movie"));
        TextEvent withBigHeaders =
                ItKafka.events("big-headers", List.of("nice")).get(0);
        TextEvent withBigKey = ItKafka.events("big-key", List.of("nice")).get(0);

        try (SentimentService service = SentimentService.create(config(topics));
                OutputCollector<OutputRecord> output = new OutputCollector<>(
                        KAFKA.broker().bootstrapServers(), topics.output(), OutputRecord.decoder(topics));
                OutputCollector<ConsumerRecord<byte[], byte[]>> deadLetters = new OutputCollector<>(
                        KAFKA.broker().bootstrapServers(), topics.deadLetter(), Function.identity());
                KafkaProducer<byte[], byte[]> producer =
                        ItKafka.rawProducer(KAFKA.broker().bootstrapServers())) {
            service.start();
            assertThat(service.awaitRunning(RESULTS_TIMEOUT)).isTrue();
            byte[] bigKey = new byte[LIMIT];
            ItKafka.send(producer, topics, good.subList(0, 1));
            // 100 kB of headers on a small good value: its changelog entry and its output would be over 64 KiB.
            producer.send(new ProducerRecord<>(
                            topics.input(),
                            null,
                            ItKafka.key(withBigHeaders.getId()),
                            topics.inputCodec().encode(withBigHeaders),
                            new RecordHeaders().add("blob", new byte[100_000])))
                    .get();
            ItKafka.send(producer, topics, good.subList(1, 2));
            producer.send(new ProducerRecord<>(
                            topics.input(), bigKey, topics.inputCodec().encode(withBigKey)))
                    .get();
            ItKafka.send(producer, topics, good.subList(2, 3));

            List<OutputRecord> results = output.awaitUntil(
                    r -> OutputRecord.ids(r).containsAll(Set.of("good-0", "good-1", "good-2")), RESULTS_TIMEOUT);
            List<ConsumerRecord<byte[], byte[]>> dead = deadLetters.awaitUntil(r -> r.size() >= 2, RESULTS_TIMEOUT);

            assertThat(OutputRecord.ids(results)).containsExactlyInAnyOrder("good-0", "good-1", "good-2");
            assertThat(dead).hasSize(2);
            assertThat(dead).allSatisfy(deadLetter -> {
                assertThat(ItKafka.header(deadLetter, DeadLetterHeaders.REASON)).isEqualTo("RECORD_TOO_LARGE");
                assertThat(deadLetter.value()).isEmpty();
                assertThat(ItKafka.header(deadLetter, DeadLetterHeaders.SOURCE_TOPIC))
                        .isEqualTo(topics.input());
            });
            assertThat(ItKafka.header(dead.get(0), DeadLetterHeaders.SOURCE_OFFSET))
                    .isEqualTo("1");
            assertThat(ItKafka.header(dead.get(0), DeadLetterHeaders.VALUE_OMITTED))
                    .isEqualTo("value,key,headers");
            assertThat(ItKafka.header(dead.get(1), DeadLetterHeaders.SOURCE_OFFSET))
                    .isEqualTo("3");
            assertThat(ItKafka.header(dead.get(1), DeadLetterHeaders.VALUE_OMITTED))
                    .isEqualTo("value,key,headers");
            assertThat(service.failure()).as("the service never failed").isEmpty();
            assertThat(service.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    private static void limitMessageSize(String... topicNames) throws Exception {
        try (Admin admin = KAFKA.broker().createAdmin()) {
            for (String topic : topicNames) {
                admin.incrementalAlterConfigs(Map.of(
                                new ConfigResource(ConfigResource.Type.TOPIC, topic),
                                List.of(new AlterConfigOp(
                                        new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(LIMIT)),
                                        AlterConfigOp.OpType.SET))))
                        .all()
                        .get(ItKafka.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private SentimentStreamConfig config(Topics topics) {
        Map<String, Object> settings =
                ItKafka.serviceSettings(KAFKA.broker(), topics, "limits-it", folder.resolve("state"));
        settings.put(SentimentStreamConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        settings.put(StreamsConfig.producerPrefix("max.request.size"), Integer.toString(LIMIT));
        return new SentimentStreamConfig(settings);
    }
}
