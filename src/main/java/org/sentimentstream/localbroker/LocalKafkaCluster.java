package org.sentimentstream.localbroker;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A KRaft cluster of N nodes (default 3), each a child JVM bound to 127.0.0.1 in combined mode (broker and
 * controller in one process, every node a voter of the quorum: two cores cope with three JVMs, not six), for
 * integration tests of broker faults and listener security.
 *
 * <p>With three nodes and more, internal topics and new topics are replicated three times with
 * {@code min.insync.replicas=2} ({@code default.replication.factor=3}; offsets and transaction state logs
 * RF 3, min ISR 2); {@link Builder#numPartitions} sets {@code num.partitions}. Each node is a
 * {@link KafkaNode}, like the single {@link LocalKafkaBroker}: same configuration writer, same readiness
 * check, same stop/kill by process handle.
 *
 * <p>Faults by node id ({@code 1..N}): {@link #kill} (SIGKILL), {@link #stop} (SIGTERM, clean shutdown),
 * {@link #pause}/{@link #resume} (SIGSTOP/SIGCONT), {@link #restart} (start again on the same data and ports).
 * Observations: {@link #activeController()} (from {@code describeMetadataQuorum}), {@link #leaderOf} a
 * partition, and {@link #awaitHealthy}: every node up and every partition, internal ones included, fully in
 * sync. A test that injects a fault restores the cluster with {@link #heal} before it ends.
 *
 * <p><b>Listener security</b> is a pluggable part ({@link Builder#listenerSecurity}, see
 * {@link ListenerSecurity}): each node gets a client listener named {@code CLIENT} with the chosen protocol
 * (SSL, SASL_PLAINTEXT, SASL_SSL) and the caller's broker settings (keystores, JAAS, mechanisms, authorizer)
 * and storage format arguments ({@code --add-scram}); {@link #clientBootstrapServers()} lists those listeners.
 * The PLAINTEXT listeners stay, for the traffic between brokers, the readiness checks and the admin
 * operations of this class. Certificates and users are the caller's.
 *
 * <p>Every node's JVM exits by itself when this JVM is gone ({@link ChildMain}); a shutdown hook closes the
 * cluster when this JVM exits normally.
 */
public final class LocalKafkaCluster implements LocalKafka {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaCluster.class);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration ADMIN_CALL = Duration.ofSeconds(10);
    /** A voter counts as caught up when it was within this of the quorum leader's log end recently. */
    private static final Duration CAUGHT_UP = Duration.ofSeconds(10);

    private final Path directory;
    private final boolean temporary;
    private final String clusterId;
    private final Map<Integer, KafkaNode> nodes;
    private final Thread shutdownHook;
    private boolean closed;

    private LocalKafkaCluster(Builder builder, Path directory, boolean temporary) {
        this.directory = directory;
        this.temporary = temporary;
        this.clusterId = Uuid.randomUuid().toString();
        int size = builder.nodes;
        List<Integer> used = new ArrayList<>();
        int[] brokerPorts = new int[size];
        int[] controllerPorts = new int[size];
        int[] clientPorts = new int[size];
        for (int i = 0; i < size; i++) {
            brokerPorts[i] = pick(used);
            controllerPorts[i] = pick(used);
            clientPorts[i] = builder.security.addsListener() ? pick(used) : 0;
        }
        String voters = IntStream.range(0, size)
                .mapToObj(i -> (i + 1) + "@" + KraftProperties.HOST + ":" + controllerPorts[i])
                .collect(Collectors.joining(","));
        Map<Integer, KafkaNode> created = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            int id = i + 1;
            Path nodeFolder = directory.resolve("node-" + id);
            KraftProperties properties = new KraftProperties(
                    id,
                    brokerPorts[i],
                    controllerPorts[i],
                    nodeFolder.resolve(KafkaNode.DATA_DIR),
                    voters,
                    size,
                    builder.numPartitions,
                    null,
                    clientPorts[i],
                    builder.security);
            created.put(id, new KafkaNode(nodeFolder, properties, builder.maxHeap, builder.startTimeout));
        }
        this.nodes = Map.copyOf(created);
        this.shutdownHook = new Thread(this::close, "local-kafka-cluster-stop");
    }

    private static int pick(List<Integer> used) {
        int port = LocalKafkaBroker.freePort(
                used.stream().mapToInt(Integer::intValue).toArray());
        used.add(port);
        return port;
    }

    /** A builder for a cluster in a temporary folder on free ports. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a three-node cluster with the default settings. */
    public static LocalKafkaCluster start() {
        return builder().start();
    }

    /** The node ids, {@code 1..N}. */
    public List<Integer> nodeIds() {
        return nodes.keySet().stream().sorted().toList();
    }

    /** The number of nodes. */
    public int size() {
        return nodes.size();
    }

    /** The cluster id the storage was formatted with. */
    public String clusterId() {
        return clusterId;
    }

    /** The cluster's folder (one {@code node-N} folder per node). */
    public Path directory() {
        return directory;
    }

    /** The PLAINTEXT listeners of all nodes, for {@code bootstrap.servers}. */
    @Override
    public String bootstrapServers() {
        return nodeIds().stream()
                .map(id -> nodes.get(id).properties().bootstrapServers())
                .collect(Collectors.joining(","));
    }

    /** The client listeners of all nodes: the secured ones when a {@link ListenerSecurity} adds them. */
    @Override
    public String clientBootstrapServers() {
        return nodeIds().stream()
                .map(id -> nodes.get(id).properties().clientBootstrapServers())
                .collect(Collectors.joining(","));
    }

    /** {@code host:port} of one node's PLAINTEXT listener. */
    public String bootstrapServers(int nodeId) {
        return node(nodeId).properties().bootstrapServers();
    }

    @Override
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    /** One node's folder (configuration, {@code broker.log}, {@code data/}). */
    public Path nodeDirectory(int nodeId) {
        return node(nodeId).directory();
    }

    /** One node's partition folder ({@code log.dirs}), for {@code kafka-dump-log}. */
    public Path dataDirectory(int nodeId) {
        return node(nodeId).dataDirectory();
    }

    /** One node's log (its JVM's output). */
    public Path logFile(int nodeId) {
        return node(nodeId).logFile();
    }

    /** The last lines of one node's log. */
    public String logTail(int nodeId) {
        return node(nodeId).logTail();
    }

    /** Whether the node's JVM is alive (a paused one is). */
    public synchronized boolean isRunning(int nodeId) {
        return node(nodeId).isRunning();
    }

    /** The process id of the node's running JVM. */
    public synchronized long pid(int nodeId) {
        return node(nodeId).pid();
    }

    /** SIGKILL, as a crash; returns when the process is gone. */
    public synchronized void kill(int nodeId) {
        node(nodeId).kill();
    }

    /** SIGTERM (a clean shutdown, SIGKILL after a grace period); returns when the process is gone. */
    public synchronized void stop(int nodeId) {
        node(nodeId).stop();
    }

    /** SIGSTOP: the node stays but answers nothing until {@link #resume}. */
    public synchronized void pause(int nodeId) {
        node(nodeId).pause();
    }

    /** SIGCONT after {@link #pause}. */
    public synchronized void resume(int nodeId) {
        node(nodeId).resume();
    }

    /**
     * Starts the node again on its data and ports (stopping it first when it runs) and returns once it
     * answers; its partitions may still be catching up ({@link #awaitHealthy}).
     */
    public synchronized void restart(int nodeId) {
        requireOpen();
        KafkaNode node = node(nodeId);
        node.stop();
        node.startProcess();
        node.awaitReady();
    }

    /** The node id of the active controller (the KRaft quorum leader). */
    public int activeController() {
        try (Admin admin = admin()) {
            return quorum(admin).leaderId();
        }
    }

    /** The node id of the partition's leader, or -1 when it has none (all its replicas are down). */
    public int leaderOf(TopicPartition partition) {
        try (Admin admin = admin()) {
            TopicDescription description = call(admin.describeTopics(List.of(partition.topic()))
                            .allTopicNames())
                    .get(partition.topic());
            TopicPartitionInfo info = description.partitions().get(partition.partition());
            Node leader = info.leader();
            return leader == null || leader.isEmpty() ? -1 : leader.id();
        }
    }

    /**
     * Makes the cluster healthy again after a fault: resumes paused nodes, starts stopped or killed ones,
     * then {@link #awaitHealthy}.
     */
    public void heal(Duration timeout) throws TimeoutException {
        synchronized (this) {
            requireOpen();
            for (KafkaNode node : nodes.values()) {
                if (node.isRunning() && node.isPaused()) {
                    node.resume();
                }
            }
            for (int id : nodeIds()) {
                if (!node(id).isRunning()) {
                    LOG.info("Healing the cluster: starting node {} again", id);
                    restart(id);
                }
            }
        }
        awaitHealthy(timeout);
    }

    /**
     * Waits until every node runs and is registered as an unfenced broker, every voter of the quorum is caught
     * up with its leader, and every partition (internal topics included) has all its replicas in sync.
     *
     * @throws TimeoutException naming what is still missing
     */
    public void awaitHealthy(Duration timeout) throws TimeoutException {
        Instant deadline = Instant.now().plus(timeout);
        String missing;
        try (Admin admin = admin()) {
            while (true) {
                missing = unhealthy(admin);
                if (missing.isEmpty()) {
                    return;
                }
                if (Instant.now().isAfter(deadline)) {
                    break;
                }
                sleep(POLL);
            }
        }
        throw new TimeoutException("the cluster is not healthy after " + timeout.toSeconds() + " s: " + missing);
    }

    /** What keeps the cluster from being healthy now; empty when it is. */
    private String unhealthy(Admin admin) {
        List<Integer> down = nodeIds().stream()
                .filter(id -> !node(id).isRunning() || node(id).isPaused())
                .toList();
        if (!down.isEmpty()) {
            return "nodes " + down + " are not running";
        }
        try {
            Collection<Node> brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000))
                    .nodes()
                    .get(ADMIN_CALL.toMillis(), TimeUnit.MILLISECONDS);
            if (brokers.size() < nodes.size()) {
                return "only brokers " + brokers.stream().map(Node::id).sorted().toList() + " are registered";
            }
            QuorumInfo quorum =
                    admin.describeMetadataQuorum().quorumInfo().get(ADMIN_CALL.toMillis(), TimeUnit.MILLISECONDS);
            long now = System.currentTimeMillis();
            List<Integer> lagging = quorum.voters().stream()
                    .filter(voter -> voter.replicaId() != quorum.leaderId())
                    .filter(voter -> voter.lastCaughtUpTimestamp().isEmpty()
                            || now - voter.lastCaughtUpTimestamp().getAsLong() > CAUGHT_UP.toMillis())
                    .map(QuorumInfo.ReplicaState::replicaId)
                    .toList();
            if (quorum.leaderId() < 0 || !lagging.isEmpty()) {
                return "the quorum (leader " + quorum.leaderId() + ") waits for voters " + lagging;
            }
            Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true))
                    .names()
                    .get(ADMIN_CALL.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, TopicDescription> descriptions =
                    admin.describeTopics(topics).allTopicNames().get(ADMIN_CALL.toMillis(), TimeUnit.MILLISECONDS);
            List<String> underReplicated = new ArrayList<>();
            descriptions.forEach((topic, description) -> description.partitions().stream()
                    .filter(p -> p.leader() == null
                            || p.leader().isEmpty()
                            || p.isr().size() < p.replicas().size())
                    .forEach(p -> underReplicated.add(topic + "-" + p.partition())));
            return underReplicated.isEmpty() ? "" : "partitions not fully in sync: " + underReplicated;
        } catch (ExecutionException | TimeoutException e) {
            return "the cluster does not answer: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the cluster", e);
        }
    }

    /** Stops every node (SIGTERM, all at once) and, when the folder is temporary, deletes it. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (KafkaNode node : nodes.values()) {
            Process process = node.process();
            if (process != null) {
                // SIGTERM to all first: a node stopping alone waits for the others to take its leaderships.
                process.destroy();
            }
        }
        synchronized (this) {
            nodes.values().forEach(KafkaNode::stop);
        }
        removeShutdownHook();
        if (temporary) {
            try {
                Folders.deleteRecursively(directory);
            } catch (IOException e) {
                LOG.warn("Cannot delete the cluster folder {}: {}", directory, e.toString());
            }
        }
    }

    private void launch() {
        List<Process> formatting = new ArrayList<>();
        for (int id : nodeIds()) {
            formatting.add(node(id).startFormat(clusterId));
        }
        List<Integer> ids = nodeIds();
        for (int i = 0; i < ids.size(); i++) {
            if (formatting.get(i) != null) {
                node(ids.get(i)).awaitFormat(formatting.get(i));
            }
        }
        Instant started = Instant.now();
        // All at once: a node is ready only when the quorum has a leader, which needs a majority running.
        ids.forEach(id -> node(id).startProcess());
        ids.forEach(id -> node(id).awaitReady());
        try {
            awaitHealthy(nodes.values().iterator().next().startTimeout());
        } catch (TimeoutException e) {
            throw new BrokerStartException("the Kafka cluster did not become healthy: " + e.getMessage(), e);
        }
        LOG.info(
                "Kafka cluster of {} nodes on {} is ready after {} ms",
                nodes.size(),
                bootstrapServers(),
                Duration.between(started, Instant.now()).toMillis());
    }

    private Admin admin() {
        Map<String, Object> config = clientConfig();
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_CALL.toMillis());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "local-kafka-cluster");
        return Admin.create(config);
    }

    private static QuorumInfo quorum(Admin admin) {
        return call(admin.describeMetadataQuorum().quorumInfo());
    }

    private static <T> T call(KafkaFuture<T> future) {
        try {
            return future.get(ADMIN_CALL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the cluster refused an admin call: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the cluster did not answer within " + ADMIN_CALL.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during an admin call", e);
        }
    }

    private KafkaNode node(int nodeId) {
        KafkaNode node = nodes.get(nodeId);
        if (node == null) {
            throw new IllegalArgumentException("no node " + nodeId + " (nodes " + nodeIds() + ")");
        }
        return node;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the cluster is closed");
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the cluster", e);
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            LOG.debug("JVM shutdown in progress; the shutdown hook stays", e);
        }
    }

    /** Settings of a {@link LocalKafkaCluster}; {@link #start()} builds and starts it. */
    public static final class Builder {
        private int nodes = 3;
        private int numPartitions = 1;
        private String maxHeap = "384m";
        private Duration startTimeout = Duration.ofSeconds(180);
        private ListenerSecurity security = ListenerSecurity.none();
        private Path directory;

        private Builder() {}

        /** The number of nodes, all brokers and voters (default 3). */
        public Builder nodes(int nodes) {
            if (nodes < 1 || nodes > 9) {
                throw new IllegalArgumentException("a local cluster has 1 to 9 nodes, not " + nodes);
            }
            this.nodes = nodes;
            return this;
        }

        /** The brokers' {@code num.partitions}, the default of new topics (default 1). */
        public Builder numPartitions(int numPartitions) {
            if (numPartitions < 1) {
                throw new IllegalArgumentException("num.partitions must be positive");
            }
            this.numPartitions = numPartitions;
            return this;
        }

        /** Each node JVM's maximum heap, as for {@code -Xmx} (default {@code 384m}). */
        public Builder maxHeap(String maxHeap) {
            this.maxHeap = KafkaNode.requireHeapSize(maxHeap);
            return this;
        }

        /** How long to wait for each node to answer, and for the cluster to be healthy (default 180 s). */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = KafkaNode.requireStartTimeout(startTimeout);
            return this;
        }

        /** The client listeners' security and extra broker settings ({@link ListenerSecurity}); none by default. */
        public Builder listenerSecurity(ListenerSecurity security) {
            this.security = Objects.requireNonNull(security, "security");
            return this;
        }

        /** A folder to keep the cluster in (kept on close; ports are picked anew); a temporary one by default. */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /**
         * Formats the nodes' storage, starts them all and returns once every node answers and every internal
         * partition is in sync. Started again on other ports (up to three times) when a picked port was taken
         * before a node bound it.
         */
        public LocalKafkaCluster start() {
            return KafkaNode.startRetryingPortClashes(directory == null, "local Kafka cluster", this::startOnce);
        }

        private LocalKafkaCluster startOnce() {
            boolean temporary = directory == null;
            Path folder = KafkaNode.createFolder(directory, "sentiment-kafka-cluster-");
            LocalKafkaCluster cluster = new LocalKafkaCluster(this, folder, temporary);
            Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
            try {
                cluster.launch();
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            return cluster;
        }
    }
}
