package org.sentimentstream.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sentimentstream.stream.Topics;

/**
 * The command line of one service instance ({@code run --bootstrap-servers ... --set name=value}) for the
 * tests that run the service in its own JVM: topics, application id, processing guarantee and state folder,
 * with a short commit interval and session timeout so that a killed member is noticed quickly.
 */
final class ServiceArguments {

    private final String bootstrapServers;
    private final Map<String, String> settings = new LinkedHashMap<>();

    ServiceArguments(String bootstrapServers, Topics topics, String applicationId, String guarantee, Path stateDir) {
        this.bootstrapServers = bootstrapServers;
        settings.put("application.id", applicationId);
        settings.put("input.topic", topics.input());
        settings.put("output.topic", topics.output());
        settings.put("dead.letter.topic", topics.deadLetter());
        settings.put("processing.guarantee", guarantee);
        settings.put("state.dir", stateDir.toString());
        settings.put("commit.interval.ms", "500");
        // A killed member is noticed after its session times out; keep that short.
        settings.put("session.timeout.ms", "6000");
        settings.put("heartbeat.interval.ms", "1000");
        // Several services run on one host at once (other test classes, other checkouts): any free port.
        settings.put("metrics.port", "0");
        settings.put("metrics.address", "127.0.0.1");
    }

    /** Adds or replaces one setting; returns this. */
    ServiceArguments with(String name, String value) {
        settings.put(name, value);
        return this;
    }

    List<String> toList() {
        List<String> arguments = new ArrayList<>(List.of("run", "--bootstrap-servers", bootstrapServers));
        settings.forEach((name, value) -> {
            arguments.add("--set");
            arguments.add(name + "=" + value);
        });
        return arguments;
    }
}
