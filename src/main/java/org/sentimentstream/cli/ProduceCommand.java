package org.sentimentstream.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.sentimentstream.app.ClientSettings;
import org.sentimentstream.app.StreamSettings;
import org.sentimentstream.app.TopicAdmin;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.stream.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code produce}: sends texts as text events to the input topic, in the configured wire format. */
@Command(
        name = "produce",
        mixinStandardHelpOptions = true,
        description = {
            "Sends text events to the input topic (input.topic, in input.format): the arguments, or else",
            "one text per line of standard input (empty lines are skipped). Each event gets a new id, used as",
            "the record key, and the current time as event time. With input.format=text each value is the text",
            "alone; with input.text.field (json, confluent-avro) an object or record holding the text, id and",
            "time at the paths of input.text.field, input.id.field and input.time.field, and nothing else."
        })
final class ProduceCommand implements Callable<Integer> {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions configOptions;

    @Parameters(
            arity = "0..*",
            paramLabel = "TEXT",
            description = "Texts to send (default: the lines of standard input).")
    private List<String> texts;

    @Option(names = "--topic", description = "Topic to send to (default: the setting input.topic).")
    private String topic;

    @Option(
            names = "--id-prefix",
            paramLabel = "PREFIX",
            description = "Ids PREFIX-1, PREFIX-2, ... (default: random UUIDs).")
    private String idPrefix;

    @Option(names = "--source", description = "The events' source field.")
    private String source;

    @Option(names = "--language", description = "The events' language field (a BCP 47 tag such as en).")
    private String language;

    @Option(names = "--attribute", paramLabel = "KEY=VALUE", description = "An attribute of every event; repeatable.")
    private Map<String, String> attributes;

    @Option(names = "--print-ids", description = "Print each event's id and text, tab-separated, on standard output.")
    private boolean printIds;

    @Override
    public Integer call() throws IOException {
        SentimentStreamConfig config = configOptions.load();
        Topics topics = StreamSettings.topics(config);
        String target = topic == null ? topics.input() : topic;
        try (Admin admin = Admin.create(ClientSettings.admin(config))) {
            if (!TopicAdmin.missing(admin, List.of(target), ADMIN_TIMEOUT).isEmpty()) {
                throw new UsageException("topic " + target + " does not exist");
            }
        }
        Map<String, Object> settings = ClientSettings.producer(config);
        settings.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        settings.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "sentiment-stream-produce");
        TextEventFactory events = new TextEventFactory(idPrefix, source, language, attributes, Clock.systemUTC());
        PrintWriter out = spec.commandLine().getOut();
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        long sent = 0;
        try (KafkaProducer<String, TextEvent> producer =
                new KafkaProducer<>(settings, new StringSerializer(), topics.inputSerializer(target))) {
            for (String text : (Iterable<String>) lines()::iterator) {
                if (text.isEmpty()) {
                    continue;
                }
                TextEvent event = events.create(text);
                producer.send(new ProducerRecord<>(target, event.getId(), event), (metadata, exception) -> {
                    if (exception != null) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, exception);
                    }
                });
                sent++;
                if (printIds) {
                    out.println(event.getId() + "\t" + text);
                }
            }
            producer.flush();
        }
        out.flush();
        if (failed.get() > 0) {
            throw new IllegalStateException(
                    failed.get() + " of " + sent + " text events were not sent to " + target, firstFailure.get());
        }
        spec.commandLine()
                .getErr()
                .printf("Sent %d text event(s) to %s (%s)%n", sent, target, topics.inputFormatName());
        return ExitCodes.OK;
    }

    private Stream<String> lines() {
        if (texts != null && !texts.isEmpty()) {
            return texts.stream();
        }
        return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).lines();
    }
}
