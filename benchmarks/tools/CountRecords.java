/*
 * Counts the committed records of topics, read from the beginning: data records, and of them tombstones (null
 * values). For benchmarks/changelog-traffic.sh: what the service produced per input record.
 *
 *   java -cp target/sentiment-stream.jar benchmarks/tools/CountRecords.java HOST:PORT TOPIC...
 *
 * Prints one line per topic: "TOPIC records N tombstones T".
 */

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

public final class CountRecords {

    public static void main(String[] args) {
        Map<String, Object> settings = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0],
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (int t = 1; t < args.length; t++) {
                String topic = args[t];
                List<TopicPartition> partitions = new ArrayList<>();
                consumer.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                long records = 0;
                long tombstones = 0;
                while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        records++;
                        if (record.value() == null) {
                            tombstones++;
                        }
                    }
                }
                System.out.println(topic + " records " + records + " tombstones " + tombstones);
            }
        }
    }
}
