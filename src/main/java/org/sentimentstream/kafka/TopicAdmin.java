package org.sentimentstream.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creating and checking topics with an {@link Admin} client, with a deadline. */
public final class TopicAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

    private TopicAdmin() {
    }

    /**
     * Creates the topics that do not exist yet (an existing topic is left as it is, whatever its
     * settings). Returns the names of the topics it created.
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
                    throw new IllegalStateException("cannot create topic " + topic.name() + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
                LOG.debug("Topic {} exists already", topic.name());
            } catch (TimeoutException e) {
                throw new IllegalStateException("creating topic " + topic.name() + " did not finish within "
                        + timeout.toSeconds() + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + topic.name(), e);
            }
        }
        return created;
    }

    /** The names among {@code names} that are not topics of the cluster. */
    public static List<String> missing(Admin admin, Collection<String> names, Duration timeout) {
        Set<String> existing = await(admin.listTopics().names(), timeout, "listing topics");
        return names.stream().filter(name -> !existing.contains(name)).distinct().toList();
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
