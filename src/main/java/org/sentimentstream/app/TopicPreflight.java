package org.sentimentstream.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.streams.StreamsConfig;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.stream.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up check of the service's topics against the cluster they live on, on every start: it describes
 * the cluster, the three topics and the settings of the two the service writes, warns once per finding, and
 * refuses an unsafe exactly-once set-up.
 *
 * <p>Warnings: an output or dead-letter topic with replication factor below 3 or {@code min.insync.replicas}
 * below 2 on a cluster of three brokers or more, an output partition count that differs from the input's, an
 * output or dead-letter topic that is compacted or keeps records less than a day. A single-broker development
 * cluster with the demo's topics gets none.
 *
 * <p>Refusal: under {@code exactly_once_v2}, an output or dead-letter topic with one replica on a cluster of
 * more than one broker stops the start-up ({@link ConfigException}: exit code 2) unless
 * {@value SentimentStreamConfig#TOPICS_ALLOW_SINGLE_REPLICA_CONFIG} is true: a single replica's broker that
 * restarts mid-transaction was seen to make duplicates visible (docs/RELIABILITY.md).
 *
 * <p>Describing needs the {@code Describe} and {@code DescribeConfigs} ACLs; a locked-down deployment may
 * lack them: a refused step is logged in one line and skipped, never a reason not to start.
 */
public final class TopicPreflight {

    private static final Logger LOG = LoggerFactory.getLogger(TopicPreflight.class);

    static final int RECOMMENDED_REPLICATION_FACTOR = 3;
    static final int RECOMMENDED_MIN_INSYNC_REPLICAS = 2;
    static final long MIN_RETENTION_MS = Duration.ofDays(1).toMillis();

    private TopicPreflight() {}

    /**
     * Checks the topics; returns the warnings it logged.
     *
     * @throws ConfigException when exactly-once would run on a single-replica output or dead-letter topic
     */
    public static List<String> check(Admin admin, Topics topics, SentimentStreamConfig config, Duration timeout) {
        return check(
                admin,
                topics,
                config.processingGuarantee().equals(StreamsConfig.EXACTLY_ONCE_V2),
                config.topicsAllowSingleReplica(),
                timeout);
    }

    /**
     * Checks the topics for a service with or without exactly-once; returns the warnings it logged.
     *
     * @throws ConfigException when exactly-once would run on a single-replica output or dead-letter topic and
     *     {@code allowSingleReplica} is false
     */
    public static List<String> check(
            Admin admin, Topics topics, boolean exactlyOnce, boolean allowSingleReplica, Duration timeout) {
        Optional<Integer> brokers = describe(admin.describeCluster().nodes(), timeout, "the cluster")
                .map(Collection::size);
        Optional<Map<String, TopicDescription>> descriptions =
                describe(admin.describeTopics(ServiceTopics.names(topics)).allTopicNames(), timeout, "the topics");
        List<String> written = List.of(topics.output(), topics.deadLetter());
        Optional<Map<ConfigResource, Config>> configs = describe(
                admin.describeConfigs(written.stream()
                                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
                                .toList())
                        .all(),
                timeout,
                "the settings of the output and dead-letter topics");

        List<String> warnings = new ArrayList<>();
        descriptions.ifPresent(topicDescriptions -> {
            brokers.ifPresent(count -> {
                for (String name : written) {
                    int replication = replicationFactor(topicDescriptions.get(name));
                    if (exactlyOnce && count > 1 && replication == 1 && !allowSingleReplica) {
                        throw new ConfigException("topic " + name + " has replication factor 1 on a cluster of "
                                + count + " brokers: exactly_once_v2 refuses to start on it (a broker restart"
                                + " can make duplicates visible); recreate it with replication factor 3, or set "
                                + SentimentStreamConfig.TOPICS_ALLOW_SINGLE_REPLICA_CONFIG + "=true to start"
                                + " anyway");
                    }
                    if (count >= RECOMMENDED_REPLICATION_FACTOR && replication < RECOMMENDED_REPLICATION_FACTOR) {
                        warnings.add("topic " + name + " has replication factor " + replication + " on a cluster"
                                + " of " + count + " brokers (recommended: " + RECOMMENDED_REPLICATION_FACTOR
                                + "): losing one broker can make it unavailable or lose records");
                    }
                }
                configs.ifPresent(topicConfigs -> {
                    if (count >= RECOMMENDED_REPLICATION_FACTOR) {
                        for (String name : written) {
                            minInsyncReplicas(topicConfigs, name)
                                    .filter(minIsr -> minIsr < RECOMMENDED_MIN_INSYNC_REPLICAS)
                                    .ifPresent(minIsr -> warnings.add("topic " + name + " has min.insync.replicas "
                                            + minIsr + " (recommended: " + RECOMMENDED_MIN_INSYNC_REPLICAS
                                            + "): a write acknowledged by one replica is lost with that broker"));
                        }
                    }
                });
            });
            int inputPartitions =
                    topicDescriptions.get(topics.input()).partitions().size();
            int outputPartitions =
                    topicDescriptions.get(topics.output()).partitions().size();
            if (inputPartitions != outputPartitions) {
                warnings.add("topic " + topics.output() + " has " + outputPartitions + " partitions, the input topic "
                        + topics.input() + " " + inputPartitions + ": results are not co-partitioned with their"
                        + " input (recommended: the same count)");
            }
        });
        configs.ifPresent(topicConfigs -> {
            for (String name : written) {
                Config topic = topicConfigs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
                String cleanup = value(topic, TopicConfig.CLEANUP_POLICY_CONFIG);
                if (cleanup != null && cleanup.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                    warnings.add("topic " + name + " has cleanup.policy=" + cleanup + ": compaction keeps only the"
                            + " last record per key (recommended: delete)");
                }
                String retention = value(topic, TopicConfig.RETENTION_MS_CONFIG);
                if (retention != null) {
                    long retentionMs = Long.parseLong(retention);
                    if (retentionMs >= 0 && retentionMs < MIN_RETENTION_MS) {
                        warnings.add("topic " + name + " keeps records " + retentionMs + " ms (retention.ms): less"
                                + " than a day, a consumer that is down longer loses records");
                    }
                }
            }
        });
        warnings.forEach(warning -> LOG.warn("Topic check: {}", warning));
        return List.copyOf(warnings);
    }

    private static int replicationFactor(TopicDescription description) {
        return description.partitions().stream()
                .mapToInt(p -> p.replicas().size())
                .min()
                .orElse(0);
    }

    private static Optional<Integer> minInsyncReplicas(Map<ConfigResource, Config> configs, String name) {
        String value = value(
                configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name)),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
        return value == null ? Optional.empty() : Optional.of(Integer.parseInt(value));
    }

    private static String value(Config config, String name) {
        if (config == null) {
            return null;
        }
        ConfigEntry entry = config.get(name);
        return entry == null ? null : entry.value();
    }

    /** The answer, or empty (logged in one line) when the cluster refuses to describe it. */
    private static <T> Optional<T> describe(KafkaFuture<T> future, Duration timeout, String what) {
        try {
            return Optional.of(future.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthorizationException refused) {
                LOG.info(
                        "Topic check: not allowed to describe {} ({}); that part of the check is skipped",
                        what,
                        refused.getMessage());
                return Optional.empty();
            }
            throw new IllegalStateException(
                    "describing " + what + " failed: " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "describing " + what + " did not finish within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + what, e);
        }
    }
}
