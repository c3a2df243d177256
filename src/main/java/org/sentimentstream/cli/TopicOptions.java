package org.sentimentstream.cli;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.TopicConfig;
import org.sentimentstream.app.ServiceTopics;
import org.sentimentstream.stream.Topics;
import picocli.CommandLine.Option;

/**
 * {@code --create-topics}, {@code --partitions} and {@code --replication-factor}, for the commands
 * that need the service's topics: they are created when asked, and must exist otherwise.
 */
final class TopicOptions {

    @Option(
            names = "--create-topics",
            description = "Create the input, output and dead-letter topics if they are missing.")
    private boolean createTopics;

    @Option(
            names = "--partitions",
            defaultValue = "1",
            description = "Partitions of the topics --create-topics creates (default: ${DEFAULT-VALUE}).")
    private int partitions;

    @Option(
            names = "--replication-factor",
            defaultValue = "1",
            description = "Replication factor of the topics --create-topics creates (default: ${DEFAULT-VALUE}).")
    private short replicationFactor;

    @Option(
            names = "--log-append-time",
            description = {
                "With --create-topics: the input and output topics stamp records with the broker's append time",
                "(message.timestamp.type=LogAppendTime), so that loadtest can split latency into stages; for test",
                "topics only (a topic's record timestamps are then no longer the producers')."
            })
    private boolean logAppendTime;

    /** Fails with a usage error when the partitions or replication factor are below 1. */
    void validate() {
        if (partitions < 1 || replicationFactor < 1) {
            throw new UsageException("--partitions and --replication-factor must be at least 1");
        }
        if (logAppendTime && !createTopics) {
            throw new UsageException("--log-append-time applies to the topics --create-topics creates");
        }
    }

    /**
     * Creates the missing topics with {@code --create-topics} (returning the names created), or else
     * fails with {@link ServiceTopics.MissingTopicsException} when one is missing (returning none).
     */
    List<String> prepare(Admin admin, Topics topics, Duration timeout) {
        if (createTopics) {
            Map<String, String> configs =
                    logAppendTime ? Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime") : Map.of();
            return ServiceTopics.create(admin, topics, partitions, replicationFactor, configs, timeout);
        }
        ServiceTopics.requireExisting(admin, topics, timeout);
        return List.of();
    }

    /** Whether {@code --create-topics} was given. */
    boolean create() {
        return createTopics;
    }
}
