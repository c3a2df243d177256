package org.sentimentstream.it;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.sentimentstream.localbroker.LocalKafkaBroker;

/** What the broker knows of a service's consumer group (its application id): committed offsets and members. */
final class ConsumerGroups {

    private static final long TIMEOUT_S = 30;

    private ConsumerGroups() {}

    /** The group's committed offsets on {@code topic}, by partition (partitions without a commit are left out). */
    static Map<TopicPartition, Long> committedOffsets(LocalKafkaBroker broker, String groupId, String topic)
            throws Exception {
        try (Admin admin = broker.createAdmin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata()
                    .get(TIMEOUT_S, TimeUnit.SECONDS);
            Map<TopicPartition, Long> committed = new HashMap<>();
            offsets.forEach((partition, offset) -> {
                if (partition.topic().equals(topic) && offset != null) {
                    committed.put(partition, offset.offset());
                }
            });
            return committed;
        }
    }

    /** The sum of the group's committed offsets on {@code topic}. */
    static long committedTotal(LocalKafkaBroker broker, String groupId, String topic) throws Exception {
        return committedOffsets(broker, groupId, topic).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    /**
     * The partitions of {@code topic} each instance holds now, by instance: a member belongs to the instance
     * whose {@code client.id} prefixes the member's client id (Kafka Streams names its consumers
     * {@code <client.id>-StreamThread-<n>-consumer}). Instances with no member are left out; the map is empty
     * while the group does not exist yet.
     */
    static Map<String, Set<TopicPartition>> assignments(
            LocalKafkaBroker broker, String groupId, String topic, List<String> instanceClientIds) throws Exception {
        try (Admin admin = broker.createAdmin()) {
            ConsumerGroupDescription group;
            try {
                group = admin.describeConsumerGroups(List.of(groupId))
                        .describedGroups()
                        .get(groupId)
                        .get(TIMEOUT_S, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof GroupIdNotFoundException) {
                    return new HashMap<>();
                }
                throw e;
            }
            Map<String, Set<TopicPartition>> byInstance = new HashMap<>();
            for (MemberDescription member : group.members()) {
                for (String instance : instanceClientIds) {
                    if (member.clientId().startsWith(instance + "-")) {
                        Set<TopicPartition> held = byInstance.computeIfAbsent(instance, i -> new HashSet<>());
                        member.assignment().topicPartitions().stream()
                                .filter(p -> p.topic().equals(topic))
                                .forEach(held::add);
                    }
                }
            }
            return byInstance;
        }
    }
}
