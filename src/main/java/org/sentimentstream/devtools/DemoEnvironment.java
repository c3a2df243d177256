package org.sentimentstream.devtools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.sentimentstream.app.ClientSettings;
import org.sentimentstream.app.SentimentService;
import org.sentimentstream.app.ServiceTopics;
import org.sentimentstream.app.StreamSettings;
import org.sentimentstream.cli.FailureHandler;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.localbroker.Folders;
import org.sentimentstream.localbroker.LocalKafkaBroker;
import org.sentimentstream.stream.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the demo runs on, as one resource: a work folder, a local Kafka broker (its data in the folder)
 * with the service's three topics, and the service (its state in the folder).
 *
 * <pre>{@code
 * try (DemoEnvironment demo = DemoEnvironment.builder().setting("processing.guarantee", "exactly_once_v2").build()) {
 *     demo.startBroker();                        // the broker answers, the topics exist
 *     demo.startService(Duration.ofSeconds(60)); // the service is RUNNING
 *     ... send to demo.topics().input() on demo.bootstrapServers() ...
 * }
 * }</pre>
 *
 * <p>The steps are separate so that the caller can say what is happening between them. {@link #close()}
 * undoes what was done, in reverse order: the service, then anything added with {@link #own}, then the
 * broker, then the work folder is deleted. Each close is attempted even when an earlier one fails (the
 * first failure is thrown, the others are suppressed in it), so a broker that fails to start leaves no
 * folder, and a service that fails to start leaves no broker. A shutdown hook does the same on Ctrl-C or
 * SIGTERM (once; {@link #close()} removes it); it first waits for a step in progress in the main thread (a
 * broker being started, a close half done), so that nothing that step starts is left behind.
 *
 * <p>Other tools join through the builder's settings and {@link #own}: a schema registry, say, is started
 * by the caller, given to the service with {@link Builder#setting} and closed with the rest by
 * {@link #own}.
 */
final class DemoEnvironment implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoEnvironment.class);

    static final String BROKER_FOLDER = "broker";
    static final String STATE_FOLDER = "state";
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);
    /** How long a {@link #close()} waits for a step that another thread is running (a start, or a close). */
    private static final Duration STEP_WAIT = Duration.ofSeconds(60);

    private final Path folder;
    private final String applicationId;
    /** The builder's settings and those added before the broker starts; guarded by {@code step}. */
    private final Map<String, String> settings;

    private final int partitions;
    private final Function<Path, LocalKafkaBroker> brokerStarter;
    private final Thread shutdownHook;
    /** What to close, the last owned first; guarded by {@code this}. */
    private final Deque<Owned> owned = new ArrayDeque<>();
    /**
     * Held while a step runs (a start, or the close), so that a close from the shutdown hook (Ctrl-C)
     * waits for it: a broker still starting is then closed too, and a close half done is finished before
     * the JVM halts.
     */
    private final ReentrantLock step = new ReentrantLock();

    private boolean closed;
    private volatile LocalKafkaBroker broker;
    private volatile SentimentStreamConfig config;
    private volatile SentimentService service;

    private record Owned(String name, AutoCloseable resource) {}

    private DemoEnvironment(Builder builder, Path folder) {
        this.folder = folder;
        this.applicationId = "sentiment-demo-" + UUID.randomUUID().toString().substring(0, 8);
        this.settings = new LinkedHashMap<>(builder.settings);
        this.partitions = builder.partitions;
        this.brokerStarter = builder.brokerStarter;
        this.shutdownHook = builder.closeOnJvmExit ? new Thread(this::close, "demo-stop") : null;
        own("the work folder " + folder, () -> Folders.deleteRecursively(folder));
    }

    /** A builder of an environment with the default settings, in a new folder in the temporary folder. */
    static Builder builder() {
        return new Builder();
    }

    /** The work folder: the broker's data ({@value #BROKER_FOLDER}/) and the service's state ({@value #STATE_FOLDER}/). */
    Path folder() {
        return folder;
    }

    /**
     * Starts the broker in the work folder and creates the input, output and dead-letter topics.
     *
     * @throws org.sentimentstream.localbroker.BrokerStartException when the broker does not start
     */
    void startBroker() {
        step.lock();
        try {
            requireOpen();
            if (broker != null) {
                throw new IllegalStateException("the broker is already started");
            }
            LocalKafkaBroker started = own("the Kafka broker", brokerStarter.apply(folder.resolve(BROKER_FOLDER)));
            SentimentStreamConfig startedConfig = config(started.bootstrapServers());
            try (Admin admin = Admin.create(ClientSettings.admin(startedConfig))) {
                ServiceTopics.create(admin, StreamSettings.topics(startedConfig), partitions, (short) 1, ADMIN_TIMEOUT);
            }
            config = startedConfig;
            broker = started;
        } finally {
            step.unlock();
        }
    }

    /**
     * Loads the model, starts the service and waits until it is RUNNING.
     *
     * @throws IllegalStateException when it is not running within the timeout
     */
    void startService(Duration timeout) throws InterruptedException {
        step.lock();
        try {
            requireOpen();
            SentimentStreamConfig startedConfig = requireBroker();
            if (service != null) {
                throw new IllegalStateException("the service is already started");
            }
            SentimentService started = own("the service", SentimentService.create(startedConfig));
            service = started;
            started.start();
            if (!started.awaitRunning(timeout)) {
                Optional<Throwable> failure = started.failure();
                throw new IllegalStateException(
                        "the service did not start within " + timeout.toSeconds() + " s (state " + started.state()
                                + failure.map(f -> "; " + FailureHandler.describe(f))
                                        .orElse("") + ")",
                        failure.orElse(null));
            }
        } finally {
            step.unlock();
        }
    }

    /**
     * Makes {@code resource} part of the environment: {@link #close()} closes it before the resources owned
     * before it (the broker, say) and after those owned after it (the service). When the environment is
     * already closed (Ctrl-C), the resource is closed at once and this throws.
     */
    <T extends AutoCloseable> T own(String name, T resource) {
        Objects.requireNonNull(resource, "resource");
        synchronized (this) {
            if (!closed) {
                owned.push(new Owned(name, resource));
                return resource;
            }
        }
        IllegalStateException shuttingDown = new IllegalStateException("the demo is shutting down");
        closeOne(new Owned(name, resource)).ifPresent(shuttingDown::addSuppressed);
        throw shuttingDown;
    }

    /**
     * Adds service settings once the environment exists, before the broker starts: those of a tool started
     * in the work folder, such as a schema registry's URL.
     */
    void addSettings(Map<String, String> more) {
        step.lock();
        try {
            requireOpen();
            if (broker != null) {
                throw new IllegalStateException("settings can be added only before the broker starts");
            }
            settings.putAll(more);
        } finally {
            step.unlock();
        }
    }

    /** {@code host:port} of the broker. */
    String bootstrapServers() {
        return requireBrokerStarted().bootstrapServers();
    }

    /** The service's configuration: the demo's defaults, the builder's settings, the broker's address. */
    SentimentStreamConfig config() {
        return requireBroker();
    }

    /** The topics the service reads and writes. */
    Topics topics() {
        return StreamSettings.topics(requireBroker());
    }

    /** True while the service has been started and has neither failed nor been closed. */
    boolean serviceIsUp() {
        SentimentService running = service;
        return running != null && !isClosed() && running.failure().isEmpty();
    }

    /** The failure that stopped the service, if any. */
    Optional<Throwable> serviceFailure() {
        SentimentService running = service;
        return running == null ? Optional.empty() : running.failure();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Closes what was started, the last first (service, owned resources, broker), then deletes the work
     * folder; each is attempted even if one before it fails. Does nothing the second time.
     *
     * @throws IllegalStateException naming the first thing that could not be closed (the others suppressed)
     */
    @Override
    public void close() {
        boolean locked = awaitStep();
        try {
            closeOwned();
        } finally {
            if (locked) {
                step.unlock();
            }
        }
    }

    /** Takes the step lock, waiting for another thread's step; false when that step outlasts {@link #STEP_WAIT}. */
    private boolean awaitStep() {
        try {
            if (step.tryLock(STEP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            LOG.warn(
                    "A step of the demo did not finish within {} s; closing what it has so far", STEP_WAIT.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Interrupted while waiting for a step of the demo; closing what it has so far");
        }
        return false;
    }

    private void closeOwned() {
        List<Owned> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = List.copyOf(owned);
            owned.clear();
        }
        removeShutdownHook();
        IllegalStateException failure = null;
        for (Owned resource : toClose) {
            Optional<IllegalStateException> problem = closeOne(resource);
            if (problem.isPresent()) {
                if (failure == null) {
                    failure = problem.get();
                } else {
                    failure.addSuppressed(problem.get());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static Optional<IllegalStateException> closeOne(Owned resource) {
        try {
            resource.resource().close();
            return Optional.empty();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Optional.of(new IllegalStateException("cannot close " + resource.name() + ": " + e.getMessage(), e));
        }
    }

    private void removeShutdownHook() {
        if (shutdownHook == null || Thread.currentThread() == shutdownHook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            LOG.debug("JVM shutdown in progress; the demo's shutdown hook stays", e);
        }
    }

    private void requireOpen() {
        if (isClosed()) {
            throw new IllegalStateException("the demo is shutting down");
        }
    }

    private SentimentStreamConfig requireBroker() {
        SentimentStreamConfig current = config;
        if (current == null) {
            throw new IllegalStateException("the broker is not started");
        }
        return current;
    }

    private LocalKafkaBroker requireBrokerStarted() {
        LocalKafkaBroker current = broker;
        if (current == null) {
            throw new IllegalStateException("the broker is not started");
        }
        return current;
    }

    /** The service's settings: the demo's defaults, then the builder's, then the broker's address. */
    private SentimentStreamConfig config(String bootstrapServers) {
        Map<String, Object> values = new HashMap<>();
        values.put(SentimentStreamConfig.APPLICATION_ID_CONFIG, applicationId);
        values.put(SentimentStreamConfig.OUTPUT_INCLUDE_TEXT_CONFIG, "true");
        values.put(
                SentimentStreamConfig.STATE_DIR_CONFIG,
                folder.resolve(STATE_FOLDER).toString());
        // Results show up within a fraction of a second also under exactly_once_v2.
        values.put(SentimentStreamConfig.COMMIT_INTERVAL_MS_CONFIG, "200");
        // The demo's metrics and health server on any free local port (the log names it): 8080 may be taken.
        values.put(SentimentStreamConfig.METRICS_PORT_CONFIG, "0");
        values.put(SentimentStreamConfig.METRICS_ADDRESS_CONFIG, "127.0.0.1");
        values.putAll(settings);
        values.put(SentimentStreamConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return new SentimentStreamConfig(values);
    }

    private void start() {
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        // A bad setting fails here, naming the setting, before anything is started.
        config("127.0.0.1:9092");
    }

    /** Settings of a {@link DemoEnvironment}; {@link #build()} creates its folder. */
    static final class Builder {
        private final Map<String, String> settings = new LinkedHashMap<>();
        private int partitions = 1;
        private Path parentFolder;
        private boolean closeOnJvmExit = true;
        private Function<Path, LocalKafkaBroker> brokerStarter = brokerFolder -> LocalKafkaBroker.builder()
                .directory(brokerFolder)
                // The environment stops the broker itself, after the service.
                .stopOnJvmExit(false)
                .start();

        private Builder() {}

        /** Sets one service setting (e.g. {@code processing.guarantee}); {@code bootstrap.servers} is the broker's. */
        Builder setting(String name, String value) {
            settings.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Sets service settings; see {@link #setting}. */
        Builder settings(Map<String, String> values) {
            values.forEach(this::setting);
            return this;
        }

        /** Partitions of each topic (default 1). */
        Builder partitions(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("a topic needs at least one partition, not " + count);
            }
            this.partitions = count;
            return this;
        }

        /** The folder in which the work folder is created (default: the temporary folder). */
        Builder parentFolder(Path folder) {
            this.parentFolder = Objects.requireNonNull(folder, "folder");
            return this;
        }

        /** Whether a shutdown hook closes the environment when the JVM exits before {@link #close()} (default true). */
        Builder closeOnJvmExit(boolean close) {
            this.closeOnJvmExit = close;
            return this;
        }

        /** How the broker is started in its folder (tests replace the real broker). */
        Builder brokerStarter(Function<Path, LocalKafkaBroker> starter) {
            this.brokerStarter = Objects.requireNonNull(starter, "starter");
            return this;
        }

        /**
         * Checks the settings and creates the work folder; starts nothing yet.
         *
         * @throws org.apache.kafka.common.config.ConfigException naming a bad setting (no folder is left)
         */
        DemoEnvironment build() {
            Path folder;
            try {
                folder = parentFolder == null
                        ? Files.createTempDirectory("sentiment-demo-work-")
                        : Files.createTempDirectory(parentFolder, "sentiment-demo-work-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the demo's work folder: " + e.getMessage(), e);
            }
            DemoEnvironment environment = new DemoEnvironment(this, folder);
            try {
                environment.start();
            } catch (RuntimeException e) {
                try {
                    environment.close();
                } catch (RuntimeException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
            return environment;
        }
    }
}
