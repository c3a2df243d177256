package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sentimentstream.app.SentimentService;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.model.TestModels;
import org.sentimentstream.ops.PrometheusText;
import org.sentimentstream.stream.DeadLetterHeaders;
import org.sentimentstream.stream.RejectReason;
import org.sentimentstream.stream.Topics;

/**
 * A running service scraped over HTTP after a known stream: the counts of classified and dead-lettered
 * records (by reason, a record the model fails on included), the event-time latency histogram, the model
 * info, Kafka Streams' own metrics, and the health probes.
 */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class OperationsIT {

    private static final Duration RESULTS_TIMEOUT = Duration.ofMinutes(2);
    /** The test model fails (NaN logits) on any text holding this word. */
    private static final String POISON = "hate";

    private static final String[] GOOD_TEXTS = {
        "i love it", "this movie is good", "not a good day", "the movie !!", "bad bad day 😂", "i love this movie"
    };

    @RegisterExtension
    static final LocalBrokerExtension KAFKA = new LocalBrokerExtension();

    @TempDir
    Path folder;

    @Test
    void shouldShowTheCountsOfAKnownStreamALatencyHistogramAndHealthOnItsHttpServer() throws Exception {
        Topics topics = ItKafka.createTopics(KAFKA.broker(), "ops", 2);
        Path model = Files.write(folder.resolve("model.onnx"), TestModels.failingOn(POISON));
        int goodCount = 60;
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < goodCount; i++) {
            texts.add(GOOD_TEXTS[i % GOOD_TEXTS.length]);
        }
        List<TextEvent> good = ItKafka.events("good", texts);
        List<TextEvent> poison = ItKafka.events("poison", List.of("i " + POISON + " it", "we " + POISON, POISON));
        List<TextEvent> empty = ItKafka.events("empty", List.of("", "   "));
        List<TextEvent> tooLong = ItKafka.events("long", List.of("long ".repeat(100)));
        Map<RejectReason, Integer> expectedDeadLetters = Map.of(
                RejectReason.MODEL_ERROR, 3,
                RejectReason.EMPTY_TEXT, 2,
                RejectReason.TEXT_TOO_LONG, 1,
                RejectReason.UNDECODABLE, 2,
                RejectReason.NULL_VALUE, 1);
        int deadLetterCount = 9;
        Set<String> goodIds = good.stream().map(TextEvent::getId).collect(Collectors.toSet());

        try (SentimentService service = SentimentService.create(config(topics, model));
                OutputCollector<OutputRecord> output = new OutputCollector<>(
                        KAFKA.broker().bootstrapServers(), topics.output(), OutputRecord.decoder(topics));
                OutputCollector<ConsumerRecord<byte[], byte[]>> deadLetters = new OutputCollector<>(
                        KAFKA.broker().bootstrapServers(), topics.deadLetter(), Function.identity());
                KafkaProducer<byte[], byte[]> producer =
                        ItKafka.rawProducer(KAFKA.broker().bootstrapServers())) {
            OpsEndpoint ops = new OpsEndpoint(service.operationsAddress().orElseThrow());
            HttpResponse<String> readyBeforeStart = ops.get("/health/ready");
            service.start();
            assertThat(service.awaitRunning(RESULTS_TIMEOUT)).isTrue();
            // Poison records in the middle of good ones, so that their batches hold both.
            ItKafka.send(producer, topics, good.subList(0, 30));
            ItKafka.send(producer, topics, poison);
            ItKafka.send(producer, topics, good.subList(30, goodCount));
            ItKafka.send(producer, topics, empty);
            ItKafka.send(producer, topics, tooLong);
            producer.send(new ProducerRecord<>(topics.input(), ItKafka.key("bad-1"), bytes("not avro")));
            producer.send(new ProducerRecord<>(topics.input(), ItKafka.key("bad-2"), bytes("{}")));
            producer.send(new ProducerRecord<>(topics.input(), ItKafka.key("null"), null));
            producer.flush();

            List<OutputRecord> results =
                    output.awaitUntil(r -> OutputRecord.ids(r).containsAll(goodIds), RESULTS_TIMEOUT);
            List<ConsumerRecord<byte[], byte[]>> dead =
                    deadLetters.awaitUntil(r -> r.size() >= deadLetterCount, RESULTS_TIMEOUT);
            // The counters are updated right after each record is forwarded: wait for the last ones.
            int received = goodCount + poison.size() + empty.size() + tooLong.size() + 3;
            assertThat(Conditions.await(
                            () -> ops.metrics().value("sentiment_records_received_total") == received
                                    && ops.metrics().value("sentiment_event_latency_seconds_count") == goodCount
                                    && ops.metrics().sum("sentiment_records_dead_lettered_total") == deadLetterCount,
                            RESULTS_TIMEOUT))
                    .as("counts reached")
                    .isTrue();
            PrometheusText metrics = ops.metrics();

            assertThat(OutputRecord.ids(results))
                    .as("the records around the poison ones are classified")
                    .containsAll(goodIds);
            assertThat(results).hasSize(goodCount);
            assertThat(dead).hasSize(deadLetterCount);
            assertThat(dead.stream()
                            .filter(r -> new String(r.key(), StandardCharsets.UTF_8).startsWith("poison-"))
                            .map(r -> ItKafka.header(r, DeadLetterHeaders.REASON)))
                    .containsExactly("MODEL_ERROR", "MODEL_ERROR", "MODEL_ERROR");

            assertThat(metrics.value("sentiment_records_received_total")).isEqualTo(received);
            assertThat(metrics.sum("sentiment_records_classified_total")).isEqualTo(goodCount);
            Map<String, Long> labels = results.stream()
                    .collect(Collectors.groupingBy(k -> k.event().getLabel(), Collectors.counting()));
            labels.forEach((label, count) -> assertThat(
                            metrics.value("sentiment_records_classified_total{label=\"" + label + "\"}"))
                    .as("label " + label)
                    .isEqualTo(count.doubleValue()));
            for (RejectReason reason : RejectReason.values()) {
                assertThat(metrics.value("sentiment_records_dead_lettered_total{reason=\"" + reason.name() + "\"}"))
                        .as("dead letters " + reason)
                        .isEqualTo(expectedDeadLetters.getOrDefault(reason, 0).doubleValue());
            }
            assertThat(metrics.value("sentiment_event_latency_seconds_bucket{le=\"+Inf\"}"))
                    .isEqualTo(goodCount);
            assertThat(metrics.value("sentiment_event_latency_seconds_bucket{le=\"300.0\"}"))
                    .as("a finite bucket holds every result")
                    .isEqualTo(goodCount);
            assertThat(metrics.value("sentiment_event_latency_seconds_sum")).isPositive();
            assertThat(metrics.value("sentiment_batch_size_records_sum"))
                    .as("every record that reached the model (poison included) was in a batch")
                    .isEqualTo(goodCount + poison.size());
            assertThat(metrics.value("sentiment_model_call_seconds_count"))
                    .isEqualTo(metrics.value("sentiment_batch_size_records_count"));
            assertThat(metrics.value("sentiment_records_buffered")).isZero();
            assertThat(metrics.value("sentiment_model_info{name=\"test-bilstm\",provider=\"cpu\",version=\"0.0.1\"}"))
                    .isEqualTo(1.0);
            assertThat(metrics.hasMetricStartingWith("kafka_stream_thread_"))
                    .as("Kafka Streams' thread metrics")
                    .isTrue();
            assertThat(metrics.hasMetricStartingWith("kafka_consumer_"))
                    .as("Kafka Streams' client metrics")
                    .isTrue();
            assertThat(metrics.hasMetric("jvm_memory_used_bytes")).isTrue();

            assertThat(readyBeforeStart.statusCode())
                    .as("not ready before Kafka Streams runs")
                    .isEqualTo(503);
            HttpResponse<String> ready = ops.get("/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"state\":\"RUNNING\"", "\"model\":\"test-bilstm 0.0.1\"");
            assertThat(ops.get("/health/live").statusCode()).isEqualTo(200);
        }
    }

    private SentimentStreamConfig config(Topics topics, Path model) {
        Map<String, Object> settings =
                ItKafka.serviceSettings(KAFKA.broker(), topics, "ops-it", folder.resolve("state"));
        settings.put(SentimentStreamConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        settings.put(SentimentStreamConfig.MODEL_PATH_CONFIG, model.toString());
        settings.put(SentimentStreamConfig.TEXT_MAX_BYTES_CONFIG, "200");
        settings.put(SentimentStreamConfig.BATCH_MAX_RECORDS_CONFIG, "8");
        return new SentimentStreamConfig(settings);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
