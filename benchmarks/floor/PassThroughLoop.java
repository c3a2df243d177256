/*
 * The Kafka floor: a plain consumer-to-producer loop on the same broker, at-least-once, doing the least a
 * service must do for `loadtest` to count a result: decode the Avro text event, build a constant sentiment event,
 * encode it and send it with the input's key. No Kafka Streams, no buffer, no model.
 *
 *   java -cp target/sentiment-stream.jar benchmarks/floor/PassThroughLoop.java \
 *       -b HOST:PORT --group ID --input TOPIC --output TOPIC [--commit-interval-ms 1000] [--set k=v ...]
 *
 * Offsets are committed only after the producer has flushed everything sent for them. Runs until SIGTERM. Not
 * part of the service: a measurement tool of benchmarks/e2e.sh (E2E_SERVICES=loop).
 */

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.serde.RecordCodec;
import org.sentimentstream.serde.RecordDecodingException;
import org.sentimentstream.serde.WireFormat;

public final class PassThroughLoop {

    public static void main(String[] args) throws Exception {
        Map<String, Object> common = new HashMap<>();
        String group = null, input = null, output = null;
        long commitIntervalMs = 1_000; // the service's at-least-once default
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-b" -> common.put("bootstrap.servers", args[++i]);
                case "--group" -> group = args[++i];
                case "--input" -> input = args[++i];
                case "--output" -> output = args[++i];
                case "--commit-interval-ms" -> commitIntervalMs = Long.parseLong(args[++i]);
                case "--set" -> {
                    String[] setting = args[++i].split("=", 2);
                    common.put(setting[0], setting[1]);
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Map<String, Object> consumerSettings = new HashMap<>(common);
        consumerSettings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerSettings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, Object> producerSettings = new HashMap<>(common);
        producerSettings.put(ProducerConfig.ACKS_CONFIG, "all");
        producerSettings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        RecordCodec<TextEvent> in = WireFormat.AVRO.textEventCodec();
        RecordCodec<SentimentEvent> out = WireFormat.AVRO.sentimentEventCodec();
        Map<String, Float> probabilities = Map.of("negative", 0.25f, "positive", 0.75f);
        AtomicBoolean stopping = new AtomicBoolean();
        try (KafkaConsumer<byte[], byte[]> consumer =
                        new KafkaConsumer<>(consumerSettings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(producerSettings, new ByteArraySerializer(), new ByteArraySerializer())) {
            Thread main = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopping.set(true);
                consumer.wakeup();
                try {
                    main.join(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            consumer.subscribe(List.of(input), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    producer.flush();
                    consumer.commitSync();
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    System.out.println("Partitions assigned (" + partitions.size() + ")");
                }
            });
            long lastCommit = System.currentTimeMillis();
            try {
                while (!stopping.get()) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        TextEvent event;
                        try {
                            event = in.decode(record.value());
                        } catch (RecordDecodingException e) {
                            continue;
                        }
                        SentimentEvent result = SentimentEvent.newBuilder()
                                .setId(event.getId())
                                .setLabel("positive")
                                .setProbabilities(probabilities)
                                .setModelName("pass-through")
                                .setModelVersion("0")
                                .setEventTime(event.getEventTime())
                                .setClassifiedAt(Instant.now())
                                .setTokenCount(0)
                                .setTruncated(false)
                                .build();
                        producer.send(new ProducerRecord<>(output, null, record.timestamp(), record.key(), out.encode(result)));
                    }
                    if (System.currentTimeMillis() - lastCommit >= commitIntervalMs) {
                        producer.flush();
                        consumer.commitSync();
                        lastCommit = System.currentTimeMillis();
                    }
                }
            } catch (WakeupException e) {
                // stopping
            }
            producer.flush();
            consumer.commitSync();
        }
    }
}
