package org.sentimentstream.devtools;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.sentimentstream.app.ClientSettings;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.cli.TextEventFactory;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.serde.RecordCodec;
import org.sentimentstream.serde.RecordDecodingException;
import org.sentimentstream.stream.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's client side: sends texts to the input topic as text events (keyed by their id), then reads
 * the output and dead-letter topics from the beginning (read_committed) and prints the first result of each
 * text as it arrives. Used from one thread.
 */
final class DemoExchange implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoExchange.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(60);

    private final Topics topics;
    private final RecordCodec<SentimentEvent> outputCodec;
    private final KafkaProducer<String, TextEvent> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TextEventFactory events = new TextEventFactory("demo", "demo", "en", Map.of(), Clock.systemUTC());
    /** Texts sent that have no result yet, by event id, in the order sent. */
    private final Map<String, String> pending = new LinkedHashMap<>();

    DemoExchange(SentimentStreamConfig config, Topics topics) {
        this.topics = topics;
        this.outputCodec = topics.outputCodec();
        Map<String, Object> producerSettings = ClientSettings.producer(config);
        producerSettings.put(ProducerConfig.ACKS_CONFIG, "all");
        Map<String, Object> consumerSettings = ClientSettings.consumer(config);
        consumerSettings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.producer =
                new KafkaProducer<>(producerSettings, new StringSerializer(), topics.inputSerializer(topics.input()));
        try {
            this.consumer =
                    new KafkaConsumer<>(consumerSettings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (RuntimeException e) {
            producer.close();
            throw e;
        }
    }

    /** Sends one text event per text and waits until the broker has them all. */
    void send(List<String> texts) {
        for (String text : texts) {
            TextEvent event = events.create(text);
            pending.put(event.getId(), text);
            producer.send(new ProducerRecord<>(topics.input(), event.getId(), event));
        }
        producer.flush();
    }

    /**
     * Prints each result (and dead letter) as it arrives, until every text sent has one, the deadline
     * passes, or {@code keepWaiting} turns false; returns how many texts have none.
     */
    int printResults(PrintWriter out, ResultFormatter formatter, Instant deadline, BooleanSupplier keepWaiting) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.output(), topics.deadLetter())) {
            consumer.partitionsFor(topic, METADATA_TIMEOUT)
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        while (!pending.isEmpty() && Instant.now().isBefore(deadline) && keepWaiting.getAsBoolean()) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                print(record, formatter, out);
            }
            out.flush();
        }
        return pending.size();
    }

    private void print(ConsumerRecord<byte[], byte[]> record, ResultFormatter formatter, PrintWriter out) {
        if (record.topic().equals(topics.deadLetter())) {
            String id = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            if (pending.remove(id) != null) {
                out.println(formatter.deadLetter(record));
            }
            return;
        }
        try {
            SentimentEvent event = outputCodec.decode(record.value());
            String text = pending.remove(event.getId());
            // Only the first result of an id: at-least-once may deliver one twice after a rebalance.
            if (text != null) {
                out.println(formatter.result(event, text));
            }
        } catch (RecordDecodingException e) {
            LOG.warn(
                    "Cannot decode the output record at topic={} partition={} offset={}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            consumer.close();
        } finally {
            producer.close();
        }
    }
}
