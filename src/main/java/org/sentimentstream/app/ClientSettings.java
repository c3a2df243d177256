package org.sentimentstream.app;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.sentimentstream.config.SentimentStreamConfig;

/**
 * Settings for plain Kafka clients (the command line's producer, consumer and admin client) taken
 * from the service's configuration, so that they reach the same cluster the same way (security
 * settings included): the pass-through settings the client knows, then the ones with the client's
 * prefix ({@code producer.}, {@code consumer.}, {@code admin.}), as Kafka Streams reads them.
 */
public final class ClientSettings {

    private ClientSettings() {}

    /** Settings for a {@code KafkaProducer}. */
    public static Map<String, Object> producer(SentimentStreamConfig config) {
        return select(config, ProducerConfig.configNames(), StreamsConfig.PRODUCER_PREFIX);
    }

    /** Settings for a {@code KafkaConsumer}. */
    public static Map<String, Object> consumer(SentimentStreamConfig config) {
        return select(config, ConsumerConfig.configNames(), StreamsConfig.CONSUMER_PREFIX);
    }

    /** Settings for an {@code Admin} client. */
    public static Map<String, Object> admin(SentimentStreamConfig config) {
        return select(config, AdminClientConfig.configNames(), StreamsConfig.ADMIN_CLIENT_PREFIX);
    }

    private static Map<String, Object> select(SentimentStreamConfig config, Set<String> names, String prefix) {
        Map<String, Object> passThrough = config.passThroughSettings();
        Map<String, Object> settings = new HashMap<>();
        passThrough.forEach((name, value) -> {
            if (names.contains(name)) {
                settings.put(name, value);
            }
        });
        passThrough.forEach((name, value) -> {
            if (name.startsWith(prefix) && names.contains(name.substring(prefix.length()))) {
                settings.put(name.substring(prefix.length()), value);
            }
        });
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, String.join(",", config.bootstrapServers()));
        return settings;
    }
}
