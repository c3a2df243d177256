package org.sentimentstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

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
}
