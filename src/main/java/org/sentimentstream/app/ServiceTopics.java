package org.sentimentstream.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.sentimentstream.stream.Topics;

/**
 * The service's three topics (input, output, dead letters). The service never creates topics on its
 * own: {@link #create} is for the demo and for {@code run --create-topics}; otherwise
 * {@link #requireExisting} stops the start-up with a message that names the missing topics.
 */
public final class ServiceTopics {

    private ServiceTopics() {}

    /** Names of the input, output and dead-letter topics. */
    public static List<String> names(Topics topics) {
        return List.of(topics.input(), topics.output(), topics.deadLetter());
    }

    /** Creates the topics that are missing, with these partitions and replication factor. */
    public static List<String> create(
            Admin admin, Topics topics, int partitions, short replicationFactor, Duration timeout) {
        return create(admin, topics, partitions, replicationFactor, Map.of(), timeout);
    }

    /**
     * Creates the topics that are missing, with these partitions and replication factor; the input and output
     * topics get the topic settings {@code dataTopicConfigs} (the dead-letter topic gets none).
     */
    public static List<String> create(
            Admin admin,
            Topics topics,
            int partitions,
            short replicationFactor,
            Map<String, String> dataTopicConfigs,
            Duration timeout) {
        return create(
                admin, topics, Optional.of(partitions), Optional.of(replicationFactor), dataTopicConfigs, timeout);
    }

    /**
     * Creates the topics that are missing. Without a replication factor, the broker's
     * {@code default.replication.factor} and {@code min.insync.replicas} apply (nothing is set on the new
     * topic). Without a partition count, the output and dead-letter topics get the input topic's (when it
     * exists), so that output partition N holds the results of input partition N, and a missing input topic
     * gets the broker's {@code num.partitions}. The input and output topics get the topic settings
     * {@code dataTopicConfigs} (the dead-letter topic gets none).
     */
    public static List<String> create(
            Admin admin,
            Topics topics,
            Optional<Integer> partitions,
            Optional<Short> replicationFactor,
            Map<String, String> dataTopicConfigs,
            Duration timeout) {
        Optional<Integer> inputPartitions =
                partitions.isPresent() ? partitions : TopicAdmin.partitionCount(admin, topics.input(), timeout);
        List<NewTopic> newTopics = names(topics).stream()
                .map(name -> {
                    Optional<Integer> count = name.equals(topics.input()) ? partitions : inputPartitions;
                    NewTopic topic = new NewTopic(name, count, replicationFactor);
                    return name.equals(topics.deadLetter()) ? topic : topic.configs(dataTopicConfigs);
                })
                .toList();
        return TopicAdmin.createIfMissing(admin, newTopics, timeout);
    }

    /** Fails with {@link MissingTopicsException} when one of the topics does not exist. */
    public static void requireExisting(Admin admin, Topics topics, Duration timeout) {
        List<String> missing = TopicAdmin.missing(admin, names(topics), timeout);
        if (!missing.isEmpty()) {
            throw new MissingTopicsException(missing);
        }
    }

    /** Some of the service's topics do not exist. */
    public static final class MissingTopicsException extends IllegalStateException {

        private final List<String> missing;

        MissingTopicsException(List<String> missing) {
            super("topic(s) " + String.join(", ", missing) + " do not exist; create them"
                    + " (or start with --create-topics)");
            this.missing = List.copyOf(missing);
        }

        /** The names of the missing topics. */
        public List<String> missing() {
            return missing;
        }
    }
}
