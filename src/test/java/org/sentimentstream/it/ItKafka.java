package org.sentimentstream.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.sentimentstream.app.ServiceTopics;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.localbroker.LocalKafka;
import org.sentimentstream.serde.WireFormat;
import org.sentimentstream.stream.Topics;

/** Topics, events and producers for the integration tests. */
final class ItKafka {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private ItKafka() {}

    /** Creates input, output and dead-letter topics with names unique to this call (one replica each). */
    static Topics createTopics(LocalKafka kafka, String prefix, int partitions) {
        return createTopics(kafka, prefix, partitions, (short) 1);
    }

    /** Creates input, output and dead-letter topics with names unique to this call, {@code replicas} copies each. */
    static Topics createTopics(LocalKafka kafka, String prefix, int partitions, short replicas) {
        String unique = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        Topics topics = new Topics(unique + "-in", unique + "-out", unique + "-dlq", WireFormat.AVRO, WireFormat.AVRO);
        try (Admin admin = kafka.createAdmin()) {
            ServiceTopics.create(admin, topics, partitions, replicas, TIMEOUT);
        }
        return topics;
    }

    /**
     * The settings an in-process service of a test starts from: this broker, a unique application id, the
     * topics, a state folder (when given), and the metrics server on any free port of 127.0.0.1 (several
     * services run on this host at once). Mutable: a test adds its own.
     */
    static Map<String, Object> serviceSettings(
            LocalKafka broker, Topics topics, String applicationPrefix, Path stateDir) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(SentimentStreamConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        settings.put(SentimentStreamConfig.APPLICATION_ID_CONFIG, applicationPrefix + "-" + UUID.randomUUID());
        settings.put(SentimentStreamConfig.INPUT_TOPIC_CONFIG, topics.input());
        settings.put(SentimentStreamConfig.OUTPUT_TOPIC_CONFIG, topics.output());
        settings.put(SentimentStreamConfig.DEAD_LETTER_TOPIC_CONFIG, topics.deadLetter());
        if (stateDir != null) {
            settings.put(SentimentStreamConfig.STATE_DIR_CONFIG, stateDir.toString());
        }
        settings.put(SentimentStreamConfig.METRICS_PORT_CONFIG, "0");
        settings.put(SentimentStreamConfig.METRICS_ADDRESS_CONFIG, "127.0.0.1");
        return settings;
    }

    /** Text events with ids {@code idPrefix-0 ...}, one per text. */
    static List<TextEvent> events(String idPrefix, List<String> texts) {
        List<TextEvent> events = new ArrayList<>(texts.size());
        Instant now = Instant.now();
        for (int i = 0; i < texts.size(); i++) {
            events.add(TextEvent.newBuilder()
                    .setId(idPrefix + "-" + i)
                    .setText(texts.get(i))
                    .setEventTime(now)
                    .setSource("it")
                    .build());
        }
        return events;
    }

    /** A producer of raw keys and values (acks=all, idempotent). */
    static KafkaProducer<byte[], byte[]> rawProducer(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends the events to the input topic, keyed by id, and waits until all are acknowledged. */
    static void send(String bootstrapServers, Topics topics, List<TextEvent> events) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = rawProducer(bootstrapServers)) {
            send(producer, topics, events);
        }
    }

    static void send(KafkaProducer<byte[], byte[]> producer, Topics topics, List<TextEvent> events) throws Exception {
        send(producer, topics, events, TextEvent::getId);
    }

    /** Sends the events keyed by {@code keyOf} (several events may share a key) and waits for every ack. */
    static void send(
            KafkaProducer<byte[], byte[]> producer,
            Topics topics,
            List<TextEvent> events,
            Function<TextEvent, String> keyOf)
            throws Exception {
        var codec = topics.inputCodec();
        List<Future<?>> acks = new ArrayList<>(events.size());
        for (TextEvent event : events) {
            acks.add(producer.send(new ProducerRecord<>(topics.input(), key(keyOf.apply(event)), codec.encode(event))));
        }
        producer.flush();
        for (var ack : acks) {
            ack.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    /** The last value of a header of a record, as UTF-8, or null. */
    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
