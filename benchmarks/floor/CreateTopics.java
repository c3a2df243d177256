/*
 * Creates a run's input, output and dead-letter topics (PREFIX-in, PREFIX-out, PREFIX-dlq) for benchmarks/e2e.sh,
 * whatever service it then starts: the input and output topics stamp records with the broker's append time
 * (LogAppendTime), so that loadtest can split each latency into stages.
 *
 *   java -cp target/sentiment-stream.jar benchmarks/floor/CreateTopics.java HOST:PORT PREFIX PARTITIONS
 */

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.TopicConfig;
import org.sentimentstream.app.ServiceTopics;
import org.sentimentstream.serde.WireFormat;
import org.sentimentstream.stream.Topics;

public final class CreateTopics {

    public static void main(String[] args) {
        String prefix = args[1];
        Topics topics = new Topics(prefix + "-in", prefix + "-out", prefix + "-dlq", WireFormat.AVRO, WireFormat.AVRO);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", args[0]))) {
            ServiceTopics.create(
                    admin,
                    topics,
                    Integer.parseInt(args[2]),
                    (short) 1,
                    Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"),
                    Duration.ofSeconds(60));
        }
    }
}
