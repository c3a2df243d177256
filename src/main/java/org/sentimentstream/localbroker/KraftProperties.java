package org.sentimentstream.localbroker;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code server.properties} of one KRaft node in combined mode (broker and controller in one process),
 * bound to 127.0.0.1: a single-node broker ({@link LocalKafkaBroker}) or one node of a
 * {@link LocalKafkaCluster}.
 *
 * <p>Internal topics are replicated to {@code min(3, clusterSize)} nodes with a minimum in-sync replica count
 * one lower (at least 1): replication factor 1 on a single node, 3 with {@code min.insync.replicas=2} on three
 * nodes and more, which are also the defaults for new topics ({@code default.replication.factor},
 * {@code min.insync.replicas}). They have few partitions (creating 50 partitions for the first transaction or
 * consumer group costs seconds on a small machine). Topics are never created automatically: the demo and
 * the tests create what they use.
 *
 * @param nodeId         {@code node.id}
 * @param brokerPort     port of the PLAINTEXT listener (clients, and the traffic between brokers)
 * @param controllerPort port of the CONTROLLER listener (the KRaft quorum)
 * @param logDir         the node's data directory ({@code log.dirs})
 * @param quorumVoters   {@code controller.quorum.voters} ({@code id@host:port,...}); null: this node alone
 * @param clusterSize    the number of nodes (all of them voters): sets the replication of internal topics
 * @param numPartitions  {@code num.partitions}, the broker's default for new topics
 * @param saslPlain      a SASL_PLAINTEXT listener with the PLAIN mechanism, besides the PLAINTEXT one,
 *                       or null for none
 * @param clientPort     port of the {@link ListenerSecurity#LISTENER_NAME} listener; unused when
 *                       {@code security} adds none
 * @param security       the client listener's security and extra broker settings, written last
 */
public record KraftProperties(
        int nodeId,
        int brokerPort,
        int controllerPort,
        Path logDir,
        String quorumVoters,
        int clusterSize,
        int numPartitions,
        SaslPlainListener saslPlain,
        int clientPort,
        ListenerSecurity security) {

    static final String HOST = "127.0.0.1";
    static final int NODE_ID = 1;
    private static final String SASL_LISTENER = "SASL_PLAINTEXT";

    public KraftProperties {
        Objects.requireNonNull(logDir, "logDir");
        Objects.requireNonNull(security, "security");
        if (clusterSize < 1 || numPartitions < 1) {
            throw new IllegalArgumentException("the cluster size and the partition count must be positive");
        }
    }

    /** A single node with the PLAINTEXT client listener only. */
    public KraftProperties(int brokerPort, int controllerPort, Path logDir) {
        this(brokerPort, controllerPort, logDir, null);
    }

    /** A single node with the PLAINTEXT listener and, when not null, a SASL/PLAIN one. */
    public KraftProperties(int brokerPort, int controllerPort, Path logDir, SaslPlainListener saslPlain) {
        this(NODE_ID, brokerPort, controllerPort, logDir, null, 1, 1, saslPlain, 0, ListenerSecurity.none());
    }

    /** The replication factor of internal topics and the default of new ones: {@code min(3, clusterSize)}. */
    public int replicationFactor() {
        return Math.min(3, clusterSize);
    }

    /** {@code min.insync.replicas}: one below the replication factor, at least 1. */
    public int minInsyncReplicas() {
        return Math.max(1, replicationFactor() - 1);
    }

    /**
     * A client listener that authenticates with SASL/PLAIN (no TLS: for tests of client security
     * settings on loopback), and its users.
     *
     * @param port  the listener's port
     * @param users user name to password; names and passwords of letters, digits, '-' and '_'
     */
    public record SaslPlainListener(int port, Map<String, String> users) {

        private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-]+");

        public SaslPlainListener {
            users = Map.copyOf(Objects.requireNonNull(users, "users"));
            if (users.isEmpty()) {
                throw new IllegalArgumentException("a SASL/PLAIN listener needs at least one user");
            }
            users.forEach((user, password) -> {
                if (!SAFE.matcher(user).matches() || !SAFE.matcher(password).matches()) {
                    throw new IllegalArgumentException(
                            "SASL/PLAIN user names and passwords must be letters, digits, '-' or '_'");
                }
            });
        }

        /** The JAAS configuration of the broker side: one {@code user_NAME="PASSWORD"} per user. */
        String serverJaasConfig() {
            return users.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .map(user -> "user_" + user.getKey() + "=\"" + user.getValue() + "\"")
                    .collect(Collectors.joining(
                            " ", "org.apache.kafka.common.security.plain.PlainLoginModule required ", ";"));
        }
    }

    /** The properties, in a stable order. */
    public Map<String, String> asMap() {
        String rf = Integer.toString(replicationFactor());
        String minIsr = Integer.toString(minInsyncReplicas());
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(nodeId));
        p.put(
                "controller.quorum.voters",
                quorumVoters == null ? nodeId + "@" + HOST + ":" + controllerPort : quorumVoters);
        String extra = (saslPlain == null ? "" : "," + SASL_LISTENER + "://" + HOST + ":" + saslPlain.port())
                + (security.addsListener()
                        ? "," + ListenerSecurity.LISTENER_NAME + "://" + HOST + ":" + clientPort
                        : "");
        p.put(
                "listeners",
                "PLAINTEXT://" + HOST + ":" + brokerPort + extra + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + extra);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put(
                "listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                        + (saslPlain == null ? "" : "," + SASL_LISTENER + ":" + SASL_LISTENER)
                        + (security.addsListener()
                                ? "," + ListenerSecurity.LISTENER_NAME + ":" + security.protocol().name
                                : ""));
        if (saslPlain != null) {
            p.put("sasl.enabled.mechanisms", "PLAIN");
            p.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", saslPlain.serverJaasConfig());
        }
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        p.put("num.partitions", Integer.toString(numPartitions));
        p.put("default.replication.factor", rf);
        p.put("min.insync.replicas", minIsr);
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", rf);
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", rf);
        p.put("transaction.state.log.min.isr", minIsr);
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", rf);
        p.put("share.coordinator.state.topic.min.isr", minIsr);
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.putAll(new TreeMap<>(security.serverProperties()));
        return p;
    }

    /** The properties as the text of a {@code server.properties} file. */
    public String asFileText() {
        return asMap().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(
                        "\n",
                        "# written by org.sentimentstream.localbroker (LocalKafkaBroker, LocalKafkaCluster)\n",
                        "\n"));
    }

    /** The {@code bootstrap.servers} value clients use. */
    public String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    /** The {@code bootstrap.servers} value of the client listener: the secured one if any, else PLAINTEXT. */
    public String clientBootstrapServers() {
        return security.addsListener() ? HOST + ":" + clientPort : bootstrapServers();
    }

    /** The {@code bootstrap.servers} value of the SASL/PLAIN listener. */
    public String saslBootstrapServers() {
        if (saslPlain == null) {
            throw new IllegalStateException("this broker has no SASL/PLAIN listener");
        }
        return HOST + ":" + saslPlain.port();
    }
}
