package org.sentimentstream.cli;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.TopicConfig;
import org.sentimentstream.app.ServiceTopics;
import org.sentimentstream.app.TopicAdmin;
import org.sentimentstream.app.TopicAdmin.TopicLayout;
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
            description = {
                "Partitions of the topics --create-topics creates (default: the output and dead-letter topics get",
                "the input topic's count, a missing input topic the broker's num.partitions)."
            })
    private Integer partitions;

    @Option(
            names = "--replication-factor",
            description = {
                "Replication factor of the topics --create-topics creates (default: the broker's",
                "default.replication.factor and min.insync.replicas)."
            })
    private Short replicationFactor;

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
        if ((partitions != null && partitions < 1) || (replicationFactor != null && replicationFactor < 1)) {
            throw new UsageException("--partitions and --replication-factor must be at least 1");
        }
        if (logAppendTime && !createTopics) {
            throw new UsageException("--log-append-time applies to the topics --create-topics creates");
        }
    }

    /**
     * Creates the missing topics with {@code --create-topics} (returning the layouts of those created), or else
     * fails with {@link ServiceTopics.MissingTopicsException} when one is missing (returning none).
     */
    List<TopicLayout> prepare(Admin admin, Topics topics, Duration timeout) {
        if (createTopics) {
            Map<String, String> configs =
                    logAppendTime ? Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime") : Map.of();
            List<String> created = ServiceTopics.create(
                    admin,
                    topics,
                    Optional.ofNullable(partitions),
                    Optional.ofNullable(replicationFactor),
                    configs,
                    timeout);
            return TopicAdmin.describe(admin, created, timeout);
        }
        ServiceTopics.requireExisting(admin, topics, timeout);
        return List.of();
    }

    /** Whether {@code --create-topics} was given. */
    boolean create() {
        return createTopics;
    }
}
