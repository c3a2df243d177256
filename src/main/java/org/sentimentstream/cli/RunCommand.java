package org.sentimentstream.cli;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.sentimentstream.app.ClientSettings;
import org.sentimentstream.app.SentimentService;
import org.sentimentstream.app.TopicAdmin.TopicLayout;
import org.sentimentstream.app.TopicPreflight;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.stream.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code run}: the service. It checks that its three topics exist (or creates them with
 * {@code --create-topics}: it never creates anything otherwise), loads the model, starts Kafka
 * Streams and runs until SIGTERM/Ctrl-C, which closes Kafka Streams and then the model. A stream
 * thread failure stops the service with exit code 1.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the service: reads text events from input.topic, writes sentiment events to output.topic",
            "and unclassifiable records to dead.letter.topic, until SIGTERM or Ctrl-C.",
            "The topics must exist, unless --create-topics is given."
        })
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions configOptions;

    @Mixin
    private TopicOptions topicOptions;

    @Option(
            names = "--list-settings",
            description = "Print every setting (name, environment variable, default, description) and exit.")
    private boolean listSettings;

    @Override
    public Integer call() throws InterruptedException {
        if (listSettings) {
            spec.commandLine().getOut().print(SettingsTable.markdown());
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
        topicOptions.validate();
        SentimentStreamConfig config = configOptions.load();
        // The model first: a bad model stops the start-up before anything is created.
        SentimentService service = SentimentService.create(config);
        try {
            prepareTopics(config, service.topics());
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        Thread hook = new Thread(service::close, "sentiment-service-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        service.start();
        Optional<Throwable> failure = service.awaitStop();
        if (failure.isEmpty()) {
            return ExitCodes.OK;
        }
        service.close();
        throw new IllegalStateException(
                "the service stopped after a failure: " + FailureHandler.describe(failure.get()), failure.get());
    }

    /** Checks (or creates) the service's own topics: one {@code Topics}, so one registry client, per process. */
    private void prepareTopics(SentimentStreamConfig config, Topics topics) {
        try (Admin admin = Admin.create(ClientSettings.admin(config))) {
            List<TopicLayout> created = topicOptions.prepare(admin, topics, ADMIN_TIMEOUT);
            if (topicOptions.create()) {
                LOG.info("Topics created: {}", created.isEmpty() ? "none (all exist)" : created);
            }
            TopicPreflight.check(admin, topics, config, ADMIN_TIMEOUT);
        }
    }
}
