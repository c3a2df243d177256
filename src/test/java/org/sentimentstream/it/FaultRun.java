package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.streams.StreamsConfig;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.stream.Topics;

/**
 * One fault test's moving parts, set up and torn down in one place: the events of the run (keyed so that several
 * events share a key and their order can be checked), service instances in their own JVMs ({@link ServiceProcess},
 * all on one application id and guarantee), a paced producer and a read_committed collector of the output. The
 * checks every fault test makes are here too: nothing lost, nothing unexpected, per-key order kept, and no
 * duplicate under exactly_once_v2 ({@link #assertDelivered}).
 *
 * <pre>{@code
 * try (FaultRun run = new FaultRun(bootstrap, topics, "crash", guarantee, folder, FaultRun.events("c", 4000, 3))) {
 *     ServiceProcess service = run.startService("service-1", run.arguments("state"));
 *     run.produce(run.events(), 1000);
 *     ... faults ...
 *     run.assertDelivered(run.awaitAllDelivered(WAIT, service), service);
 * }
 * }</pre>
 */
final class FaultRun implements AutoCloseable {

    /** Events share this many keys, in turn: every key gets a run of events whose order the report checks. */
    static final int KEYS = 32;

    private final String bootstrapServers;
    private final Topics topics;
    private final String applicationId;
    private final String guarantee;
    private final Path folder;
    private final List<TextEvent> events;
    private final Map<String, String> keys = new HashMap<>();
    private final OutputCollector<OutputRecord> output;
    private final List<ServiceProcess> services = new ArrayList<>();
    private final List<PacedProducer> producers = new ArrayList<>();

    /**
     * Opens the output collector; nothing runs yet.
     *
     * @param applicationPrefix the application id's prefix (a unique suffix is added)
     * @param folder            where the services' logs and state folders go
     */
    FaultRun(
            String bootstrapServers,
            Topics topics,
            String applicationPrefix,
            String guarantee,
            Path folder,
            List<TextEvent> events) {
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.applicationId = applicationPrefix + "-" + UUID.randomUUID();
        this.guarantee = guarantee;
        this.folder = folder;
        this.events = List.copyOf(events);
        for (int i = 0; i < this.events.size(); i++) {
            keys.put(this.events.get(i).getId(), "key-" + (i % KEYS));
        }
        this.output = new OutputCollector<>(bootstrapServers, topics.output(), OutputRecord.decoder(topics));
    }

    /** {@code count} generated events with ids {@code idPrefix-0 ...}. */
    static List<TextEvent> events(String idPrefix, int count, long seed) {
        return ItKafka.events(idPrefix, GeneratedTexts.generate(count, seed));
    }

    List<TextEvent> events() {
        return events;
    }

    Set<String> ids() {
        return idsOf(events);
    }

    static Set<String> idsOf(List<TextEvent> events) {
        return events.stream().map(TextEvent::getId).collect(Collectors.toSet());
    }

    String applicationId() {
        return applicationId;
    }

    String guarantee() {
        return guarantee;
    }

    boolean exactlyOnce() {
        return guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2);
    }

    OutputCollector<OutputRecord> output() {
        return output;
    }

    /** The key an event is sent with. */
    String keyOf(TextEvent event) {
        return keys.get(event.getId());
    }

    /** The command line of one instance of this run, with its state in {@code stateFolder} under the run's folder. */
    ServiceArguments arguments(String stateFolder) {
        return new ServiceArguments(bootstrapServers, topics, applicationId, guarantee, folder.resolve(stateFolder));
    }

    /** Starts an instance (its log is {@code name.log}); it is killed at the end of the run if still alive. */
    ServiceProcess startService(String name, ServiceArguments arguments) throws IOException {
        ServiceProcess service = new ServiceProcess(arguments.toList(), folder.resolve(name + ".log"));
        services.add(service);
        service.start();
        return service;
    }

    /** Starts sending {@code toSend}, keyed as the run keys them, at most {@code window} events ahead of the output. */
    PacedProducer produce(List<TextEvent> toSend, int window) {
        PacedProducer producer = new PacedProducer(bootstrapServers, topics, toSend, window, output, this::keyOf);
        producers.add(producer);
        producer.start();
        return producer;
    }

    /** Sends {@code toSend} at once, keyed as the run keys them. */
    void send(List<TextEvent> toSend) throws Exception {
        try (var producer = ItKafka.rawProducer(bootstrapServers)) {
            ItKafka.send(producer, topics, toSend, this::keyOf);
        }
    }

    /** Waits until every id of {@code expected} has a result, or one of {@code running} has died. */
    List<OutputRecord> awaitDelivered(Set<String> expected, Duration timeout, ServiceProcess... running)
            throws InterruptedException {
        return output.awaitUntil(
                r -> OutputRecord.ids(r).containsAll(expected)
                        || Arrays.stream(running).anyMatch(s -> !s.isAlive()),
                timeout);
    }

    /** Waits until every id of the run has a result, or one of {@code running} has died. */
    List<OutputRecord> awaitAllDelivered(Duration timeout, ServiceProcess... running) throws InterruptedException {
        return awaitDelivered(ids(), timeout, running);
    }

    /** Waits until each of the first {@code sent} events has a result, or one of {@code running} has died. */
    List<OutputRecord> awaitSentDelivered(int sent, Duration timeout, ServiceProcess... running)
            throws InterruptedException {
        return awaitDelivered(idsOf(events.subList(0, sent)), timeout, running);
    }

    /** The report of {@code results} against every event of the run. */
    DeliveryReport report(List<OutputRecord> results) {
        return report(results, events.size());
    }

    /** The report of {@code results} against the first {@code sent} events (a producer stopped before the end). */
    DeliveryReport report(List<OutputRecord> results, int sent) {
        return DeliveryReport.inOrder(
                events.subList(0, sent).stream().map(TextEvent::getId).toList(), results);
    }

    /**
     * Asserts what every fault test proves: no id lost, no result for an id never sent, every key's results in
     * the order of its inputs, and under exactly_once_v2 no id twice. {@code witness}'s log is shown on failure.
     */
    DeliveryReport assertDelivered(List<OutputRecord> results, ServiceProcess witness) {
        return assertDelivered(results, events.size(), witness);
    }

    /** As {@link #assertDelivered(List, ServiceProcess)}, for the first {@code sent} events only. */
    DeliveryReport assertDelivered(List<OutputRecord> results, int sent, ServiceProcess witness) {
        DeliveryReport report = report(results, sent);
        assertThat(report.lost())
                .as("%s: ids with no result (%s); log of %d:\n%s", guarantee, report, witness.pid(), witness.logTail())
                .isEmpty();
        assertThat(report.unexpected()).as("results for ids never sent").isEmpty();
        assertThat(report.outOfOrder())
                .as("keys whose results came out in another order than their inputs")
                .isEmpty();
        if (exactlyOnce()) {
            assertThat(report.duplicated())
                    .as("ids with two committed results under exactly_once_v2")
                    .isEmpty();
        }
        return report;
    }

    /** Stops the producers, kills the instances still alive, closes the collector. */
    @Override
    public void close() throws InterruptedException {
        for (PacedProducer producer : producers) {
            producer.close();
        }
        for (ServiceProcess service : services) {
            if (service.isAlive()) {
                service.kill();
            }
        }
        output.close();
    }
}
