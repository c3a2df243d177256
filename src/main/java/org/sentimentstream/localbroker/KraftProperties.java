package org.sentimentstream.localbroker;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code server.properties} of a single-node KRaft broker in combined mode (broker and
 * controller in one process), bound to 127.0.0.1.
 *
 * <p>Internal topics have replication factor 1 and few partitions (a single node, and creating
 * 50 partitions for the first transaction or consumer group costs seconds on a small machine).
 * Topics are never created automatically: the demo and the tests create what they use.
 *
 * @param brokerPort     port of the PLAINTEXT listener clients connect to
 * @param controllerPort port of the CONTROLLER listener (the KRaft quorum)
 * @param logDir         the broker's data directory ({@code log.dirs})
 * @param saslPlain      a SASL_PLAINTEXT listener with the PLAIN mechanism, besides the PLAINTEXT one,
 *                       or null for none
 */
public record KraftProperties(int brokerPort, int controllerPort, Path logDir, SaslPlainListener saslPlain) {

    static final String HOST = "127.0.0.1";
    static final int NODE_ID = 1;
    private static final String SASL_LISTENER = "SASL_PLAINTEXT";

    /** Properties with the PLAINTEXT client listener only. */
    public KraftProperties(int brokerPort, int controllerPort, Path logDir) {
        this(brokerPort, controllerPort, logDir, null);
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
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        String sasl = saslPlain == null ? "" : "," + SASL_LISTENER + "://" + HOST + ":" + saslPlain.port();
        p.put(
                "listeners",
                "PLAINTEXT://" + HOST + ":" + brokerPort + sasl + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + sasl);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put(
                "listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                        + (saslPlain == null ? "" : "," + SASL_LISTENER + ":" + SASL_LISTENER));
        if (saslPlain != null) {
            p.put("sasl.enabled.mechanisms", "PLAIN");
            p.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", saslPlain.serverJaasConfig());
        }
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    /** The properties as the text of a {@code server.properties} file. */
    public String asFileText() {
        return asMap().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(
                        "\n", "# written by org.sentimentstream.localbroker.LocalKafkaBroker\n", "\n"));
    }

    /** The {@code bootstrap.servers} value clients use. */
    public String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    /** The {@code bootstrap.servers} value of the SASL/PLAIN listener. */
    public String saslBootstrapServers() {
        if (saslPlain == null) {
            throw new IllegalStateException("this broker has no SASL/PLAIN listener");
        }
        return HOST + ":" + saslPlain.port();
    }
}
