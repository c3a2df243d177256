package org.sentimentstream.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creating and checking topics with an {@link Admin} client, with a deadline. */
public final class TopicAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

    private TopicAdmin() {}

    private static final long LEADER_POLL_MS = 50;

    /**
     * Creates the topics that do not exist yet (an existing topic is left as it is, whatever its
     * settings) and waits until every partition of the created ones has a leader that serves requests, so
     * that a producer started right after does not race the broker's metadata. Without the wait, an
     * idempotent producer's first request can fail with NOT_LEADER_OR_FOLLOWER while its second is
     * appended, and the first is then retried with OUT_OF_ORDER_SEQUENCE_NUMBER until it expires: its
     * records are lost (KAFKA-15591, seen here with Kafka 4.4.0). Returns the names of the topics it
     * created.
     */
    public static List<String> createIfMissing(Admin admin, Collection<NewTopic> topics, Duration timeout) {
        List<String> created = new ArrayList<>();
        var futures = admin.createTopics(topics).values();
        for (NewTopic topic : topics) {
            try {
                futures.get(topic.name()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                created.add(topic.name());
                LOG.info(
                        "Created topic {} ({} partitions, replication factor {}; -1: the broker's default)",
                        topic.name(),
                        topic.numPartitions(),
                        topic.replicationFactor());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException(
                            "cannot create topic " + topic.name() + ": "
                                    + e.getCause().getMessage(),
                            e.getCause());
                }
                LOG.debug("Topic {} exists already", topic.name());
            } catch (TimeoutException e) {
                throw new IllegalStateException(
                        "creating topic " + topic.name() + " did not finish within " + timeout.toSeconds() + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + topic.name(), e);
            }
        }
        awaitLeaders(admin, created, timeout);
        return created;
    }

    /** Waits until every partition of the topics has a leader, or fails when the timeout passes. */
    static void awaitLeaders(Admin admin, Collection<String> names, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!names.isEmpty()) {
            try {
                Map<String, TopicDescription> topics =
                        admin.describeTopics(names).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (topics.values().stream()
                        .flatMap(t -> t.partitions().stream())
                        .allMatch(p -> p.leader() != null)) {
                    awaitServingLeaders(admin, topics.values(), deadline);
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException(
                            "describing topics " + names + " failed: "
                                    + e.getCause().getMessage(),
                            e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException(
                        "describing topics " + names + " did not finish within " + timeout.toSeconds() + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the leaders of " + names, e);
            }
            if (System.nanoTime() >= deadline) {
                throw new IllegalStateException(
                        "the partitions of " + names + " have no leader after " + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(LEADER_POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the leaders of " + names, e);
            }
        }
    }

    /**
     * A leader in the metadata may not have applied its leadership yet: asks each partition's leader for
     * its end offset, which it answers only once it serves the partition (the admin client retries
     * NOT_LEADER_OR_FOLLOWER until then).
     */
    private static void awaitServingLeaders(Admin admin, Collection<TopicDescription> topics, long deadlineNanos) {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (TopicDescription topic : topics) {
            topic.partitions()
                    .forEach(p -> partitions.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
        }
        long remainingMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
        await(
                admin.listOffsets(partitions, new ListOffsetsOptions().timeoutMs((int)
                                        Math.min(Integer.MAX_VALUE, remainingMs)))
                        .all(),
                Duration.ofMillis(remainingMs),
                "waiting for the leaders of " + partitions.keySet() + " to serve requests");
    }

    /** A topic's partition count and replication factor (the smallest of its partitions'). */
    public record TopicLayout(String name, int partitions, int replicationFactor) {

        static TopicLayout of(TopicDescription description) {
            return new TopicLayout(
                    description.name(),
                    description.partitions().size(),
                    description.partitions().stream()
                            .mapToInt(p -> p.replicas().size())
                            .min()
                            .orElse(0));
        }

        @Override
        public String toString() {
            return name + " (" + partitions + " partitions, replication factor " + replicationFactor + ")";
        }
    }

    /** The layouts of these topics, in the order given. */
    public static List<TopicLayout> describe(Admin admin, Collection<String> names, Duration timeout) {
        if (names.isEmpty()) {
            return List.of();
        }
        Map<String, TopicDescription> topics =
                await(admin.describeTopics(names).allTopicNames(), timeout, "describing topics " + names);
        return names.stream().map(name -> TopicLayout.of(topics.get(name))).toList();
    }

    /** The partition count of a topic, or empty when it does not exist. */
    public static Optional<Integer> partitionCount(Admin admin, String name, Duration timeout) {
        try {
            return Optional.of(admin.describeTopics(List.of(name))
                    .allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(name)
                    .partitions()
                    .size());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw new IllegalStateException(
                    "describing topic " + name + " failed: " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "describing topic " + name + " did not finish within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topic " + name, e);
        }
    }

    /** The names among {@code names} that are not topics of the cluster. */
    public static List<String> missing(Admin admin, Collection<String> names, Duration timeout) {
        Set<String> existing = await(admin.listTopics().names(), timeout, "listing topics");
        return names.stream()
                .filter(name -> !existing.contains(name))
                .distinct()
                .toList();
    }

    private static <T> T await(KafkaFuture<T> future, Duration timeout, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + " did not finish within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + what, e);
        }
    }
}
