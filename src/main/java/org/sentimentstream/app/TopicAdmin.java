package org.sentimentstream.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
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
     * settings) and waits until every partition of the created ones has a leader, so that a producer
     * started right after does not race the broker's metadata (an idempotent producer can then stall on
     * out-of-order sequence errors). Returns the names of the topics it created.
     */
    public static List<String> createIfMissing(Admin admin, Collection<NewTopic> topics, Duration timeout) {
        List<String> created = new ArrayList<>();
        var futures = admin.createTopics(topics).values();
        for (NewTopic topic : topics) {
            try {
                futures.get(topic.name()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                created.add(topic.name());
                LOG.info("Created topic {} ({} partitions)", topic.name(), topic.numPartitions());
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
