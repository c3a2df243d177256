package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sentimentstream.app.SentimentService;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.cli.Main;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.registry.RegisteredSchema;
import org.sentimentstream.registry.SchemaRegistryClient;
import org.sentimentstream.serde.RecordCodec;
import org.sentimentstream.stream.DeadLetterHeaders;
import org.sentimentstream.stream.RejectReason;
import org.sentimentstream.stream.Topics;

/**
 * The {@code confluent-avro} format end to end: producers writing Confluent-framed Avro through a real
 * schema registry (Apicurio Registry 3, its Confluent-compatible API), the service reading and writing it
 * in this JVM, and a downstream consumer decoding every result through the registry. One registry and one
 * broker for the class; each test has its own topics, hence its own subjects.
 */
@Tag("integration")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ConfluentFormatIT {

    private static final Duration RESULTS_TIMEOUT = Duration.ofMinutes(2);

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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2})
    void shouldClassifyEveryRecordOfTwoCompatibleSchemaVersionsAndWriteResultsThatDecodeThroughTheRegistry(
            String guarantee) throws Exception {
        String registryUrl = REGISTRY.url();
        Topics topics = ConfluentRecords.createTopics(KAFKA.broker(), "cf", 2, registryUrl);
        SchemaRegistryClient producerRegistry = ConfluentRecords.client(registryUrl);
        // Version 1: the service's own schema, registered by the producer's codec (auto-registration).
        RecordCodec<TextEvent> v1Codec = topics.inputCodec();
        List<TextEvent> first = ItKafka.events("v1a", GeneratedTexts.generate(60, 3));
        List<TextEvent> evolved = ItKafka.events("v2", GeneratedTexts.generate(60, 5));
        List<TextEvent> last = ItKafka.events("v1b", GeneratedTexts.generate(30, 9));
        Set<String> ids = new java.util.HashSet<>();
        for (List<TextEvent> events : List.of(first, evolved, last)) {
            events.forEach(event -> ids.add(event.getId()));
        }
        Map<String, Object> settings = ConfluentRecords.serviceSettings(KAFKA.broker(), topics, registryUrl);
        settings.put(SentimentStreamConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        settings.put(SentimentStreamConfig.STATE_DIR_CONFIG, stateDir.toString());

        try (SentimentService service =
                        SentimentService.create(new SentimentStreamConfig(settings), MODEL.classifier());
                OutputCollector<ConfluentRecords.Result> output = downstreamResults(topics, registryUrl);
                OutputCollector<ConsumerRecord<byte[], byte[]>> deadLetters = deadLetters(topics);
                KafkaProducer<byte[], byte[]> producer =
                        ItKafka.rawProducer(KAFKA.broker().bootstrapServers())) {
            service.start();
            ItKafka.send(producer, topics, first);
            // Mid-stream, the producer moves to version 2 of its schema, registered under the same subject
            // (the registry checks it is BACKWARD compatible), then a version-1 producer writes again.
            Schema v2 = ConfluentRecords.evolvedTextEvent();
            int v2Id = producerRegistry.register(topics.input() + "-value", RegisteredSchema.AVRO, v2.toString());
            int v1Id = ConfluentRecords.schemaId(v1Codec.encode(first.get(0)));
            assertThat(v2Id).as("version 2 has its own id").isNotEqualTo(v1Id);
            for (TextEvent event : evolved) {
                producer.send(new ProducerRecord<>(
                        topics.input(),
                        ItKafka.key(event.getId()),
                        ConfluentRecords.frame(v2Id, v2, ConfluentRecords.asEvolved(v2, event))));
            }
            ItKafka.send(producer, topics, last);

            List<ConfluentRecords.Result> results = output.awaitUntil(r -> idsOf(r).containsAll(ids), RESULTS_TIMEOUT);

            assertThat(idsOf(results))
                    .as("every record of both versions is classified")
                    .containsAll(ids);
            if (guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2)) {
                assertThat(results).as("no result twice under exactly_once_v2").hasSize(ids.size());
            }
            int outputId = producerRegistry.lookup(
                    topics.output() + "-value",
                    RegisteredSchema.AVRO,
                    org.sentimentstream.avro.SentimentEvent.getClassSchema().toString());
            for (ConfluentRecords.Result result : results) {
                assertThat(result.schemaId())
                        .as("the output names the id registered under <output>-value")
                        .isEqualTo(outputId);
                assertThat(result.key()).isEqualTo(result.event().getId());
                assertThat(result.event().getLabel())
                        .isIn(MODEL.classifier().info().labels());
            }
            assertThat(deadLetters.records())
                    .as("no valid record is dead-lettered")
                    .isEmpty();
            assertThat(service.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    @Test
    void shouldDeadLetterBadFramingUnknownIdsAndIncompatibleWriterSchemasWithDistinctReasons() throws Exception {
        String registryUrl = REGISTRY.url();
        Topics topics = ConfluentRecords.createTopics(KAFKA.broker(), "cf-dlq", 1, registryUrl);
        // Another application's schema, registered under its own subject: a record naming its id is framed
        // correctly, but its writer schema cannot be read as a text event (text is an int, no id).
        Schema foreign = SchemaBuilder.record("Reading")
                .namespace("com.example")
                .fields()
                .requiredInt("text")
                .requiredLong("at")
                .endRecord();
        int foreignId = ConfluentRecords.client(registryUrl)
                .register(topics.input() + "-readings-value", RegisteredSchema.AVRO, foreign.toString());
        GenericRecord reading = new GenericData.Record(foreign);
        reading.put("text", 7);
        reading.put("at", 1L);
        RecordCodec<TextEvent> codec = topics.inputCodec();
        byte[] unknownId =
                codec.encode(ItKafka.events("bad-id", List.of("i love it")).get(0));
        unknownId[1] = 0x7f; // id 2130706432 and up: far beyond what this registry has assigned
        Map<String, byte[]> bad = new HashMap<>();
        bad.put(
                "bad-framing",
                org.sentimentstream.serde.WireFormat.AVRO
                        .textEventCodec()
                        .encode(ItKafka.events("bad-framing", List.of("avro, not confluent"))
                                .get(0)));
        bad.put("bad-id", unknownId);
        bad.put("bad-schema", ConfluentRecords.frame(foreignId, foreign, reading));
        Map<String, RejectReason> expected = Map.of(
                "bad-framing", RejectReason.UNDECODABLE,
                "bad-id", RejectReason.UNKNOWN_SCHEMA_ID,
                "bad-schema", RejectReason.INCOMPATIBLE_SCHEMA);
        Map<String, String> expectedMessage = Map.of(
                "bad-framing", "magic byte 00 (it starts with C3)",
                "bad-id", "which the schema registry does not have",
                "bad-schema", "cannot be read as TextEvent");
        List<TextEvent> good = ItKafka.events("good", GeneratedTexts.generate(20, 11));
        Set<String> goodIds = good.stream().map(TextEvent::getId).collect(Collectors.toSet());
        Map<String, Object> settings = ConfluentRecords.serviceSettings(KAFKA.broker(), topics, registryUrl);
        settings.put(SentimentStreamConfig.STATE_DIR_CONFIG, stateDir.toString());

        try (SentimentService service =
                        SentimentService.create(new SentimentStreamConfig(settings), MODEL.classifier());
                OutputCollector<ConfluentRecords.Result> output = downstreamResults(topics, registryUrl);
                OutputCollector<ConsumerRecord<byte[], byte[]>> deadLetters = deadLetters(topics);
                KafkaProducer<byte[], byte[]> producer =
                        ItKafka.rawProducer(KAFKA.broker().bootstrapServers())) {
            service.start();
            for (Map.Entry<String, byte[]> record : bad.entrySet()) {
                producer.send(new ProducerRecord<>(topics.input(), ItKafka.key(record.getKey()), record.getValue()));
            }
            ItKafka.send(producer, topics, good);

            List<ConsumerRecord<byte[], byte[]>> dead =
                    deadLetters.awaitUntil(r -> r.size() >= bad.size(), RESULTS_TIMEOUT);
            List<ConfluentRecords.Result> results =
                    output.awaitUntil(r -> idsOf(r).containsAll(goodIds), RESULTS_TIMEOUT);

            assertThat(idsOf(results))
                    .as("good records after bad ones are classified")
                    .containsAll(goodIds);
            assertThat(dead).hasSize(bad.size());
            for (ConsumerRecord<byte[], byte[]> record : dead) {
                String key = new String(record.key(), StandardCharsets.UTF_8);
                assertThat(header(record, DeadLetterHeaders.REASON))
                        .as("reason of " + key)
                        .isEqualTo(expected.get(key).name());
                assertThat(header(record, DeadLetterHeaders.MESSAGE))
                        .as("message of " + key)
                        .contains(expectedMessage.get(key));
                assertThat(record.value()).as("original bytes of " + key).isEqualTo(bad.get(key));
            }
            assertThat(service.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    private static Set<String> idsOf(java.util.Collection<ConfluentRecords.Result> results) {
        return results.stream().map(r -> r.event().getId()).collect(Collectors.toSet());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /**
     * The command line in the format, with two registry URLs of which the first is down (fail-over):
     * {@code produce} registers the text event schema and sends, the service classifies, {@code consume}
     * decodes the results through the registry, and {@code loadtest} gets every event back.
     */
    @Test
    void shouldProduceConsumeAndLoadTestInTheConfluentFormatFromTheCommandLine() throws Exception {
        String registryUrls = "http://127.0.0.1:" + closedPort() + "/apis/ccompat/v7," + REGISTRY.url();
        Topics topics = ConfluentRecords.createTopics(KAFKA.broker(), "cf-cli", 1, REGISTRY.url());
        Map<String, Object> settings = ConfluentRecords.serviceSettings(KAFKA.broker(), topics, registryUrls);
        settings.put(SentimentStreamConfig.STATE_DIR_CONFIG, stateDir.toString());
        List<String> common = List.of(
                "-b",
                KAFKA.broker().bootstrapServers(),
                "--set",
                "input.topic=" + topics.input(),
                "--set",
                "output.topic=" + topics.output(),
                "--set",
                "dead.letter.topic=" + topics.deadLetter(),
                "--set",
                "input.format=confluent-avro",
                "--set",
                "output.format=confluent-avro",
                "--set",
                "schema.registry.url=" + registryUrls,
                "--set",
                "retries.wait.ms=100");

        try (SentimentService service =
                SentimentService.create(new SentimentStreamConfig(settings), MODEL.classifier())) {
            service.start();
            int produced = Main.execute(
                    concat(List.of("produce"), common, List.of("--id-prefix", "cli", "i love this phone", "worst day"))
                            .toArray(String[]::new));
            String consumed = captureStandardOutput(() ->
                    Main.execute(concat(List.of("consume"), common, List.of("--max-records", "2", "--timeout", "120s"))
                            .toArray(String[]::new)));
            Path summary = stateDir.resolve("loadtest.json");
            int loadTest = Main.execute(concat(
                            List.of("loadtest"),
                            common,
                            List.of(
                                    "--rate",
                                    "max",
                                    "--events",
                                    "100",
                                    "--warmup",
                                    "10",
                                    "--texts",
                                    Files.write(stateDir.resolve("texts.txt"), GeneratedTexts.generate(20, 4))
                                            .toString(),
                                    "--drain-timeout",
                                    "120s",
                                    "--json",
                                    summary.toString()))
                    .toArray(String[]::new));

            assertThat(produced).as("produce exit code").isZero();
            assertThat(consumed)
                    .as("consume prints both results, decoded through the registry")
                    .contains("\"id\":\"cli-1\"", "\"id\":\"cli-2\"", "\"label\":\"positive\"");
            assertThat(loadTest).as("loadtest exit code").isZero();
            JsonNode result = new ObjectMapper().readTree(summary.toFile());
            assertThat(result.get("results_received").asLong()).isEqualTo(100);
            assertThat(result.get("dead_letters").asLong()).isZero();
            assertThat(result.get("format").asText()).isEqualTo("confluent-avro");
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new java.util.ArrayList<>();
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all;
    }

    /** Runs a command, keeping what it prints on standard output (the command line prints its records there). */
    private static String captureStandardOutput(java.util.function.IntSupplier command) {
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int exitCode = command.getAsInt();
            assertThat(exitCode).as("exit code").isZero();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static int closedPort() throws java.io.IOException {
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A downstream consumer of the output topic that decodes every result through the registry. */
    private static OutputCollector<ConfluentRecords.Result> downstreamResults(Topics topics, String registryUrl) {
        return new OutputCollector<>(
                KAFKA.broker().bootstrapServers(),
                topics.output(),
                ConfluentRecords.downstreamDecoder(topics.output(), registryUrl));
    }

    /** A consumer of the dead-letter topic's raw records. */
    private static OutputCollector<ConsumerRecord<byte[], byte[]>> deadLetters(Topics topics) {
        return new OutputCollector<>(KAFKA.broker().bootstrapServers(), topics.deadLetter(), Function.identity());
    }
}
