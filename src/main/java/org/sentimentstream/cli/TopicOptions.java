package org.sentimentstream.cli;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
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

    /** Fails with a usage error when the partitions or replication factor are below 1. */
    void validate() {
        if (partitions < 1 || replicationFactor < 1) {
            throw new UsageException("--partitions and --replication-factor must be at least 1");
        }
    }

    /**
     * Creates the missing topics with {@code --create-topics} (returning the names created), or else
     * fails with {@link ServiceTopics.MissingTopicsException} when one is missing (returning none).
     */
    List<String> prepare(Admin admin, Topics topics, Duration timeout) {
        if (createTopics) {
            return ServiceTopics.create(admin, topics, partitions, replicationFactor, timeout);
        }
        ServiceTopics.requireExisting(admin, topics, timeout);
        return List.of();
    }

    /** Whether {@code --create-topics} was given. */
    boolean create() {
        return createTopics;
    }
}
