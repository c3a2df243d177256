package org.sentimentstream.localbroker;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * The security of the client listener of a {@link LocalKafkaBroker} or {@link LocalKafkaCluster}: the hook
 * through which tests add TLS, mutual TLS or SASL (SCRAM, PLAIN, ...) without touching the node or quorum
 * code.
 *
 * <p>With {@link #none()} (the default) clients use the PLAINTEXT listener. Any other value adds a listener
 * named {@value #LISTENER_NAME} on its own port of 127.0.0.1 with {@link #protocol()}, advertised besides the
 * PLAINTEXT one ({@code clientBootstrapServers()} of the broker or cluster). The PLAINTEXT listener stays and
 * carries the traffic between brokers, the controllers stay on their own PLAINTEXT listener, and the
 * readiness checks and health waits use the PLAINTEXT listener: a mistake in the security settings shows in
 * the client test, not as a broker that never becomes ready.
 *
 * <p>{@link #serverProperties()} are written into every node's {@code server.properties} last, so they may
 * also override what the node code writes (for example {@code inter.broker.listener.name=CLIENT} to secure
 * the traffic between brokers too). Settings of the client listener itself use the listener prefix
 * {@code listener.name.client.}, for example:
 *
 * <pre>{@code
 * // TLS with client authentication (mTLS); the certificates are the caller's
 * ListenerSecurity mtls = new ListenerSecurity(SecurityProtocol.SSL, Map.of(
 *         "listener.name.client.ssl.keystore.location", keystore.toString(),
 *         "listener.name.client.ssl.keystore.password", "secret",
 *         "listener.name.client.ssl.truststore.location", truststore.toString(),
 *         "listener.name.client.ssl.truststore.password", "secret",
 *         "listener.name.client.ssl.client.auth", "required"), List.of());
 *
 * // SASL/SCRAM: the mechanism enabled on the listener, users added when the storage is formatted
 * ListenerSecurity scram = new ListenerSecurity(SecurityProtocol.SASL_PLAINTEXT, Map.of(
 *         "sasl.enabled.mechanisms", "SCRAM-SHA-256",
 *         "listener.name.client.scram-sha-256.sasl.jaas.config",
 *         "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
 *         List.of("--add-scram", "SCRAM-SHA-256=[name=alice,password=alice-secret]"));
 * }</pre>
 *
 * <p>Users can also be added after the start through the PLAINTEXT listener
 * ({@code Admin.alterUserScramCredentials}). Certificates, keystores and users are the caller's: this class
 * only places them.
 *
 * <p>Some broker features read JVM system properties rather than settings: SASL/OAUTHBEARER in Kafka 4
 * fetches a JWKS only from a URL listed in {@code org.apache.kafka.sasl.oauthbearer.allowed.urls}. Those go in
 * {@link #systemProperties()}, given as {@code -Dname=value} to every node's JVM.
 *
 * @param protocol         the client listener's protocol; PLAINTEXT means no extra listener
 * @param serverProperties broker settings added to every node (listener settings, mechanisms, ACL
 *                         authorizer, ...), written after the node's own
 * @param formatArguments  extra arguments of {@code kafka-storage format} (e.g. {@code --add-scram ...}), given
 *                         when a node's storage is formatted for the first time
 * @param systemProperties JVM system properties of every node (name to value), e.g. the OAUTHBEARER allowed
 *                         URLs
 */
public record ListenerSecurity(
        SecurityProtocol protocol,
        Map<String, String> serverProperties,
        List<String> formatArguments,
        Map<String, String> systemProperties) {

    /** The name of the extra client listener (its settings use the prefix {@code listener.name.client.}). */
    public static final String LISTENER_NAME = "CLIENT";

    public ListenerSecurity {
        Objects.requireNonNull(protocol, "protocol");
        serverProperties = Map.copyOf(serverProperties);
        formatArguments = List.copyOf(formatArguments);
        systemProperties = Map.copyOf(systemProperties);
        serverProperties.forEach((key, value) -> {
            if (key.contains("\n") || value.contains("\n")) {
                throw new IllegalArgumentException("a broker setting cannot contain a line break: " + key);
            }
        });
        systemProperties.keySet().forEach(name -> {
            if (name.isEmpty() || name.contains("=") || name.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("bad system property name '" + name + "'");
            }
        });
    }

    /** Without JVM system properties. */
    public ListenerSecurity(
            SecurityProtocol protocol, Map<String, String> serverProperties, List<String> formatArguments) {
        this(protocol, serverProperties, formatArguments, Map.of());
    }

    /** No extra listener: clients use PLAINTEXT. */
    public static ListenerSecurity none() {
        return new ListenerSecurity(SecurityProtocol.PLAINTEXT, Map.of(), List.of());
    }

    /** Whether this adds the {@value #LISTENER_NAME} listener (any protocol but PLAINTEXT). */
    public boolean addsListener() {
        return protocol != SecurityProtocol.PLAINTEXT;
    }
}
