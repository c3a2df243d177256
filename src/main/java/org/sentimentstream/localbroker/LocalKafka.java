package org.sentimentstream.localbroker;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/** A local Kafka started by this JVM: one broker ({@link LocalKafkaBroker}) or several ({@link LocalKafkaCluster}). */
public interface LocalKafka extends AutoCloseable {

    /** {@code bootstrap.servers} of the PLAINTEXT listener(s). */
    String bootstrapServers();

    /**
     * {@code bootstrap.servers} of the client listener(s): the secured ones when a {@link ListenerSecurity}
     * adds them, else the PLAINTEXT ones.
     */
    String clientBootstrapServers();

    /** Client settings that reach the PLAINTEXT listener(s): {@code bootstrap.servers}. */
    Map<String, Object> clientConfig();

    /** A new admin client on the PLAINTEXT listener(s); the caller closes it. */
    default Admin createAdmin() {
        return Admin.create(clientConfig());
    }

    /** Stops every broker and deletes temporary folders. */
    @Override
    void close();
}
