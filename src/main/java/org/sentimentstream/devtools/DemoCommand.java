package org.sentimentstream.devtools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.sentimentstream.app.ClientSettings;
import org.sentimentstream.app.SentimentService;
import org.sentimentstream.app.ServiceTopics;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.cli.DurationConverter;
import org.sentimentstream.cli.ExitCodes;
import org.sentimentstream.cli.FailureHandler;
import org.sentimentstream.cli.RecordPrinter;
import org.sentimentstream.cli.TextEventFactory;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.localbroker.LocalKafkaBroker;
import org.sentimentstream.serde.RecordDecodingException;
import org.sentimentstream.stream.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: the whole pipeline on one machine. Starts a local Kafka broker, creates the three
 * topics, runs the service, sends texts (standard input, or built-in samples), prints each result as
 * it arrives, then stops the service and the broker and deletes their data.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs everything locally: a Kafka broker, the topics, the service; sends texts (the lines of",
            "standard input, or built-in samples when standard input is a terminal or empty), prints each",
            "labelled result as it arrives, then shuts everything down."
        })
final class DemoCommand implements Callable<Integer> {

    static final List<String> SAMPLES = List.of(
            "i love this phone",
            "this is the worst day ever",
            "Just got back from the beach, what a wonderful afternoon :)",
            "my flight got cancelled again. so tired of this airline",
            "Can't wait for the weekend!!!",
            "I miss you so much, this week was awful");

    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Sets one service setting (e.g. processing.guarantee=exactly_once_v2); repeatable.")
    private Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--samples", description = "Send the built-in samples, whatever standard input holds.")
    private boolean samples;

    @Option(names = "--json", description = "Print each result as a JSON line instead of a table row.")
    private boolean json;

    @Option(
            names = "--timeout",
            defaultValue = "120s",
            converter = DurationConverter.class,
            description = "Longest wait for all results once the texts are sent (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Option(
            names = "--partitions",
            defaultValue = "1",
            description = "Partitions of each topic (default: ${DEFAULT-VALUE}).")
    private int partitions;

    @Override
    public Integer call() throws Exception {
        List<String> texts = samples ? SAMPLES : textsFromStdin();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        err.println("Starting a local Kafka broker...");
        err.flush();
        Path stateDir = Files.createTempDirectory("sentiment-demo-state-");
        LocalKafkaBroker broker =
                LocalKafkaBroker.builder().stopOnJvmExit(false).start();
        Shutdown shutdown = new Shutdown(broker, stateDir);
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown::run, "demo-stop"));
        try {
            SentimentStreamConfig config = config(broker, stateDir);
            Topics topics = Topics.from(config);
            try (Admin admin = Admin.create(ClientSettings.admin(config))) {
                ServiceTopics.create(admin, topics, partitions, (short) 1, ADMIN_TIMEOUT);
            }
            err.printf(
                    "Broker ready on %s; topics %s, %s, %s created. Loading the model...%n",
                    broker.bootstrapServers(), topics.input(), topics.output(), topics.deadLetter());
            err.flush();
            SentimentService service = SentimentService.create(config);
            shutdown.service(service);
            service.start();
            if (!service.awaitRunning(ADMIN_TIMEOUT)) {
                throw new IllegalStateException("the service did not start within " + ADMIN_TIMEOUT.toSeconds()
                        + " s (state " + service.state() + ")");
            }
            int missing = sendAndPrint(config, topics, service, texts, out, shutdown::started);
            err.println(
                    missing == 0
                            ? "All " + texts.size() + " texts classified. Shutting down..."
                            : missing + " of " + texts.size() + " texts got no result within " + timeout.toSeconds()
                                    + " s. Shutting down...");
            err.flush();
            return missing == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
        } finally {
            shutdown.run();
        }
    }

    private SentimentStreamConfig config(LocalKafkaBroker broker, Path stateDir) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(
                SentimentStreamConfig.APPLICATION_ID_CONFIG,
                "sentiment-demo-" + UUID.randomUUID().toString().substring(0, 8));
        settings.put(SentimentStreamConfig.OUTPUT_INCLUDE_TEXT_CONFIG, "true");
        settings.put(SentimentStreamConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.put(SentimentStreamConfig.COMMIT_INTERVAL_MS_CONFIG, "200");
        // The demo's metrics and health server on any free port (the log names it): 8080 may be taken.
        settings.put(SentimentStreamConfig.METRICS_PORT_CONFIG, "0");
        settings.put(SentimentStreamConfig.METRICS_ADDRESS_CONFIG, "127.0.0.1");
        settings.putAll(overrides == null ? Map.of() : overrides);
        settings.put(SentimentStreamConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return new SentimentStreamConfig(settings);
    }

    /** Sends the texts and prints results until every text has one (or the timeout); returns how many got none. */
    private int sendAndPrint(
            SentimentStreamConfig config,
            Topics topics,
            SentimentService service,
            List<String> texts,
            PrintWriter out,
            java.util.function.BooleanSupplier stopping) {
        Map<String, String> pending = new ConcurrentHashMap<>();
        Map<String, Object> consumerSettings = ClientSettings.consumer(config);
        consumerSettings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, Object> producerSettings = ClientSettings.producer(config);
        producerSettings.put(ProducerConfig.ACKS_CONFIG, "all");
        ResultFormatter formatter = new ResultFormatter(json);
        RecordPrinter deadLetters = new RecordPrinter(topics.outputCodec());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                        consumerSettings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                KafkaProducer<String, TextEvent> producer = new KafkaProducer<>(
                        producerSettings,
                        new StringSerializer(),
                        topics.inputSerde().serializer())) {
            List<TopicPartition> assigned = new java.util.ArrayList<>();
            for (String topic : List.of(topics.output(), topics.deadLetter())) {
                consumer.partitionsFor(topic, ADMIN_TIMEOUT)
                        .forEach(p -> assigned.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            TextEventFactory events = new TextEventFactory("demo", "demo", "en", Map.of(), Clock.systemUTC());
            for (String text : texts) {
                TextEvent event = events.create(text);
                pending.put(event.getId(), text);
                producer.send(new ProducerRecord<>(topics.input(), event.getId(), event));
            }
            producer.flush();
            Instant deadline = Instant.now().plus(timeout);
            while (!pending.isEmpty()
                    && Instant.now().isBefore(deadline)
                    && service.failure().isEmpty()
                    && !stopping.getAsBoolean()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (record.topic().equals(topics.deadLetter())) {
                        out.println("dead letter: " + deadLetters.deadLetter(record));
                        pending.remove(
                                new String(record.key() == null ? new byte[0] : record.key(), StandardCharsets.UTF_8));
                    } else {
                        printResult(topics, formatter, record, pending, out);
                    }
                }
                out.flush();
            }
        }
        service.failure().ifPresent(f -> {
            throw new IllegalStateException("the service failed: " + FailureHandler.describe(f), f);
        });
        return pending.size();
    }

    private static void printResult(
            Topics topics,
            ResultFormatter formatter,
            ConsumerRecord<byte[], byte[]> record,
            Map<String, String> pending,
            PrintWriter out) {
        try {
            SentimentEvent event = topics.outputCodec().decode(record.value());
            String text = pending.remove(event.getId());
            if (text != null) {
                // Only the first result of an id: at-least-once may deliver one twice after a rebalance.
                out.println(formatter.format(event, text));
            }
        } catch (RecordDecodingException e) {
            LOG.warn("Cannot decode an output record: {}", e.getMessage());
        }
    }

    private List<String> textsFromStdin() {
        if (System.console() != null) {
            return SAMPLES;
        }
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            List<String> lines = reader.lines().filter(line -> !line.isBlank()).toList();
            return lines.isEmpty() ? SAMPLES : lines;
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("cannot read standard input: " + e.getMessage(), e);
        }
    }

    /** Formats one result: a table row (label, probability of the label, text) or a JSON line. */
    static final class ResultFormatter {
        private final boolean json;
        private final org.sentimentstream.serde.RecordCodec<SentimentEvent> jsonCodec =
                org.sentimentstream.serde.WireFormat.JSON.sentimentEventCodec();

        ResultFormatter(boolean json) {
            this.json = json;
        }

        String format(SentimentEvent event, String text) {
            if (json) {
                return new String(jsonCodec.encode(event), StandardCharsets.UTF_8);
            }
            Float probability = event.getProbabilities().get(event.getLabel());
            return String.format(
                    Locale.ROOT,
                    "%-9s %5.3f  %s",
                    event.getLabel(),
                    probability == null ? Float.NaN : probability,
                    text == null ? "(id " + event.getId() + ")" : text);
        }
    }

    /** Stops the service, then the broker, then deletes the state folder; once, from the command or a shutdown hook. */
    private static final class Shutdown {
        private final LocalKafkaBroker broker;
        private final Path stateDir;
        private final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        private volatile SentimentService service;

        Shutdown(LocalKafkaBroker broker, Path stateDir) {
            this.broker = broker;
            this.stateDir = stateDir;
        }

        boolean started() {
            return done.get();
        }

        void service(SentimentService newService) {
            this.service = newService;
        }

        synchronized void run() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            SentimentService running = service;
            if (running != null) {
                running.close();
            }
            broker.close();
            deleteRecursively(stateDir);
        }

        private static void deleteRecursively(Path root) {
            if (!Files.exists(root)) {
                return;
            }
            try (var paths = Files.walk(root)) {
                for (Path path :
                        paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                LOG.warn("Cannot delete {}: {}", root, e.toString());
            }
        }
    }
}
