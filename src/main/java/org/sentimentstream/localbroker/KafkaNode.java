package org.sentimentstream.localbroker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.sentimentstream.localbroker.ChildMain.WhenParentExits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One KRaft node (broker and controller in one process) as a child JVM in its own folder: writes its
 * configuration, formats its storage, starts it, waits until it answers, and stops (SIGTERM), kills
 * (SIGKILL), pauses (SIGSTOP) and resumes (SIGCONT) it by its own process handle. The single broker and
 * each node of the cluster are one of these; what they add is how nodes are picked, shared and cleaned up.
 *
 * <p>Not thread-safe on its own: its owners synchronize.
 */
final class KafkaNode {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaNode.class);

    static final String PROPERTIES_FILE = "server.properties";
    static final String LOG4J_FILE = "log4j2-broker.xml";
    static final String LOG_FILE = "broker.log";
    static final String DATA_DIR = "data";

    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final Duration KILL_WAIT = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(200);
    /** Starts on freshly picked ports before giving up when a picked port was taken meanwhile. */
    private static final int PORT_CLASH_ATTEMPTS = 3;

    private final Path directory;
    private final KraftProperties properties;
    private final List<String> jvmOptions;
    private final String classPath;
    private final Duration startTimeout;
    private Process process;
    private boolean paused;

    KafkaNode(Path directory, KraftProperties properties, String maxHeap, Duration startTimeout) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.properties = Objects.requireNonNull(properties, "properties");
        List<String> options = new ArrayList<>(List.of(
                "-Xmx" + maxHeap,
                "-XX:+UseSerialGC",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + directory.resolve(LOG4J_FILE).toUri()));
        new TreeMap<>(properties.security().systemProperties())
                .forEach((name, value) -> options.add("-D" + name + "=" + value));
        this.jvmOptions = List.copyOf(options);
        this.startTimeout = startTimeout;
        this.classPath = ChildClassPath.current();
    }

    /** The options of the node's JVM (heap, GC, log configuration, {@link ListenerSecurity#systemProperties()}). */
    List<String> jvmOptions() {
        return jvmOptions;
    }

    /** {@code maxHeap} when it is a heap size as {@code -Xmx} takes it (e.g. {@code 384m}); throws otherwise. */
    static String requireHeapSize(String maxHeap) {
        if (!maxHeap.matches("\\d+[kKmMgG]?")) {
            throw new IllegalArgumentException("bad heap size '" + maxHeap + "' (expected e.g. 512m)");
        }
        return maxHeap;
    }

    /** {@code timeout} when it is positive; throws otherwise. */
    static Duration requireStartTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the start timeout must be positive");
        }
        return timeout;
    }

    /**
     * Runs {@code startOnce} and, when ports were picked by the caller ({@code portsPicked}) and a start failed
     * because one of them was taken between being picked and being bound (another process's connection can
     * take any free port in that gap), runs it again, up to {@value #PORT_CLASH_ATTEMPTS} times in all.
     */
    static <T> T startRetryingPortClashes(boolean portsPicked, String what, Supplier<T> startOnce) {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce.get();
            } catch (BrokerStartException e) {
                boolean clash = e.getMessage() != null && e.getMessage().contains("Address already in use");
                if (!portsPicked || attempt == PORT_CLASH_ATTEMPTS || !clash) {
                    throw e;
                }
                LOG.warn(
                        "A port picked for the {} was taken before it bound it (attempt {} of {}); starting it on"
                                + " other ports",
                        what,
                        attempt,
                        PORT_CLASH_ATTEMPTS);
            }
        }
    }

    /** {@code directory} created if missing, or a new temporary folder when it is null. */
    static Path createFolder(Path directory, String temporaryPrefix) {
        try {
            return directory == null
                    ? Files.createTempDirectory(temporaryPrefix)
                    : Files.createDirectories(directory.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder of the local Kafka", e);
        }
    }

    int nodeId() {
        return properties.nodeId();
    }

    Duration startTimeout() {
        return startTimeout;
    }

    KraftProperties properties() {
        return properties;
    }

    Path directory() {
        return directory;
    }

    Path logFile() {
        return directory.resolve(LOG_FILE);
    }

    /** The folder of the node's partitions ({@code log.dirs}). */
    Path dataDirectory() {
        return properties.logDir();
    }

    /** Client settings that reach this node's PLAINTEXT listener. */
    Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        return config;
    }

    boolean isRunning() {
        return process != null && process.isAlive();
    }

    boolean isPaused() {
        return paused;
    }

    long pid() {
        if (process == null) {
            throw new IllegalStateException("node " + nodeId() + " is not running");
        }
        return process.pid();
    }

    /** The process running now, or null. */
    Process process() {
        return process;
    }

    /** Writes the configuration, formats the storage (a fresh one only), starts the JVM and waits until it answers. */
    void launch(String clusterId) {
        Process formatting = startFormat(clusterId);
        if (formatting != null) {
            awaitFormat(formatting);
        }
        startProcess();
        awaitReady();
    }

    /**
     * Writes the configuration and starts formatting the storage when it is not formatted yet; returns the
     * formatting process (to {@link #awaitFormat}), or null when there is nothing to format.
     */
    Process startFormat(String clusterId) {
        writeConfiguration();
        if (Files.exists(properties.logDir().resolve("meta.properties"))) {
            return null;
        }
        List<String> arguments = new ArrayList<>(List.of(
                "format",
                "--cluster-id",
                clusterId,
                "--config",
                directory.resolve(PROPERTIES_FILE).toString(),
                "--ignore-formatted"));
        arguments.addAll(properties.security().formatArguments());
        return start(childJvm("kafka.tools.StorageTool").arguments(arguments));
    }

    void awaitFormat(Process formatting) {
        try {
            if (!ChildJvm.awaitExit(formatting, FORMAT_TIMEOUT)) {
                formatting.destroyForcibly();
                throw new BrokerStartException("formatting the KRaft storage of node " + nodeId()
                        + " did not finish within " + FORMAT_TIMEOUT.toSeconds() + " s; see " + logFile());
            }
        } catch (InterruptedException e) {
            formatting.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BrokerStartException("interrupted while formatting the KRaft storage", e);
        }
        if (formatting.exitValue() != 0) {
            throw new BrokerStartException("formatting the KRaft storage of node " + nodeId() + " failed (exit code "
                    + formatting.exitValue() + "): " + logTail());
        }
    }

    /** Starts the node's JVM (the storage must be formatted) without waiting for it. */
    void startProcess() {
        if (isRunning()) {
            throw new IllegalStateException("node " + nodeId() + " is running already");
        }
        writeConfiguration();
        process = start(childJvm("kafka.Kafka")
                .watchParent(WhenParentExits.EXIT)
                .arguments(directory.resolve(PROPERTIES_FILE).toString()));
        paused = false;
        LOG.info(
                "Started Kafka node {} (pid {}) on {}, folder {}",
                nodeId(),
                process.pid(),
                properties.bootstrapServers(),
                directory);
    }

    /**
     * Waits until the PLAINTEXT port accepts connections and the node answers describeCluster with at least
     * one broker; kills the node and throws when it exits or does not answer in time.
     */
    void awaitReady() {
        Process child = process;
        Instant started = Instant.now();
        Instant deadline = started.plus(startTimeout);
        try {
            while (!portAccepts()) {
                pauseOrFail(child, deadline);
            }
            Map<String, Object> config = clientConfig();
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
            config.put(AdminClientConfig.CLIENT_ID_CONFIG, "local-kafka-node-" + nodeId() + "-readiness");
            try (Admin admin = Admin.create(config)) {
                while (!answers(admin)) {
                    pauseOrFail(child, deadline);
                }
            }
        } catch (RuntimeException e) {
            kill();
            throw e;
        }
        LOG.info(
                "Kafka node {} on {} is ready after {} ms",
                nodeId(),
                properties.bootstrapServers(),
                Duration.between(started, Instant.now()).toMillis());
    }

    private boolean answers(Admin admin) {
        try {
            Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(3_000))
                    .nodes()
                    .get();
            return !nodes.isEmpty();
        } catch (ExecutionException e) {
            LOG.debug(
                    "Kafka node {} does not answer yet: {}",
                    nodeId(),
                    e.getCause().toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerStartException("interrupted while waiting for the Kafka broker to start", e);
        }
    }

    /** SIGTERM (Kafka shuts down cleanly), then SIGKILL after a grace period; returns when the process is gone. */
    void stop() {
        if (process == null) {
            return;
        }
        Process stopping = process;
        resumeIfPaused();
        process = null;
        LOG.info("Stopping Kafka node {} (pid {})", nodeId(), stopping.pid());
        stopping.destroy();
        awaitExit(stopping, STOP_GRACE, "SIGTERM");
    }

    /** SIGKILL, as a crash would; returns when the process is gone. */
    void kill() {
        if (process == null) {
            return;
        }
        Process killing = process;
        process = null;
        paused = false;
        LOG.info("Killing Kafka node {} (pid {})", nodeId(), killing.pid());
        killing.destroyForcibly();
        awaitExit(killing, KILL_WAIT, "SIGKILL");
    }

    /** SIGSTOP: the process stays but answers nothing (a hung broker, a long GC pause, a frozen VM). */
    void pause() {
        signal("STOP");
        paused = true;
        LOG.info("Paused Kafka node {} (pid {})", nodeId(), process.pid());
    }

    /** SIGCONT after {@link #pause()}. */
    void resume() {
        signal("CONT");
        paused = false;
        LOG.info("Resumed Kafka node {} (pid {})", nodeId(), process.pid());
    }

    private void resumeIfPaused() {
        if (paused && isRunning()) {
            resume();
        }
    }

    private void signal(String name) {
        if (!isRunning()) {
            throw new IllegalStateException("node " + nodeId() + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!ChildJvm.awaitExit(kill, KILL_WAIT) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill -" + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + name, e);
        }
    }

    /** The last lines of the node's log, for error messages. */
    String logTail() {
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

    private ChildJvm.Builder childJvm(String mainClass) {
        return ChildJvm.builder(mainClass).jvmOptions(jvmOptions).classPath(classPath);
    }

    private Process start(ChildJvm.Builder child) {
        try {
            return child.start(directory, logFile());
        } catch (IOException e) {
            throw new BrokerStartException("cannot start a JVM for Kafka node " + nodeId() + ": " + e.getMessage(), e);
        }
    }

    /** Waits a short while for the child to exit: fails if it did, or if the deadline has passed. */
    private void pauseOrFail(Process child, Instant deadline) {
        try {
            if (child.waitFor(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new BrokerStartException("Kafka node " + nodeId() + " exited with code " + child.exitValue()
                        + " during start-up: " + logTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerStartException("interrupted while waiting for the Kafka broker to start", e);
        }
        if (Instant.now().isAfter(deadline)) {
            throw new BrokerStartException("Kafka node " + nodeId() + " did not answer on "
                    + properties.bootstrapServers() + " within " + startTimeout.toSeconds() + " s: " + logTail());
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

    private void awaitExit(Process stopping, Duration grace, String signal) {
        try {
            if (!ChildJvm.awaitExit(stopping, grace)) {
                LOG.warn(
                        "Kafka node {} (pid {}) did not exit within {} s of {}; killing it",
                        nodeId(),
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
            try (InputStream log4j = KafkaNode.class.getResourceAsStream("broker-log4j2.xml")) {
                Objects.requireNonNull(log4j, "broker-log4j2.xml is missing from the class path");
                Files.write(directory.resolve(LOG4J_FILE), log4j.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write the configuration of Kafka node " + nodeId() + " in " + directory, e);
        }
    }
}
