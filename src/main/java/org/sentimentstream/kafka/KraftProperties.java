package org.sentimentstream.kafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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
 */
public record KraftProperties(int brokerPort, int controllerPort, Path logDir) {

    static final String HOST = "127.0.0.1";
    static final int NODE_ID = 1;

    /** The properties, in a stable order. */
    public Map<String, String> asMap() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
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
                .collect(Collectors.joining("\n", "# written by org.sentimentstream.kafka.LocalKafkaBroker\n", "\n"));
    }

    /** The {@code bootstrap.servers} value clients use. */
    public String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }
}
