package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sentimentstream.app.SentimentService;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.serde.RecordCodec;
import org.sentimentstream.serde.RecordDecodingException;
import org.sentimentstream.stream.DeadLetterHeaders;
import org.sentimentstream.stream.RejectReason;
import org.sentimentstream.stream.Topics;

/**
 * Topics people already have, written by a client this project did not write ({@code kcat -P}), classified
 * by the whole service on a real broker under both guarantees: plain lines (input.format=text), and JSON
 * objects of a foreign, nested shape by field path with the enriched JSON output.
 */
@Tag("integration")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
@ExtendWith(Kcat.class)
class PlainTextIT {

    @RegisterExtension
    static final LocalBrokerExtension KAFKA = new LocalBrokerExtension();

    @RegisterExtension
    static final BundledModelExtension MODEL = new BundledModelExtension();

    private static final Duration RESULTS_TIMEOUT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateDir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2})
    void shouldClassifyPlainLinesWrittenByKcat(String guarantee) throws Exception {
        Topics topics = ItKafka.createTopics(KAFKA.broker(), "kcat-text", 2);
        List<String> texts = GeneratedTexts.generate(60, 5);
        StringBuilder keyed = new StringBuilder();
        for (int i = 0; i < texts.size(); i++) {
            keyed.append("line-").append(i).append('\t').append(texts.get(i)).append('\n');
        }
        keyed.append("line-love\t").append("i love this phone").append('\n');
        ByteArrayOutputStream keyless = new ByteArrayOutputStream();
        keyless.writeBytes("what a wonderful morning\n".getBytes(StandardCharsets.UTF_8));
        byte[] latin1 = "caf\u00e9 au lait".getBytes(StandardCharsets.ISO_8859_1);
        keyless.writeBytes(latin1);
        keyless.write('\n');
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < texts.size(); i++) {
            keys.add("line-" + i);
        }
        keys.add("line-love");

        try (SentimentService service = SentimentService.create(
                        config(topics, guarantee, Map.of(SentimentStreamConfig.INPUT_FORMAT_CONFIG, "text")),
                        MODEL.classifier());
                OutputCollector<OutputRecord> output =
                        new OutputCollector<>(KAFKA.broker().bootstrapServers(), topics.output(), keyless(topics));
                OutputCollector<ConsumerRecord<byte[], byte[]>> deadLetters = new OutputCollector<>(
                        KAFKA.broker().bootstrapServers(), topics.deadLetter(), Function.identity())) {
            service.start();
            Kcat.produce(
                    KAFKA.broker().bootstrapServers(),
                    topics.input(),
                    true,
                    keyed.toString().getBytes(StandardCharsets.UTF_8));
            Kcat.produce(KAFKA.broker().bootstrapServers(), topics.input(), false, keyless.toByteArray());

            List<OutputRecord> results = output.awaitUntil(
                    r -> OutputRecord.ids(r).containsAll(keys)
                            && OutputRecord.ids(r).size() > keys.size(),
                    RESULTS_TIMEOUT);
            List<ConsumerRecord<byte[], byte[]>> dead = deadLetters.awaitUntil(r -> !r.isEmpty(), RESULTS_TIMEOUT);

            Set<String> ids = OutputRecord.ids(results);
            assertThat(ids).containsAll(keys);
            List<String> positional = new ArrayList<>(ids);
            positional.removeAll(keys);
            assertThat(positional)
                    .as("the keyless line is named by its topic, partition and offset")
                    .singleElement()
                    .asString()
                    .matches(topics.input() + "-[01]-\\d+");
            if (guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2)) {
                assertThat(results).as("no result twice under exactly_once_v2").hasSize(ids.size());
            }
            Map<String, String> labels = results.stream()
                    .collect(Collectors.toMap(OutputRecord::id, r -> r.event().getLabel(), (a, b) -> a));
            assertThat(labels.get("line-love")).isEqualTo("positive");
            assertThat(dead).singleElement().satisfies(record -> {
                assertThat(record.value()).as("the original bytes").isEqualTo(latin1);
                assertThat(ItKafka.header(record, DeadLetterHeaders.REASON)).isEqualTo(RejectReason.UNDECODABLE.name());
            });
            assertThat(service.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2})
    void shouldEnrichForeignJsonObjectsWrittenByKcat(String guarantee) throws Exception {
        Topics topics = ItKafka.createTopics(KAFKA.broker(), "kcat-json", 2);
        List<String> texts = GeneratedTexts.generate(40, 9);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < texts.size(); i++) {
            Map<String, Object> ticket = Map.of(
                    "ticket",
                    Map.of("number", i, "opened", "2026-12-0" + (1 + i % 9) + "T08:00:00Z"),
                    "message",
                    Map.of("content", Map.of("text", texts.get(i)), "channel", "chat"),
                    "tags",
                    List.of("support", "t" + i));
            lines.append("k")
                    .append(i)
                    .append('\t')
                    .append(JSON.writeValueAsString(ticket))
                    .append('\n');
        }
        lines.append("bad-path\t{\"message\":[{\"content\":{\"text\":\"good\"}}]}\n");
        lines.append("bad-missing\t{\"message\":{\"content\":{}}}\n");
        Map<String, String> shape = Map.of(
                SentimentStreamConfig.INPUT_FORMAT_CONFIG, "json",
                SentimentStreamConfig.OUTPUT_FORMAT_CONFIG, "json",
                SentimentStreamConfig.INPUT_TEXT_FIELD_CONFIG, "message.content.text",
                SentimentStreamConfig.INPUT_ID_FIELD_CONFIG, "ticket.number",
                SentimentStreamConfig.INPUT_TIME_FIELD_CONFIG, "ticket.opened",
                SentimentStreamConfig.OUTPUT_MODE_CONFIG, "enriched");

        try (SentimentService service = SentimentService.create(config(topics, guarantee, shape), MODEL.classifier());
                OutputCollector<JsonNode> output =
                        new OutputCollector<>(KAFKA.broker().bootstrapServers(), topics.output(), PlainTextIT::json);
                OutputCollector<ConsumerRecord<byte[], byte[]>> deadLetters = new OutputCollector<>(
                        KAFKA.broker().bootstrapServers(), topics.deadLetter(), Function.identity())) {
            service.start();
            Kcat.produce(
                    KAFKA.broker().bootstrapServers(),
                    topics.input(),
                    true,
                    lines.toString().getBytes(StandardCharsets.UTF_8));

            List<JsonNode> results = output.awaitUntil(r -> numbers(r).size() == texts.size(), RESULTS_TIMEOUT);
            List<ConsumerRecord<byte[], byte[]>> dead = deadLetters.awaitUntil(r -> r.size() >= 2, RESULTS_TIMEOUT);

            if (guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2)) {
                assertThat(results).as("no result twice under exactly_once_v2").hasSize(texts.size());
            }
            for (JsonNode result : results) {
                assertThat(result.path("message").path("channel").asText()).isEqualTo("chat");
                assertThat(result.path("tags").size()).isEqualTo(2);
                assertThat(result.path("sentiment").path("label").asText()).isIn("negative", "positive");
                assertThat(result.path("sentiment").path("model_version").asText())
                        .isEqualTo(MODEL.classifier().info().version());
            }
            Map<String, String> reasons = dead.stream()
                    .collect(Collectors.toMap(
                            r -> new String(r.key(), StandardCharsets.UTF_8),
                            r -> ItKafka.header(r, DeadLetterHeaders.REASON)));
            assertThat(reasons)
                    .containsEntry("bad-path", RejectReason.FIELD_WRONG_TYPE.name())
                    .containsEntry("bad-missing", RejectReason.FIELD_MISSING.name());
        }
    }

    /** Output records decoded with the output codec; the key of a keyless input stays null. */
    private static Function<ConsumerRecord<byte[], byte[]>, OutputRecord> keyless(Topics topics) {
        RecordCodec<SentimentEvent> codec = topics.outputCodec();
        return record -> {
            try {
                return new OutputRecord(
                        record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
                        codec.decode(record.value()));
            } catch (RecordDecodingException e) {
                throw new IllegalStateException("undecodable output at offset " + record.offset(), e);
            }
        };
    }

    private static Set<Integer> numbers(java.util.Collection<JsonNode> results) {
        return results.stream()
                .map(r -> r.path("ticket").path("number").asInt())
                .collect(Collectors.toSet());
    }

    private static JsonNode json(ConsumerRecord<byte[], byte[]> record) {
        try {
            return JSON.readTree(record.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SentimentStreamConfig config(Topics topics, String guarantee, Map<String, String> extra) {
        Map<String, Object> settings = ItKafka.serviceSettings(KAFKA.broker(), topics, "kcat", stateDir);
        settings.put(SentimentStreamConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        settings.putAll(extra);
        return new SentimentStreamConfig(settings);
    }
}
