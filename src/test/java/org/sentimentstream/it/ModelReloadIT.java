package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sentimentstream.app.SentimentService;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.model.TestModels;
import org.sentimentstream.ops.PrometheusText;
import org.sentimentstream.serde.RecordDecodingException;
import org.sentimentstream.stream.Topics;

/**
 * Hot reload under load: the model file is replaced (an atomic rename) while events stream through the
 * service under exactly_once_v2. Every id comes out exactly once; each output names the version that
 * classified it, the old one before the switch and the new one after (per partition, never back); then a
 * corrupt replacement is refused (a metric) while results keep coming from the good model.
 */
@Tag("integration")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ModelReloadIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final int STREAMED = 2000;
    private static final int AFTER_REFUSAL = 200;

    @RegisterExtension
    static final LocalBrokerExtension KAFKA = new LocalBrokerExtension();

    @TempDir
    Path folder;

    /** An output record with where it was written. */
    record Output(int partition, long offset, SentimentEvent event) {}

    @Test
    void shouldSwitchModelsMidStreamWithEveryIdOnceAndRefuseACorruptReplacement() throws Exception {
        Topics topics = ItKafka.createTopics(KAFKA.broker(), "reload", 2);
        Path model = Files.write(folder.resolve("model.onnx"), TestModels.valid("0.0.1"));
        List<TextEvent> streamed = ItKafka.events("s", GeneratedTexts.generate(STREAMED, 21));
        List<TextEvent> after = ItKafka.events("after", GeneratedTexts.generate(AFTER_REFUSAL, 22));
        Set<String> ids = new java.util.HashSet<>();
        streamed.forEach(e -> ids.add(e.getId()));
        after.forEach(e -> ids.add(e.getId()));

        try (SentimentService service = SentimentService.create(config(topics, model));
                OutputCollector<Output> output =
                        new OutputCollector<>(KAFKA.broker().bootstrapServers(), topics.output(), decoder(topics))) {
            OpsEndpoint ops = new OpsEndpoint(service.operationsAddress().orElseThrow());
            service.start();
            try (PacedProducer producer =
                    new PacedProducer(KAFKA.broker().bootstrapServers(), topics, streamed, 300, output)) {
                producer.start();
                assertThat(output.awaitSize(400, TIMEOUT)).as("stream flowing").isTrue();

                replaceAtomically(model, TestModels.valid("0.0.2"));

                assertThat(output.awaitUntil(r -> versions(r).contains("0.0.2"), TIMEOUT))
                        .as("outputs of the new model")
                        .anyMatch(o -> o.event().getModelVersion().equals("0.0.2"));
                producer.awaitAllSent(TIMEOUT);
            }
            output.awaitUntil(r -> r.size() >= STREAMED, TIMEOUT);

            replaceAtomically(model, TestModels.truncatedBundled());
            assertThat(Conditions.await(() -> refused(ops) == 1.0, TIMEOUT))
                    .as("the corrupt file is refused")
                    .isTrue();
            ItKafka.send(KAFKA.broker().bootstrapServers(), topics, after);
            List<Output> results = output.awaitUntil(r -> idsOf(r).containsAll(ids), TIMEOUT);
            PrometheusText metrics = ops.metrics();

            assertThat(idsOf(results)).as("every id").containsExactlyInAnyOrderElementsOf(ids);
            assertThat(results).as("each id once (exactly_once_v2)").hasSize(ids.size());
            assertThat(versions(results)).containsExactlyInAnyOrder("0.0.1", "0.0.2");
            Map<Integer, List<Output>> byPartition = results.stream().collect(Collectors.groupingBy(Output::partition));
            for (List<Output> partition : byPartition.values()) {
                partition.sort(Comparator.comparingLong(Output::offset));
                List<String> sequence = new ArrayList<>();
                partition.forEach(o -> sequence.add(o.event().getModelVersion()));
                int firstNew = sequence.indexOf("0.0.2");
                assertThat(firstNew)
                        .as("the new model reached partition "
                                + partition.get(0).partition())
                        .isNotNegative();
                assertThat(sequence.subList(firstNew, sequence.size()))
                        .as("no output of the old model after the first of the new one")
                        .containsOnly("0.0.2");
            }
            assertThat(results.stream()
                            .filter(o -> o.event().getId().startsWith("after-"))
                            .map(o -> o.event().getModelVersion()))
                    .as("after the refusal, the good model keeps serving")
                    .hasSize(AFTER_REFUSAL)
                    .containsOnly("0.0.2");
            assertThat(metrics.value("sentiment_model_reloads_total{result=\"applied\"}"))
                    .isEqualTo(1.0);
            assertThat(metrics.value("sentiment_model_reloads_total{result=\"refused\"}"))
                    .isEqualTo(1.0);
            assertThat(metrics.value("sentiment_model_info{name=\"test-bilstm\",provider=\"cpu\",version=\"0.0.2\"}"))
                    .isEqualTo(1.0);
            assertThat(metrics.sum("sentiment_records_dead_lettered_total")).isZero();
            assertThat(service.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    /** Writes a sibling file and renames it over the model file: the way to replace a model. */
    private static void replaceAtomically(Path model, byte[] bytes) throws Exception {
        Path next = Files.write(model.resolveSibling(model.getFileName() + ".next"), bytes);
        Files.move(next, model, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static double refused(OpsEndpoint ops) throws Exception {
        Double value = ops.metrics().value("sentiment_model_reloads_total{result=\"refused\"}");
        return value == null ? 0 : value;
    }

    private static Set<String> versions(java.util.Collection<Output> outputs) {
        return outputs.stream().map(o -> o.event().getModelVersion()).collect(Collectors.toSet());
    }

    private static Set<String> idsOf(java.util.Collection<Output> outputs) {
        return outputs.stream().map(o -> o.event().getId()).collect(Collectors.toSet());
    }

    private static Function<ConsumerRecord<byte[], byte[]>, Output> decoder(Topics topics) {
        var codec = topics.outputCodec();
        return record -> {
            try {
                return new Output(record.partition(), record.offset(), codec.decode(record.value()));
            } catch (RecordDecodingException e) {
                throw new IllegalStateException("undecodable output record at offset " + record.offset(), e);
            }
        };
    }

    private SentimentStreamConfig config(Topics topics, Path model) {
        Map<String, Object> settings =
                ItKafka.serviceSettings(KAFKA.broker(), topics, "reload-it", folder.resolve("state"));
        settings.put(SentimentStreamConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        settings.put(SentimentStreamConfig.MODEL_PATH_CONFIG, model.toString());
        settings.put(SentimentStreamConfig.MODEL_RELOAD_INTERVAL_MS_CONFIG, "100");
        return new SentimentStreamConfig(settings);
    }
}
