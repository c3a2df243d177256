package org.sentimentstream.devtools;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import org.sentimentstream.cli.DurationConverter;
import org.sentimentstream.cli.ExitCodes;
import org.sentimentstream.cli.FailureHandler;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.localbroker.LocalSchemaRegistry;
import org.sentimentstream.serde.WireFormat;
import org.sentimentstream.stream.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: the whole pipeline on one machine. Starts a local Kafka broker (and, with
 * {@code --local-registry}, a local schema registry for the confluent-avro format), creates the three
 * topics, runs the service, sends texts (standard input, or built-in samples), prints each result as
 * it arrives, then stops the service, the registry and the broker and deletes their data. The terminal shows the
 * demo's progress (standard error) and the results (standard output); the log lines of the service and
 * of Kafka go to a file whose path is printed first.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs everything locally: a Kafka broker, the topics, the service; sends texts (the lines of",
            "standard input, or built-in samples when standard input is a terminal or empty), prints each",
            "labelled result as it arrives, then shuts everything down. Log lines go to a file (--log-file)."
        })
final class DemoCommand implements Callable<Integer> {

    static final List<String> SAMPLES = List.of(
            "i love this phone",
            "this is the worst day ever",
            "Just got back from the beach, what a wonderful afternoon :)",
            "my flight got cancelled again. so tired of this airline",
            "Can't wait for the weekend!!!",
            "I miss you so much, this week was awful");

    private static final Duration SERVICE_START_TIMEOUT = Duration.ofSeconds(60);
    /** The registry URL the settings are checked with before {@code --local-registry}'s registry runs. */
    private static final String PENDING_REGISTRY_URL = "http://127.0.0.1:1/apis/ccompat/v7";

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

    @Option(
            names = "--log-file",
            paramLabel = "FILE",
            description = "File the log lines of the service and of Kafka are appended to (default: a new file "
                    + "sentiment-demo-*.log in the temporary folder, kept after the demo).")
    private Path logFile;

    @Option(
            names = "--local-registry",
            description = {
                "Also start a local schema registry (Apicurio Registry: needs a Java 21+ runtime and the",
                "distribution `mvn verify` unpacks into target/apicurio-registry) and use the confluent-avro",
                "format on both topics. Against a registry of your own instead: --set input.format=confluent-avro",
                "--set output.format=confluent-avro --set schema.registry.url=URL."
            })
    private boolean localRegistry;

    @Option(
            names = "--registry-home",
            defaultValue = "target/apicurio-registry",
            paramLabel = "DIR",
            description = "The unpacked Apicurio Registry for --local-registry (default: ${DEFAULT-VALUE}).")
    private Path registryHome;

    private PrintWriter progress;

    @Override
    public Integer call() throws Exception {
        List<String> texts = samples ? SAMPLES : textsFromStdin();
        PrintWriter out = spec.commandLine().getOut();
        progress = spec.commandLine().getErr();
        Path log = logFile != null ? logFile : Files.createTempFile("sentiment-demo-", ".log");
        Optional<DemoLog> demoLog = DemoLog.toFile(log);
        say("Log lines of the service and of Kafka: %s", demoLog.isPresent() ? log : "on the terminal");
        int missing;
        Map<String, String> settings = new HashMap<>(overrides == null ? Map.of() : overrides);
        if (localRegistry) {
            // The settings are checked before the registry starts: with its formats, and a URL that the running
            // registry's replaces, so that settings needing confluent-avro (input.text.field) pass the check.
            settings.putAll(registrySettings(PENDING_REGISTRY_URL));
        }
        try (DemoEnvironment demo = DemoEnvironment.builder()
                .settings(settings)
                .partitions(partitions)
                .build()) {
            if (localRegistry) {
                demo.addSettings(startRegistry(demo));
            }
            say("Starting a local Kafka broker (work folder %s, deleted at the end)...", demo.folder());
            demo.startBroker();
            Topics topics = demo.topics();
            say(
                    "Broker ready on %s; topics %s, %s and %s created. Loading the model and starting the service...",
                    demo.bootstrapServers(), topics.input(), topics.output(), topics.deadLetter());
            demo.startService(SERVICE_START_TIMEOUT);
            say("Service running. Sending %d texts; results as they arrive:", texts.size());
            try (DemoExchange exchange = new DemoExchange(demo.config(), topics)) {
                exchange.send(texts);
                missing = exchange.printResults(
                        out,
                        new ResultFormatter(json, topics.outputCodec()),
                        Instant.now().plus(timeout),
                        demo::serviceIsUp);
            }
            demo.serviceFailure().ifPresent(failure -> {
                throw new IllegalStateException("the service failed: " + FailureHandler.describe(failure), failure);
            });
            say(
                    missing == 0
                            ? "All %d texts classified. Stopping the service and the broker..."
                            : "%2$d of %1$d texts got no result within the timeout. Stopping the service and the broker...",
                    texts.size(),
                    missing);
        } finally {
            demoLog.ifPresent(DemoLog::close);
        }
        say("Done; the work folder is deleted. Log: %s", log);
        return missing == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /** Starts a schema registry in the demo's folder, owned by the demo; returns the service's settings for it. */
    private Map<String, String> startRegistry(DemoEnvironment demo) {
        Path java = LocalSchemaRegistry.findJava()
                .orElseThrow(() -> new ConfigException("--local-registry: Apicurio Registry needs a Java "
                        + LocalSchemaRegistry.REQUIRED_JAVA + "+ runtime and none was found; set "
                        + LocalSchemaRegistry.JAVA_ENVIRONMENT + " to its java, or point --set schema.registry.url"
                        + " at a running registry instead"));
        if (!Files.isRegularFile(registryHome.resolve("quarkus-run.jar"))) {
            throw new ConfigException("--local-registry: no Apicurio Registry in " + registryHome.toAbsolutePath()
                    + "; `mvn -B dependency:unpack@apicurio-registry` (or `mvn verify`) unpacks it there");
        }
        say("Starting a local schema registry (Apicurio Registry, %s)...", java);
        LocalSchemaRegistry registry = demo.own(
                "the schema registry",
                LocalSchemaRegistry.create(registryHome, java, demo.folder().resolve("registry")));
        registry.start().awaitReady();
        say("Schema registry ready on %s", registry.url());
        return registrySettings(registry.url());
    }

    /** The service's settings for a registry at {@code url}: confluent-avro on both topics. */
    private static Map<String, String> registrySettings(String url) {
        return Map.of(
                SentimentStreamConfig.INPUT_FORMAT_CONFIG,
                WireFormat.CONFLUENT_AVRO.configValue(),
                SentimentStreamConfig.OUTPUT_FORMAT_CONFIG,
                WireFormat.CONFLUENT_AVRO.configValue(),
                "schema.registry.url",
                url);
    }

    /** One progress line on standard error. */
    private void say(String format, Object... args) {
        progress.println(String.format(Locale.ROOT, format, args));
        progress.flush();
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
}
