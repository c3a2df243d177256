package org.sentimentstream.localbroker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.sentimentstream.localbroker.ChildMain.WhenParentExits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Apache Kafka broker (KRaft, broker and controller in one process) running as a
 * child JVM, bound to 127.0.0.1: for the {@code demo} and {@code broker} commands and the
 * integration tests.
 *
 * <p>Its folder holds {@code server.properties}, the broker's log4j2 configuration,
 * {@code broker.log} (the child's output) and {@code data/} (the formatted KRaft storage). A
 * broker built without a folder gets a temporary one, deleted by {@link #close()}. The broker
 * can be stopped ({@link #stop()}, SIGTERM then SIGKILL after a grace period), killed
 * ({@link #kill()}, SIGKILL) and started again ({@link #restart()}) on the same data and ports.
 * It is stopped by its own process handle only, never by name.
 *
 * <p>The child JVM exits by itself, with a clean broker shutdown, when the JVM that started it is gone
 * (see {@link ChildMain}); a shutdown hook also closes the broker (stops it and deletes a temporary
 * folder) when this JVM exits normally or on SIGTERM/SIGINT.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);

    static final String PROPERTIES_FILE = "server.properties";
    static final String LOG4J_FILE = "log4j2-broker.xml";
    static final String LOG_FILE = "broker.log";
    static final String DATA_DIR = "data";

    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final Duration KILL_WAIT = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(200);
    /** Starts on freshly picked ports before giving up when a picked port was taken meanwhile. */
    private static final int PORT_CLASH_ATTEMPTS = 3;

    private final Path directory;
    private final boolean temporary;
    private final KraftProperties properties;
    private final List<String> jvmOptions;
    private final Duration startTimeout;
    private final String classPath;
    private final Thread shutdownHook;
    private Process process;
    private boolean closed;

    private LocalKafkaBroker(Builder builder, Path directory, boolean temporary) {
        this.directory = directory;
        this.temporary = temporary;
        PortPicker ports = builder.portPicker;
        int brokerPort = builder.port == 0 ? ports.pick() : builder.port;
        int controllerPort = builder.controllerPort == 0 ? ports.pick(brokerPort) : builder.controllerPort;
        KraftProperties.SaslPlainListener sasl = builder.saslPlainUsers == null
                ? null
                : new KraftProperties.SaslPlainListener(ports.pick(brokerPort, controllerPort), builder.saslPlainUsers);
        this.properties = new KraftProperties(brokerPort, controllerPort, directory.resolve(DATA_DIR), sasl);
        this.jvmOptions = List.of(
                "-Xmx" + builder.maxHeap,
                "-XX:+UseSerialGC",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + directory.resolve(LOG4J_FILE).toUri());
        this.startTimeout = builder.startTimeout;
        this.classPath = ChildClassPath.current();
        this.shutdownHook = new Thread(this::stopOnJvmExit, "local-kafka-broker-stop");
    }

    /** A builder for a broker in a temporary folder on free ports. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a broker in a temporary folder on free ports, with the default settings. */
    public static LocalKafkaBroker start() {
        return builder().start();
    }

    /** {@code host:port} of the broker's client listener, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return properties.bootstrapServers();
    }

    /** {@code host:port} of the SASL/PLAIN listener ({@link Builder#saslPlainUsers}). */
    public String saslBootstrapServers() {
        return properties.saslBootstrapServers();
    }

    /** The broker's folder (configuration, log and data). */
    public Path directory() {
        return directory;
    }

    /** The file the child JVM's output (the broker's log) is appended to. */
    public Path logFile() {
        return directory.resolve(LOG_FILE);
    }

    /** Client settings that reach this broker: {@code bootstrap.servers}. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    /** A new admin client for this broker; the caller closes it. */
    public Admin createAdmin() {
        return Admin.create(clientConfig());
    }

    /** True while the broker's JVM is alive. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The process id of the running broker JVM. */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("the broker is not running");
        }
        return process.pid();
    }

    /**
     * Waits until the broker JVM running now exits (stopped, killed, or crashed) and returns its exit
     * code; returns -1 at once when it is not running.
     */
    public int awaitExit() throws InterruptedException {
        Process running;
        synchronized (this) {
            running = process;
        }
        return running == null ? -1 : running.waitFor();
    }

    /** Starts the broker again (after {@link #stop()} or {@link #kill()}) on the same data and ports. */
    public synchronized void restart() {
        stop();
        launch();
    }

    /**
     * Stops the broker: SIGTERM (Kafka shuts down cleanly), then SIGKILL if it has not exited
     * within a grace period. Returns when the process is gone. Does nothing when it is not running.
     */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        Process stopping = process;
        process = null;
        LOG.info("Stopping the Kafka broker (pid {})", stopping.pid());
        stopping.destroy();
        awaitExit(stopping, STOP_GRACE, "SIGTERM");
    }

    /** Kills the broker with SIGKILL, as a crash would. Returns when the process is gone. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        Process killing = process;
        process = null;
        LOG.info("Killing the Kafka broker (pid {})", killing.pid());
        killing.destroyForcibly();
        awaitExit(killing, KILL_WAIT, "SIGKILL");
    }

    /** Stops the broker and, when its folder is temporary, deletes the folder. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        removeShutdownHook();
        if (temporary) {
            try {
                Folders.deleteRecursively(directory);
            } catch (IOException e) {
                LOG.warn("Cannot delete the broker folder {}: {}", directory, e.toString());
            }
        }
    }

    private synchronized void launch() {
        if (closed) {
            throw new IllegalStateException("the broker is closed");
        }
        writeConfiguration();
        if (!isFormatted()) {
            format();
        }
        Instant started = Instant.now();
        Process child = startProcess(childJvm("kafka.Kafka")
                .watchParent(WhenParentExits.EXIT)
                .arguments(directory.resolve(PROPERTIES_FILE).toString()));
        process = child;
        LOG.info("Started a Kafka broker (pid {}) on {}, folder {}", child.pid(), bootstrapServers(), directory);
        try {
            awaitReady(child, started.plus(startTimeout));
        } catch (RuntimeException e) {
            kill();
            throw e;
        }
        LOG.info(
                "Kafka broker on {} is ready after {} ms",
                bootstrapServers(),
                Duration.between(started, Instant.now()).toMillis());
    }

    private boolean isFormatted() {
        return Files.exists(properties.logDir().resolve("meta.properties"));
    }

    private void format() {
        Process formatting = startProcess(childJvm("kafka.tools.StorageTool")
                .arguments(
                        "format",
                        "--cluster-id",
                        Uuid.randomUuid().toString(),
                        "--config",
                        directory.resolve(PROPERTIES_FILE).toString(),
                        "--ignore-formatted"));
        try {
            if (!ChildJvm.awaitExit(formatting, FORMAT_TIMEOUT)) {
                formatting.destroyForcibly();
                throw new BrokerStartException("formatting the KRaft storage did not finish within "
                        + FORMAT_TIMEOUT.toSeconds() + " s; see " + logFile());
            }
        } catch (InterruptedException e) {
            formatting.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BrokerStartException("interrupted while formatting the KRaft storage", e);
        }
        if (formatting.exitValue() != 0) {
            throw new BrokerStartException(
                    "formatting the KRaft storage failed (exit code " + formatting.exitValue() + "): " + logTail());
        }
    }

    private ChildJvm.Builder childJvm(String mainClass) {
        return ChildJvm.builder(mainClass).jvmOptions(jvmOptions).classPath(classPath);
    }

    private Process startProcess(ChildJvm.Builder child) {
        try {
            return child.start(directory, logFile());
        } catch (IOException e) {
            throw new BrokerStartException("cannot start a JVM for the Kafka broker: " + e.getMessage(), e);
        }
    }

    /** Waits until the port accepts connections and the broker answers describeCluster with a node. */
    private void awaitReady(Process child, Instant deadline) {
        while (!portAccepts()) {
            pauseOrFail(child, deadline);
        }
        Map<String, Object> config = clientConfig();
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "local-kafka-broker-readiness");
        try (Admin admin = Admin.create(config)) {
            while (true) {
                try {
                    Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(3_000))
                            .nodes()
                            .get();
                    if (!nodes.isEmpty()) {
                        return;
                    }
                } catch (ExecutionException e) {
                    LOG.debug("The broker does not answer yet: {}", e.getCause().toString());
                }
                pauseOrFail(child, deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerStartException("interrupted while waiting for the Kafka broker to start", e);
        }
    }

    /** Waits a short while for the child to exit: fails if it did, or if the deadline has passed. */
    private void pauseOrFail(Process child, Instant deadline) {
        try {
            if (child.waitFor(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new BrokerStartException(
                        "the Kafka broker exited with code " + child.exitValue() + " during start-up: " + logTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerStartException("interrupted while waiting for the Kafka broker to start", e);
        }
        if (Instant.now().isAfter(deadline)) {
            throw new BrokerStartException("the Kafka broker did not answer on " + bootstrapServers() + " within "
                    + startTimeout.toSeconds() + " s: " + logTail());
        }
    }

    private boolean portAccepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(KraftProperties.HOST, properties.brokerPort()), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitExit(Process stopping, Duration grace, String signal) {
        try {
            if (!ChildJvm.awaitExit(stopping, grace)) {
                LOG.warn(
                        "The Kafka broker (pid {}) did not exit within {} s of {}; killing it",
                        stopping.pid(),
                        grace.toSeconds(),
                        signal);
                ChildJvm.kill(stopping, KILL_WAIT);
            }
        } catch (InterruptedException e) {
            stopping.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void writeConfiguration() {
        try {
            Files.createDirectories(properties.logDir());
            Files.writeString(directory.resolve(PROPERTIES_FILE), properties.asFileText(), StandardCharsets.UTF_8);
            try (InputStream log4j = LocalKafkaBroker.class.getResourceAsStream("broker-log4j2.xml")) {
                Objects.requireNonNull(log4j, "broker-log4j2.xml is missing from the class path");
                Files.write(directory.resolve(LOG4J_FILE), log4j.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the broker configuration in " + directory, e);
        }
    }

    /** The last lines of the broker's log, for error messages. */
    public String logTail() {
        Path log = logFile();
        try {
            if (!Files.exists(log)) {
                return "(no log at " + log + ")";
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "last lines of " + log + ":\n  "
                    + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    private void stopOnJvmExit() {
        synchronized (this) {
            if (process != null) {
                LOG.info("JVM exiting: stopping the Kafka broker (pid {})", process.pid());
            }
        }
        close();
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            LOG.debug("JVM shutdown in progress; the shutdown hook stays", e);
        }
    }

    /** Picks a free port on 127.0.0.1 other than {@code avoid}: free now, which a later bind may find taken. */
    static int freePort(int... avoid) {
        for (int attempt = 0; attempt < 10; attempt++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(KraftProperties.HOST, 0));
                int port = socket.getLocalPort();
                if (Arrays.stream(avoid).noneMatch(p -> p == port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot find a free port on " + KraftProperties.HOST, e);
            }
        }
        throw new IllegalStateException("cannot find a free port on " + KraftProperties.HOST);
    }

    /** Picks the ports the broker listens on when none is given. */
    @FunctionalInterface
    interface PortPicker {
        int pick(int... avoid);
    }

    /** Settings of a {@link LocalKafkaBroker}; {@link #start()} builds and starts it. */
    public static final class Builder {
        private Path directory;
        private int port;
        private int controllerPort;
        private String maxHeap = "512m";
        private Duration startTimeout = Duration.ofSeconds(90);
        private boolean stopOnJvmExit = true;
        private Map<String, String> saslPlainUsers;
        private PortPicker portPicker = LocalKafkaBroker::freePort;

        private Builder() {}

        /** How ports are picked when none is given (tests make a picked port be taken). */
        Builder portPicker(PortPicker portPicker) {
            this.portPicker = portPicker;
            return this;
        }

        /**
         * Adds a client listener on a free port that authenticates these users (name to password)
         * with SASL/PLAIN, without TLS; the PLAINTEXT listener stays. For tests of client security
         * settings: see {@link LocalKafkaBroker#saslBootstrapServers()}.
         */
        public Builder saslPlainUsers(Map<String, String> users) {
            this.saslPlainUsers = Map.copyOf(users);
            return this;
        }

        /**
         * Whether a shutdown hook stops the broker when this JVM exits (default true). A caller that
         * must stop its Kafka clients before the broker turns it off and closes the broker itself;
         * the broker JVM still exits when this JVM is gone.
         */
        public Builder stopOnJvmExit(boolean stopOnJvmExit) {
            this.stopOnJvmExit = stopOnJvmExit;
            return this;
        }

        /** A folder to keep the broker in (created if missing, kept on close); a temporary one by default. */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /** The client port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = requirePort(port);
            return this;
        }

        /** The controller (KRaft quorum) port; 0 (the default) picks a free one. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = requirePort(controllerPort);
            return this;
        }

        /** The broker JVM's maximum heap, as for {@code -Xmx} (default {@code 512m}). */
        public Builder maxHeap(String maxHeap) {
            if (!maxHeap.matches("\\d+[kKmMgG]?")) {
                throw new IllegalArgumentException("bad heap size '" + maxHeap + "' (expected e.g. 512m)");
            }
            this.maxHeap = maxHeap;
            return this;
        }

        /** How long to wait for the broker to answer (default 90 s). */
        public Builder startTimeout(Duration startTimeout) {
            if (startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException("the start timeout must be positive");
            }
            this.startTimeout = startTimeout;
            return this;
        }

        /**
         * Formats the storage if needed, starts the broker and returns once it answers. A broker in a temporary
         * folder on ports picked here is started again on other ports if one of them was taken between being
         * picked and being bound (another process's connection can take any free port in that gap).
         */
        public LocalKafkaBroker start() {
            boolean portsPickedHere = directory == null && port == 0 && controllerPort == 0;
            for (int attempt = 1; ; attempt++) {
                try {
                    return startOnce();
                } catch (BrokerStartException e) {
                    if (!portsPickedHere || attempt == PORT_CLASH_ATTEMPTS || !isPortClash(e)) {
                        throw e;
                    }
                    LOG.warn(
                            "A port picked for the local Kafka broker was taken before the broker bound it"
                                    + " (attempt {} of {}); starting it on other ports",
                            attempt,
                            PORT_CLASH_ATTEMPTS);
                }
            }
        }

        /** Whether the broker stopped because a listener's port was in use (its log tail is in the message). */
        private static boolean isPortClash(BrokerStartException e) {
            return e.getMessage() != null && e.getMessage().contains("Address already in use");
        }

        private LocalKafkaBroker startOnce() {
            boolean temporary = directory == null;
            Path folder;
            try {
                folder = temporary
                        ? Files.createTempDirectory("sentiment-kafka-")
                        : Files.createDirectories(directory.toAbsolutePath());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the broker folder", e);
            }
            LocalKafkaBroker broker = new LocalKafkaBroker(this, folder, temporary);
            if (stopOnJvmExit) {
                Runtime.getRuntime().addShutdownHook(broker.shutdownHook);
            }
            try {
                broker.launch();
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
            return broker;
        }

        private static int requirePort(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("bad port " + port);
            }
            return port;
        }
    }
}
