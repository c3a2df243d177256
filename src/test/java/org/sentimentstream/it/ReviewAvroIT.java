package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sentimentstream.app.SentimentService;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.registry.RegisteredSchema;
import org.sentimentstream.registry.SchemaRegistryClient;
import org.sentimentstream.stream.DeadLetterHeaders;
import org.sentimentstream.stream.RejectReason;
import org.sentimentstream.stream.Topics;

/**
 * An Avro schema that is not TextEvent (a product review with nested records, an optional text, an enum, an
 * array and a map) through the real registry: classified by field path, evolved mid-stream (version 2 adds
 * an optional field), written in enriched mode under schemas derived per input schema, and read back through
 * the registry as a downstream consumer would; under both guarantees.
 */
@Tag("integration")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReviewAvroIT {

    private static final Duration RESULTS_TIMEOUT = Duration.ofMinutes(3);

    private static final String REVIEW_V1 = """
            {"type": "record", "name": "Review", "namespace": "shop.reviews", "fields": [
              {"name": "review_id", "type": "long"},
              {"name": "product", "type": {"type": "record", "name": "Product", "fields": [
                {"name": "sku", "type": "string"}, {"name": "price", "type": "double"}]}},
              {"name": "content", "type": {"type": "record", "name": "Content", "fields": [
                {"name": "title", "type": ["null", "string"], "default": null},
                {"name": "body", "type": ["null", "string"], "default": null}]}},
              {"name": "stars", "type": {"type": "enum", "name": "Stars", "symbols": ["ONE", "THREE", "FIVE"]}},
              {"name": "tags", "type": {"type": "array", "items": "string"}},
              {"name": "votes", "type": {"type": "map", "values": "int"}},
              {"name": "written", "type": {"type": "long", "logicalType": "timestamp-millis"}}]}
            """;

    /** Version 2: an optional field added (BACKWARD compatible). */
    private static final String REVIEW_V2 = REVIEW_V1.replace(
            "{\"name\": \"written\"",
            "{\"name\": \"locale\", \"type\": [\"null\", \"string\"], \"default\": null},\n"
                    + "  {\"name\": \"written\"");

    @RegisterExtension
    @Order(1)
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();

    @RegisterExtension
    @Order(2)
    static final LocalBrokerExtension KAFKA = new LocalBrokerExtension();

    @RegisterExtension
    @Order(3)
    static final BundledModelExtension MODEL = new BundledModelExtension();

    @TempDir
    Path stateDir;

    private static GenericRecord review(Schema schema, long id, String body) {
        Schema content = schema.getField("content").schema();
        GenericRecord product =
                new GenericData.Record(schema.getField("product").schema());
        product.put("sku", "sku-" + id % 7);
        product.put("price", 10.0 + id);
        GenericRecord text = new GenericData.Record(content);
        text.put("title", "review " + id);
        text.put("body", body);
        GenericRecord review = new GenericData.Record(schema);
        review.put("review_id", id);
        review.put("product", product);
        review.put("content", text);
        review.put("stars", new GenericData.EnumSymbol(schema.getField("stars").schema(), "FIVE"));
        review.put("tags", List.of("t" + id));
        review.put("votes", Map.of("up", (int) id));
        review.put("written", 1_700_000_000_000L + id);
        if (schema.getField("locale") != null) {
            review.put("locale", "en-GB");
        }
        return review;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2})
    void shouldEnrichEveryReviewOfTwoSchemaVersionsAndDeadLetterTheUnreadable(String guarantee) throws Exception {
        String registryUrl = REGISTRY.url();
        Topics topics = ConfluentRecords.createTopics(KAFKA.broker(), "review", 2, registryUrl);
        SchemaRegistryClient producerRegistry = ConfluentRecords.client(registryUrl);
        Schema v1 = new Schema.Parser().parse(REVIEW_V1);
        Schema v2 = new Schema.Parser().parse(REVIEW_V2);
        int v1Id = producerRegistry.register(topics.input() + "-value", RegisteredSchema.AVRO, v1.toString());
        int notARecord = producerRegistry.register(topics.input() + "-raw", RegisteredSchema.AVRO, "\"string\"");
        List<String> texts = GeneratedTexts.generate(80, 13);
        Set<Long> ids = new HashSet<>();
        for (long i = 0; i < texts.size(); i++) {
            ids.add(i);
        }
        Map<String, Object> settings = ConfluentRecords.serviceSettings(KAFKA.broker(), topics, registryUrl);
        settings.put(SentimentStreamConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        settings.put(SentimentStreamConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.put(SentimentStreamConfig.INPUT_TEXT_FIELD_CONFIG, "content.body");
        settings.put(SentimentStreamConfig.INPUT_ID_FIELD_CONFIG, "review_id");
        settings.put(SentimentStreamConfig.INPUT_TIME_FIELD_CONFIG, "written");
        settings.put(SentimentStreamConfig.OUTPUT_MODE_CONFIG, "enriched");

        try (SentimentService service =
                        SentimentService.create(new SentimentStreamConfig(settings), MODEL.classifier());
                OutputCollector<Downstream> output = new OutputCollector<>(
                        KAFKA.broker().bootstrapServers(), topics.output(), new DownstreamDecoder(registryUrl));
                OutputCollector<ConsumerRecord<byte[], byte[]>> deadLetters = new OutputCollector<>(
                        KAFKA.broker().bootstrapServers(), topics.deadLetter(), Function.identity());
                KafkaProducer<byte[], byte[]> producer =
                        ItKafka.rawProducer(KAFKA.broker().bootstrapServers())) {
            service.start();
            int half = texts.size() / 2;
            for (int i = 0; i < half; i++) {
                send(producer, topics, "r" + i, ConfluentRecords.frame(v1Id, v1, review(v1, i, texts.get(i))));
            }
            // Mid-stream, the producer evolves its schema under the same subject.
            int v2Id = producerRegistry.register(topics.input() + "-value", RegisteredSchema.AVRO, v2.toString());
            for (int i = half; i < texts.size(); i++) {
                send(producer, topics, "r" + i, ConfluentRecords.frame(v2Id, v2, review(v2, i, texts.get(i))));
            }
            byte[] noBody = ConfluentRecords.frame(v2Id, v2, review(v2, 999, null));
            byte[] aString = ByteBuffer.allocate(8)
                    .put((byte) 0)
                    .putInt(notARecord)
                    .put(new byte[] {4, 'h', 'i'})
                    .array();
            send(producer, topics, "no-body", noBody);
            send(producer, topics, "a-string", aString);
            producer.flush();

            List<Downstream> results = output.awaitUntil(r -> reviewIds(r).containsAll(ids), RESULTS_TIMEOUT);
            List<ConsumerRecord<byte[], byte[]>> dead = deadLetters.awaitUntil(r -> r.size() >= 2, RESULTS_TIMEOUT);

            assertThat(reviewIds(results)).containsAll(ids);
            if (guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2)) {
                assertThat(results).as("no result twice under exactly_once_v2").hasSize(ids.size());
            }
            assertThat(results.stream().map(Downstream::schemaId).collect(Collectors.toSet()))
                    .as("one derived schema per input schema version")
                    .hasSize(2);
            for (Downstream result : results) {
                GenericRecord record = result.record();
                long id = (Long) record.get("review_id");
                assertThat(((GenericRecord) record.get("product")).get("sku")).hasToString("sku-" + id % 7);
                assertThat(record.get("written")).isEqualTo(1_700_000_000_000L + id);
                if (id >= half) {
                    assertThat(record.get("locale"))
                            .as("v2 field of review %d", id)
                            .hasToString("en-GB");
                }
                GenericRecord sentiment = (GenericRecord) record.get("sentiment");
                assertThat(sentiment.get("label").toString())
                        .isIn(MODEL.classifier().info().labels());
                assertThat(sentiment.get("model_version"))
                        .hasToString(MODEL.classifier().info().version());
            }
            Map<String, String> reasons = dead.stream()
                    .collect(Collectors.toMap(
                            r -> new String(r.key(), StandardCharsets.UTF_8),
                            r -> ItKafka.header(r, DeadLetterHeaders.REASON)));
            assertThat(reasons)
                    .containsEntry("no-body", RejectReason.FIELD_MISSING.name())
                    .containsEntry("a-string", RejectReason.INCOMPATIBLE_SCHEMA.name());
            assertThat(dead)
                    .filteredOn(r -> new String(r.key(), StandardCharsets.UTF_8).equals("no-body"))
                    .singleElement()
                    .satisfies(r -> assertThat(r.value()).isEqualTo(noBody));
            assertThat(service.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, Topics topics, String key, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(topics.input(), ItKafka.key(key), value))
                .get();
    }

    private static Set<Long> reviewIds(java.util.Collection<Downstream> results) {
        return results.stream().map(r -> (Long) r.record().get("review_id")).collect(Collectors.toSet());
    }

    /** An output record as a downstream consumer reads it: its writer schema fetched from the registry by id. */
    record Downstream(int schemaId, GenericRecord record) {}

    /** Decodes enriched output through a registry client of its own. */
    private static final class DownstreamDecoder implements Function<ConsumerRecord<byte[], byte[]>, Downstream> {

        private final SchemaRegistryClient registry;
        private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();

        DownstreamDecoder(String registryUrl) {
            this.registry = ConfluentRecords.client(registryUrl);
        }

        @Override
        public Downstream apply(ConsumerRecord<byte[], byte[]> record) {
            int id = ConfluentRecords.schemaId(record.value());
            Schema schema = schemas.computeIfAbsent(
                    id, i -> new Schema.Parser().parse(registry.schemaById(i).schema()));
            try {
                GenericRecord value = new GenericDatumReader<GenericRecord>(schema)
                        .read(
                                null,
                                DecoderFactory.get().binaryDecoder(record.value(), 5, record.value().length - 5, null));
                return new Downstream(id, value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
