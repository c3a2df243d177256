package org.sentimentstream.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.sentimentstream.app.ClientSettings;
import org.sentimentstream.app.StreamSettings;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.loadtest.LoadClock;
import org.sentimentstream.loadtest.LoadTest;
import org.sentimentstream.loadtest.LoadTestSettings;
import org.sentimentstream.loadtest.LoadTestSummary;
import org.sentimentstream.loadtest.RunIds;
import org.sentimentstream.loadtest.SendSchedule;
import org.sentimentstream.loadtest.SummaryJson;
import org.sentimentstream.loadtest.TextSource;
import org.sentimentstream.stream.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loadtest}: sends text events to a running service and measures throughput and latency. */
@Command(
        name = "loadtest",
        mixinStandardHelpOptions = true,
        description = {
            "Sends text events to the input topic (in input.format) at a fixed rate or as fast as possible,",
            "reads the results from output.topic (and dead.letter.topic), and reports throughput and latency",
            "(event time to result read: p50, p99, p99.9, max, mean). At a fixed rate each event's event time",
            "is its scheduled send time, so a sender that falls behind does not hide latency.",
            "Exits 1 when results are still missing after --drain-timeout."
        })
final class LoadTestCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(LoadTestCommand.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);
    private static final long DEFAULT_EVENTS = 10_000;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions configOptions;

    @Option(
            names = "--rate",
            defaultValue = "max",
            converter = RateConverter.class,
            paramLabel = "N|max",
            description =
                    "Events per second (e.g. 500 or 500/s); 0 or max: as fast as possible (default: ${DEFAULT-VALUE}).")
    private double rate;

    @Option(
            names = "--events",
            paramLabel = "N",
            description =
                    "Events to send, warm-up included (default: " + DEFAULT_EVENTS + ", or no limit with --duration).")
    private Long events;

    @Option(
            names = "--duration",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "Stop sending after this long (e.g. 30s); with --events, whichever comes first.")
    private Duration duration;

    @Option(
            names = "--warmup",
            defaultValue = "0",
            paramLabel = "N",
            description =
                    "The first N events are left out of the statistics (they must still come back; default: ${DEFAULT-VALUE}).")
    private long warmup;

    @Option(
            names = "--texts",
            paramLabel = "FILE",
            description = {
                "Texts to send, one per line, used in turn. Default: the training data train-*-50k.txt in",
                "$SENTIMENT140_DIR, or ../shared/data/sentiment140 from the working folder or the repository."
            })
    private Path textsFile;

    @Option(
            names = "--drain-timeout",
            defaultValue = "60s",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "How long to wait for missing results once everything is sent (default: ${DEFAULT-VALUE}).")
    private Duration drainTimeout;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the summary as JSON to FILE.")
    private Path jsonFile;

    @Option(
            names = "--run-id",
            paramLabel = "ID",
            description = "Event ids ID-0, ID-1, ... (default: a random id; no '-').")
    private String runId;

    @Option(
            names = "--sent-file",
            paramLabel = "FILE",
            description = "Write the number of events sent to FILE once the broker has them all (for scripts).")
    private Path sentFile;

    @Mixin
    private TopicOptions topicOptions;

    @Override
    public Integer call() throws InterruptedException, IOException {
        topicOptions.validate();
        SentimentStreamConfig config = configOptions.load();
        Topics topics = StreamSettings.topics(config);
        LoadTestSettings settings = settings(config, topics);
        TextSource texts = texts();
        try (Admin admin = Admin.create(ClientSettings.admin(config))) {
            topicOptions.prepare(admin, topics, ADMIN_TIMEOUT);
        }
        LoadTestSummary summary = new LoadTest(settings, texts, LoadClock.system()).run();
        LoadTestReport.print(spec.commandLine().getOut(), summary);
        if (jsonFile != null) {
            new SummaryJson().write(summary, jsonFile);
        }
        if (!summary.passed()) {
            spec.commandLine()
                    .getErr()
                    .printf(
                            "loadtest: %d of %d event(s) missing after %d s, %d send failure(s)%n",
                            summary.missing(),
                            summary.eventsSent(),
                            drainTimeout.toSeconds(),
                            summary.counts().sendFailures());
            spec.commandLine().getErr().flush();
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }

    private LoadTestSettings settings(SentimentStreamConfig config, Topics topics) {
        SendSchedule schedule = rate > 0 ? SendSchedule.fixedRate(rate) : SendSchedule.asFastAsPossible();
        long maxEvents = events != null ? events : duration != null ? Long.MAX_VALUE : DEFAULT_EVENTS;
        Map<String, Object> producer = ClientSettings.producer(config);
        producer.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        producer.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "sentiment-stream-loadtest");
        // At a fixed rate each event goes out at once (its latency starts at its due time);
        // as fast as possible, a short linger fills batches.
        producer.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, schedule.isFixedRate() ? 0 : 5);
        Map<String, Object> consumer = ClientSettings.consumer(config);
        consumer.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "sentiment-stream-loadtest");
        consumer.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try {
            return new LoadTestSettings(
                    topics,
                    schedule,
                    maxEvents,
                    Optional.ofNullable(duration),
                    warmup,
                    drainTimeout,
                    runId == null ? RunIds.random() : new RunIds(runId),
                    producer,
                    consumer,
                    Optional.ofNullable(sentFile));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    private TextSource texts() {
        try {
            if (textsFile != null) {
                return TextSource.fromFile(textsFile);
            }
            Optional<Path> dataDir = Optional.ofNullable(System.getenv(TextSource.DATA_DIR_VARIABLE))
                    .filter(s -> !s.isBlank())
                    .map(Path::of);
            return TextSource.trainingData(dataDir, searchRoots());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    /** The working folder, then the repository of the jar or classes folder (its parent's parent: target/..). */
    private static List<Path> searchRoots() {
        List<Path> roots = new ArrayList<>(List.of(Path.of("").toAbsolutePath()));
        CodeSource source = LoadTestCommand.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return roots;
        }
        try {
            Path code = Path.of(source.getLocation().toURI());
            if (code.getParent() != null && code.getParent().getParent() != null) {
                roots.add(code.getParent().getParent());
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            // The working folder is still searched, and the message names the folders tried.
            LOG.debug("Cannot locate the code source {}", source.getLocation(), e);
        }
        return roots;
    }
}
