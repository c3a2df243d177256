/*
 * The enriched-Avro drain of benchmarks/e2e.sh (E2E_INPUT=review): what `loadtest` does for a drain, with records
 * of a foreign Avro schema (benchmarks/tools/review-v1.avsc, ReviewAvroIT's review record) through a schema
 * registry, and results that are the enriched records themselves (`output.mode=enriched`), which `loadtest` cannot
 * read (it tracks SentimentEvents).
 *
 *   java -cp target/sentiment-stream.jar benchmarks/tools/ReviewLoad.java BOOTSTRAP REGISTRY_URL INPUT OUTPUT \
 *       DEAD_LETTERS RUN_ID EVENTS WARMUP DRAIN_TIMEOUT_S SUMMARY_JSON SENT_FILE
 *
 * Starts reading the output and dead-letter topics at their ends, registers the schema under INPUT-value, sends
 * EVENTS reviews (key RUN_ID-i, review_id i, content.body the i-th training text, written = send time) in the
 * Confluent framing as fast as possible, writes SENT_FILE once the broker has them all, then counts results by
 * key until every event has a result or a dead letter, or DRAIN_TIMEOUT_S has passed. The summary has the fields
 * of loadtest's that e2e.sh reads, with the same definitions: events with index >= WARMUP are measured, and the
 * window runs from the first to the last measured result read (throughput_per_s = measured results / window_s).
 * No latency (the enriched record is not decoded); each result's schema id is checked to be a derived one
 * (not the input's). Exit code 0 when nothing is missing, 1 otherwise.
 */

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.sentimentstream.loadtest.RunIds;
import org.sentimentstream.loadtest.TextSource;
import org.sentimentstream.registry.RegisteredSchema;
import org.sentimentstream.registry.RegistryClientSettings;
import org.sentimentstream.registry.SchemaRegistryClient;

public final class ReviewLoad {

    private static final Path SCHEMA_FILE = Path.of("benchmarks/tools/review-v1.avsc");

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String registryUrl = args[1];
        String input = args[2];
        String output = args[3];
        String deadLetters = args[4];
        RunIds ids = new RunIds(args[5]);
        int events = Integer.parseInt(args[6]);
        long warmup = Long.parseLong(args[7]);
        Duration drainTimeout = Duration.ofSeconds(Long.parseLong(args[8]));
        Path summaryFile = Path.of(args[9]);
        Path sentFile = Path.of(args[10]);

        Schema schema = new Schema.Parser().parse(Files.readString(SCHEMA_FILE));
        SchemaRegistryClient registry =
                new SchemaRegistryClient(new RegistryClientSettings(Map.of(RegistryClientSettings.URL_CONFIG, registryUrl)));
        int schemaId = registry.register(input + "-value", RegisteredSchema.AVRO, schema.toString());
        Optional<Path> dataDir = Optional.ofNullable(System.getenv(TextSource.DATA_DIR_VARIABLE))
                .filter(s -> !s.isBlank())
                .map(Path::of);
        TextSource texts = TextSource.trainingData(dataDir, List.of(Path.of("").toAbsolutePath()));

        Map<String, Object> consumerSettings = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "review-load-reader");
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(consumerSettings, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(output, deadLetters)) {
                consumer.partitionsFor(topic, Duration.ofSeconds(60))
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(p -> consumer.position(p, Duration.ofSeconds(60)));

            long sendStart = System.nanoTime();
            long sendFailures = send(bootstrap, input, ids, events, schema, schemaId, texts);
            double sendSeconds = (System.nanoTime() - sendStart) / 1e9;
            Files.writeString(sentFile, events + System.lineSeparator());

            BitSet results = new BitSet(events);
            BitSet dead = new BitSet(events);
            Set<Integer> outputSchemaIds = new TreeSet<>();
            long duplicates = 0;
            long measured = 0;
            long firstMeasuredMs = -1;
            long lastMeasuredMs = -1;
            long deadline = System.nanoTime() + drainTimeout.toNanos();
            while (results.cardinality() + dead.cardinality() < events && System.nanoTime() < deadline) {
                var records = consumer.poll(Duration.ofMillis(100));
                long readMs = System.currentTimeMillis();
                for (ConsumerRecord<String, byte[]> record : records) {
                    long index = ids.indexOf(record.key());
                    if (index < 0 || index >= events) {
                        continue;
                    }
                    if (record.topic().equals(deadLetters)) {
                        dead.set((int) index);
                        continue;
                    }
                    if (results.get((int) index)) {
                        duplicates++;
                        continue;
                    }
                    results.set((int) index);
                    outputSchemaIds.add(ByteBuffer.wrap(record.value(), 1, 4).getInt());
                    if (index >= warmup) {
                        measured++;
                        if (firstMeasuredMs < 0) {
                            firstMeasuredMs = readMs;
                        }
                        lastMeasuredMs = readMs;
                    }
                }
            }
            long missing = events - results.cardinality() - dead.cardinality();
            double window = firstMeasuredMs < 0 ? 0 : (lastMeasuredMs - firstMeasuredMs) / 1000.0;
            ObjectMapper json = new ObjectMapper();
            ObjectNode summary = json.createObjectNode();
            summary.put("run_id", ids.runId());
            summary.put("input_topic", input);
            summary.put("output_topic", output);
            summary.put("format", "confluent-avro (" + schema.getFullName() + ", schema id " + schemaId
                    + "), output.mode=enriched");
            summary.put("texts", texts.origin());
            summary.put("events_sent", events);
            summary.put("warmup_events", warmup);
            summary.put("send_failures", sendFailures);
            summary.put("send_rate_per_s", sendSeconds > 0 ? events / sendSeconds : 0);
            summary.put("results_received", results.cardinality());
            summary.put("duplicate_results", duplicates);
            summary.put("dead_letters", dead.cardinality());
            summary.put("missing", missing);
            summary.put("complete", missing == 0);
            summary.put("measured_results", measured);
            summary.put("window_start_epoch_ms", firstMeasuredMs);
            summary.put("window_s", window);
            summary.put("throughput_per_s", window > 0 ? measured / window : 0);
            outputSchemaIds.forEach(summary.putArray("output_schema_ids")::add);
            json.writerWithDefaultPrettyPrinter().writeValue(summaryFile.toFile(), summary);
            System.out.printf(
                    "%d reviews sent, %d enriched results (%d measured in %.1f s: %.0f/s), %d dead letters, %d missing,"
                            + " output schema ids %s (input %d)%n",
                    events, results.cardinality(), measured, window, window > 0 ? measured / window : 0,
                    dead.cardinality(), missing, outputSchemaIds, schemaId);
            if (outputSchemaIds.contains(schemaId)) {
                System.out.println("a result has the input's schema id: not an enriched record");
                System.exit(1);
            }
            System.exit(missing == 0 && sendFailures == 0 ? 0 : 1);
        }
    }

    /** Sends the reviews as fast as possible; returns the number of failed sends. */
    private static long send(
            String bootstrap, String topic, RunIds ids, int events, Schema schema, int schemaId, TextSource texts) {
        Map<String, Object> settings = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.CLIENT_ID_CONFIG, "review-load");
        Schema product = schema.getField("product").schema();
        Schema content = schema.getField("content").schema();
        GenericData.EnumSymbol five = new GenericData.EnumSymbol(schema.getField("stars").schema(), "FIVE");
        GenericDatumWriter<GenericRecord> writer = new GenericDatumWriter<>(schema);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = null;
        AtomicLong failures = new AtomicLong();
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < events; i++) {
                GenericRecord p = new GenericData.Record(product);
                p.put("sku", "sku-" + i % 7);
                p.put("price", 10.0 + i % 100);
                GenericRecord c = new GenericData.Record(content);
                c.put("title", "review " + i);
                c.put("body", texts.text(i));
                GenericRecord review = new GenericData.Record(schema);
                review.put("review_id", (long) i);
                review.put("product", p);
                review.put("content", c);
                review.put("stars", five);
                review.put("tags", List.of("t" + i % 10));
                review.put("votes", Map.of("up", i % 50));
                review.put("written", System.currentTimeMillis());
                bytes.reset();
                bytes.write(0);
                bytes.write(ByteBuffer.allocate(4).putInt(schemaId).array(), 0, 4);
                encoder = EncoderFactory.get().binaryEncoder(bytes, encoder);
                writer.write(review, encoder);
                encoder.flush();
                producer.send(new ProducerRecord<>(topic, ids.id(i), bytes.toByteArray()), (metadata, e) -> {
                    if (e != null) {
                        failures.incrementAndGet();
                    }
                });
            }
            producer.flush();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return failures.get();
    }
}
