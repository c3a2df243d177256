package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sentimentstream.app.Classifiers;
import org.sentimentstream.app.SentimentService;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.localbroker.LocalKafkaBroker;
import org.sentimentstream.model.ExecutionProvider;
import org.sentimentstream.model.SentimentClassifier;
import org.sentimentstream.stream.DeadLetterHeaders;
import org.sentimentstream.stream.RejectReason;
import org.sentimentstream.stream.Topics;

/**
 * The whole service in this JVM (the bundled model, the real topology, Kafka Streams) against a real
 * broker started once for the class.
 */
@Tag("integration")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class SentimentServiceIT {

    private static final Duration RESULTS_TIMEOUT = Duration.ofMinutes(2);
    private static final String POSITIVE_TEXT = "i love this phone";
    private static final String NEGATIVE_TEXT = "this is the worst day ever";

    private static LocalKafkaBroker broker;
    private static SentimentClassifier classifier;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void startBrokerAndLoadModel() {
        broker = LocalKafkaBroker.start();
        classifier = Classifiers.open(Optional.empty(), ExecutionProvider.CPU, 1);
    }

    @AfterAll
    static void stopBrokerAndModel() {
        if (classifier != null) {
            classifier.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2})
    void shouldLabelEveryTextEventWithTheBundledModel(String guarantee) throws Exception {
        Topics topics = ItKafka.createTopics(broker, "svc", 2);
        List<String> texts = new ArrayList<>(GeneratedTexts.generate(300, 7));
        texts.add(POSITIVE_TEXT);
        texts.add(NEGATIVE_TEXT);
        List<TextEvent> events = ItKafka.events("e", texts);
        Set<String> ids = events.stream().map(TextEvent::getId).collect(Collectors.toSet());

        try (SentimentService service = SentimentService.create(config(topics, guarantee, Map.of()), classifier);
                OutputCollector<OutputRecord> output = new OutputCollector<>(
                        broker.bootstrapServers(), topics.output(), OutputRecord.decoder(topics))) {
            service.start();
            ItKafka.send(broker.bootstrapServers(), topics, events);

            List<OutputRecord> results =
                    output.awaitUntil(r -> OutputRecord.ids(r).containsAll(ids), RESULTS_TIMEOUT);

            assertThat(OutputRecord.ids(results))
                    .as("every input id has a result")
                    .containsAll(ids);
            if (guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2)) {
                assertThat(results).as("no result twice under exactly_once_v2").hasSize(ids.size());
            }
            Map<String, SentimentEvent> byId = results.stream()
                    .collect(Collectors.toMap(k -> k.event().getId(), OutputRecord::event, (a, b) -> a));
            assertThat(byId.get("e-300").getLabel()).as(POSITIVE_TEXT).isEqualTo("positive");
            assertThat(byId.get("e-301").getLabel()).as(NEGATIVE_TEXT).isEqualTo("negative");
            for (OutputRecord result : results) {
                SentimentEvent event = result.event();
                assertThat(result.key()).as("output key is the input key").isEqualTo(event.getId());
                assertThat(event.getLabel()).isIn(classifier.info().labels());
                assertThat(event.getModelName()).isEqualTo(classifier.info().name());
                assertThat(event.getModelVersion()).isEqualTo(classifier.info().version());
                assertThat(event.getProbabilities().values().stream()
                                .mapToDouble(Float::doubleValue)
                                .sum())
                        .isCloseTo(1.0, within(1e-4));
                assertThat(event.getText())
                        .as("texts are not echoed by default")
                        .isNull();
            }
            assertThat(service.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    @Test
    void shouldRouteBadRecordsToTheDeadLetterTopicAndKeepRunning() throws Exception {
        Topics topics = ItKafka.createTopics(broker, "dlq", 1);
        var codec = topics.inputCodec();
        Map<String, byte[]> badValues = new HashMap<>();
        badValues.put("bad-undecodable", "this is not an avro record".getBytes(StandardCharsets.UTF_8));
        badValues.put(
                "bad-empty",
                codec.encode(ItKafka.events("bad-empty", List.of("")).get(0)));
        badValues.put(
                "bad-blank",
                codec.encode(ItKafka.events("bad-blank", List.of(" \t ")).get(0)));
        badValues.put(
                "bad-long",
                codec.encode(
                        ItKafka.events("bad-long", List.of("long ".repeat(100))).get(0)));
        Map<String, RejectReason> expectedReasons = Map.of(
                "bad-undecodable", RejectReason.UNDECODABLE,
                "bad-empty", RejectReason.EMPTY_TEXT,
                "bad-blank", RejectReason.EMPTY_TEXT,
                "bad-long", RejectReason.TEXT_TOO_LONG,
                "bad-null", RejectReason.NULL_VALUE);
        List<TextEvent> good = ItKafka.events("good", GeneratedTexts.generate(20, 11));
        Set<String> goodIds = good.stream().map(TextEvent::getId).collect(Collectors.toSet());

        try (SentimentService service = SentimentService.create(
                        config(
                                topics,
                                StreamsConfig.AT_LEAST_ONCE,
                                Map.of(SentimentStreamConfig.TEXT_MAX_BYTES_CONFIG, "200")),
                        classifier);
                OutputCollector<OutputRecord> output = new OutputCollector<>(
                        broker.bootstrapServers(), topics.output(), OutputRecord.decoder(topics));
                OutputCollector<ConsumerRecord<byte[], byte[]>> deadLetters =
                        new OutputCollector<>(broker.bootstrapServers(), topics.deadLetter(), Function.identity());
                KafkaProducer<byte[], byte[]> producer = ItKafka.rawProducer(broker.bootstrapServers())) {
            service.start();
            for (Map.Entry<String, byte[]> bad : badValues.entrySet()) {
                producer.send(new ProducerRecord<>(topics.input(), ItKafka.key(bad.getKey()), bad.getValue()));
            }
            producer.send(new ProducerRecord<>(topics.input(), ItKafka.key("bad-null"), null));
            ItKafka.send(producer, topics, good);

            List<ConsumerRecord<byte[], byte[]>> dead = deadLetters.awaitUntil(r -> r.size() >= 5, RESULTS_TIMEOUT);
            List<OutputRecord> results =
                    output.awaitUntil(r -> OutputRecord.ids(r).containsAll(goodIds), RESULTS_TIMEOUT);

            assertThat(OutputRecord.ids(results))
                    .as("good records after bad ones are still classified")
                    .containsAll(goodIds);
            assertThat(dead).hasSize(5);
            for (ConsumerRecord<byte[], byte[]> record : dead) {
                String key = new String(record.key(), StandardCharsets.UTF_8);
                assertThat(header(record, DeadLetterHeaders.REASON))
                        .as("reason of " + key)
                        .isEqualTo(expectedReasons.get(key).name());
                assertThat(header(record, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(topics.input());
                assertThat(header(record, DeadLetterHeaders.SOURCE_OFFSET)).isNotBlank();
                assertThat(header(record, DeadLetterHeaders.MESSAGE)).isNotBlank();
                assertThat(record.value()).as("original value bytes of " + key).isEqualTo(badValues.get(key));
            }
            assertThat(service.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    private SentimentStreamConfig config(Topics topics, String guarantee, Map<String, String> extra) {
        Map<String, Object> settings = ItKafka.serviceSettings(broker, topics, "it", stateDir);
        settings.put(SentimentStreamConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        settings.putAll(extra);
        return new SentimentStreamConfig(settings);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
