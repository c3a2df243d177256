package org.sentimentstream.it;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.sentimentstream.localbroker.LocalKafka;

/** What the broker knows of a service's consumer group (its application id): committed offsets and members. */
final class ConsumerGroups {

    private static final long TIMEOUT_S = 30;

    private ConsumerGroups() {}

    /** The group's committed offsets on {@code topic}, by partition (partitions without a commit are left out). */
    static Map<TopicPartition, Long> committedOffsets(LocalKafka broker, String groupId, String topic)
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
    static long committedTotal(LocalKafka broker, String groupId, String topic) throws Exception {
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
            LocalKafka broker, String groupId, String topic, List<String> instanceClientIds) throws Exception {
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

    /**
     * Waits until exactly {@code holders} (of {@code instances}, by client id) hold partitions of {@code topic} and
     * together hold all {@code partitions} of them; returns the assignment then, without instances that hold none.
     */
    static Map<String, Set<TopicPartition>> awaitAssignment(
            LocalKafka broker,
            String groupId,
            String topic,
            int partitions,
            List<String> instances,
            Set<String> holders,
            Duration timeout)
            throws Exception {
        Conditions.await(
                () -> {
                    Map<String, Set<TopicPartition>> now = assignments(broker, groupId, topic, instances);
                    Set<TopicPartition> all = new HashSet<>();
                    now.values().forEach(all::addAll);
                    return now.entrySet().stream()
                                    .filter(e -> !e.getValue().isEmpty())
                                    .map(Map.Entry::getKey)
                                    .collect(Collectors.toSet())
                                    .equals(holders)
                            && all.size() == partitions;
                },
                timeout);
        Map<String, Set<TopicPartition>> now = assignments(broker, groupId, topic, instances);
        now.values().removeIf(Set::isEmpty);
        return now;
    }

    /** How many records {@code topic} holds now: the sum over its partitions of end minus start offset. */
    static long records(LocalKafka broker, String topic) throws Exception {
        try (Admin admin = broker.createAdmin()) {
            List<TopicPartition> partitions = partitionsOf(admin, topic);
            return offsetSum(admin, partitions, OffsetSpec.latest())
                    - offsetSum(admin, partitions, OffsetSpec.earliest());
        }
    }

    /**
     * The bytes {@code topic} takes on the brokers' disks now: the sizes of its replicas in every log folder of
     * every broker ({@code Admin.describeLogDirs}). Unlike {@link #records}, this shrinks when compaction or
     * retention removes records.
     */
    static long bytesOnDisk(LocalKafka kafka, String topic) throws Exception {
        try (Admin admin = kafka.createAdmin()) {
            List<Integer> brokers = admin.describeCluster().nodes().get(TIMEOUT_S, TimeUnit.SECONDS).stream()
                    .map(Node::id)
                    .toList();
            return admin.describeLogDirs(brokers).allDescriptions().get(TIMEOUT_S, TimeUnit.SECONDS).values().stream()
                    .flatMap(folders -> folders.values().stream())
                    .flatMap(folder -> folder.replicaInfos().entrySet().stream())
                    .filter(replica -> replica.getKey().topic().equals(topic))
                    .mapToLong(replica -> replica.getValue().size())
                    .sum();
        }
    }

    private static long offsetSum(Admin admin, List<TopicPartition> partitions, OffsetSpec spec) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(p, spec));
        return admin.listOffsets(request).all().get(TIMEOUT_S, TimeUnit.SECONDS).values().stream()
                .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset)
                .sum();
    }

    /**
     * The partitions of {@code topic} whose last stable offset (what read_committed consumers may read up to) is
     * behind their end offset, with both: a transaction that stays open there holds every read_committed reader
     * back. Empty when every transaction on the topic has been committed or aborted.
     */
    static Map<TopicPartition, String> openTransactions(LocalKafka kafka, String topic) throws Exception {
        try (Admin admin = kafka.createAdmin()) {
            List<TopicPartition> partitions = partitionsOf(admin, topic);
            Map<TopicPartition, Long> stable = offsets(admin, partitions, IsolationLevel.READ_COMMITTED);
            Map<TopicPartition, Long> end = offsets(admin, partitions, IsolationLevel.READ_UNCOMMITTED);
            Map<TopicPartition, String> open = new HashMap<>();
            for (TopicPartition partition : partitions) {
                if (!stable.get(partition).equals(end.get(partition))) {
                    open.put(partition, "stable " + stable.get(partition) + ", end " + end.get(partition));
                }
            }
            return open;
        }
    }

    private static List<TopicPartition> partitionsOf(Admin admin, String topic) throws Exception {
        return admin
                .describeTopics(List.of(topic))
                .allTopicNames()
                .get(TIMEOUT_S, TimeUnit.SECONDS)
                .get(topic)
                .partitions()
                .stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
    }

    private static Map<TopicPartition, Long> offsets(
            Admin admin, List<TopicPartition> partitions, IsolationLevel isolation) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(p, OffsetSpec.latest()));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listOffsets(request, new ListOffsetsOptions(isolation))
                .all()
                .get(TIMEOUT_S, TimeUnit.SECONDS)
                .forEach((p, info) -> offsets.put(p, info.offset()));
        return offsets;
    }
}
