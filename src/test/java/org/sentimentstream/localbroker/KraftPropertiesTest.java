package org.sentimentstream.localbroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

class KraftPropertiesTest {

    @Test
    void shouldDescribeASingleNodeCombinedBrokerOnLoopback() {
        KraftProperties properties = new KraftProperties(19092, 19093, Path.of("/tmp/x/data"));

        assertThat(properties.asMap())
                .containsEntry("process.roles", "broker,controller")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:19093")
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093")
                .containsEntry("log.dirs", "/tmp/x/data")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("auto.create.topics.enable", "false");
        assertThat(properties.bootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(properties.asFileText()).contains("\nnode.id=1\n");
    }

    @Test
    void shouldAddASaslPlainListenerWithItsUsersBesidesThePlaintextOne() {
        KraftProperties properties = new KraftProperties(
                19092,
                19093,
                Path.of("/tmp/x/data"),
                new KraftProperties.SaslPlainListener(19094, Map.of("bob", "b-2", "alice", "a_1")));

        assertThat(properties.asMap())
                .containsEntry(
                        "listeners",
                        "PLAINTEXT://127.0.0.1:19092,SASL_PLAINTEXT://127.0.0.1:19094,CONTROLLER://127.0.0.1:19093")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:19092,SASL_PLAINTEXT://127.0.0.1:19094")
                .containsEntry("inter.broker.listener.name", "PLAINTEXT")
                .containsEntry(
                        "listener.security.protocol.map",
                        "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT")
                .containsEntry("sasl.enabled.mechanisms", "PLAIN")
                .containsEntry(
                        "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required"
                                + " user_alice=\"a_1\" user_bob=\"b-2\";");
        assertThat(properties.saslBootstrapServers()).isEqualTo("127.0.0.1:19094");
        assertThat(new KraftProperties(19092, 19093, Path.of("/tmp/x/data")).asMap())
                .doesNotContainKey("sasl.enabled.mechanisms");
    }

    @Test
    void shouldRefuseSaslUsersThatWouldBreakTheJaasConfiguration() {
        assertThatThrownBy(() -> new KraftProperties.SaslPlainListener(19094, Map.of("alice", "a\" user_eve=\"x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KraftProperties.SaslPlainListener(19094, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldReplicateThreeTimesWithTwoInSyncReplicasOnAThreeNodeCluster() {
        KraftProperties properties = new KraftProperties(
                2,
                19092,
                19093,
                Path.of("/tmp/x/data"),
                "1@127.0.0.1:19083,2@127.0.0.1:19093,3@127.0.0.1:19103",
                3,
                6,
                null,
                0,
                ListenerSecurity.none());

        assertThat(properties.asMap())
                .containsEntry("node.id", "2")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:19083,2@127.0.0.1:19093,3@127.0.0.1:19103")
                .containsEntry("default.replication.factor", "3")
                .containsEntry("min.insync.replicas", "2")
                .containsEntry("offsets.topic.replication.factor", "3")
                .containsEntry("transaction.state.log.replication.factor", "3")
                .containsEntry("transaction.state.log.min.isr", "2")
                .containsEntry("num.partitions", "6");
    }

    @Test
    void shouldAddASecuredClientListenerAndTheCallersSettingsLast() {
        ListenerSecurity ssl = new ListenerSecurity(
                SecurityProtocol.SSL,
                Map.of("listener.name.client.ssl.client.auth", "required", "inter.broker.listener.name", "CLIENT"),
                List.of("--add-scram", "SCRAM-SHA-256=[name=a,password=b]"));
        KraftProperties properties =
                new KraftProperties(1, 19092, 19093, Path.of("/tmp/x/data"), null, 1, 1, null, 19095, ssl);

        assertThat(properties.asMap())
                .containsEntry(
                        "listeners",
                        "PLAINTEXT://127.0.0.1:19092,CLIENT://127.0.0.1:19095,CONTROLLER://127.0.0.1:19093")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:19092,CLIENT://127.0.0.1:19095")
                .containsEntry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,CLIENT:SSL")
                .containsEntry("listener.name.client.ssl.client.auth", "required")
                .containsEntry("inter.broker.listener.name", "CLIENT");
        assertThat(properties.clientBootstrapServers()).isEqualTo("127.0.0.1:19095");
        assertThat(properties.bootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(new KraftProperties(19092, 19093, Path.of("/tmp/x/data")).clientBootstrapServers())
                .isEqualTo("127.0.0.1:19092");
    }
}
