package org.sentimentstream.localbroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.Uuid;
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
 * It is stopped by its own process handle only, never by name. The process itself is a {@link KafkaNode},
 * as each node of a {@link LocalKafkaCluster} is.
 *
 * <p>Listener security is pluggable ({@link Builder#listenerSecurity}, see {@link ListenerSecurity}): a
 * client listener with TLS, mTLS or SASL besides the PLAINTEXT one, and extra broker settings.
 *
 * <p>The child JVM exits by itself, with a clean broker shutdown, when the JVM that started it is gone
 * (see {@link ChildMain}); a shutdown hook also closes the broker (stops it and deletes a temporary
 * folder) when this JVM exits normally or on SIGTERM/SIGINT.
 */
public final class LocalKafkaBroker implements LocalKafka {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);

    static final String DATA_DIR = KafkaNode.DATA_DIR;

    private final Path directory;
    private final boolean temporary;
    private final KraftProperties properties;
    private final KafkaNode node;
    private final Thread shutdownHook;
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
        int clientPort = builder.security.addsListener()
                ? ports.pick(brokerPort, controllerPort, sasl == null ? 0 : sasl.port())
                : 0;
        this.properties = new KraftProperties(
                KraftProperties.NODE_ID,
                brokerPort,
                controllerPort,
                directory.resolve(DATA_DIR),
                null,
                1,
                1,
                sasl,
                clientPort,
                builder.security);
        this.node = new KafkaNode(directory, properties, builder.maxHeap, builder.startTimeout);
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

    /** {@code host:port} of the broker's PLAINTEXT listener, for {@code bootstrap.servers}. */
    @Override
    public String bootstrapServers() {
        return properties.bootstrapServers();
    }

    /**
     * {@code host:port} of the client listener: the {@link ListenerSecurity#LISTENER_NAME} listener when the
     * builder was given a {@link ListenerSecurity} that adds one, else the PLAINTEXT listener.
     */
    @Override
    public String clientBootstrapServers() {
        return properties.clientBootstrapServers();
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
        return node.logFile();
    }

    /** The folder of the broker's partitions ({@code log.dirs}), for {@code kafka-dump-log}. */
    public Path dataDirectory() {
        return node.dataDirectory();
    }

    /** Client settings that reach this broker's PLAINTEXT listener: {@code bootstrap.servers}. */
    @Override
    public Map<String, Object> clientConfig() {
        return node.clientConfig();
    }

    /** True while the broker's JVM is alive. */
    public synchronized boolean isRunning() {
        return node.isRunning();
    }

    /** The process id of the running broker JVM. */
    public synchronized long pid() {
        if (!node.isRunning()) {
            throw new IllegalStateException("the broker is not running");
        }
        return node.pid();
    }

    /**
     * Waits until the broker JVM running now exits (stopped, killed, or crashed) and returns its exit
     * code; returns -1 at once when it is not running.
     */
    public int awaitExit() throws InterruptedException {
        Process running;
        synchronized (this) {
            running = node.process();
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
        node.stop();
    }

    /** Kills the broker with SIGKILL, as a crash would. Returns when the process is gone. */
    public synchronized void kill() {
        node.kill();
    }

    /** Pauses the broker with SIGSTOP (it stays, answering nothing) until {@link #resume()} or a stop. */
    public synchronized void pause() {
        node.pause();
    }

    /** Resumes a paused broker with SIGCONT. */
    public synchronized void resume() {
        node.resume();
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
        node.launch(Uuid.randomUuid().toString());
    }

    /** The last lines of the broker's log, for error messages. */
    public String logTail() {
        return node.logTail();
    }

    private void stopOnJvmExit() {
        synchronized (this) {
            if (node.isRunning()) {
                LOG.info("JVM exiting: stopping the Kafka broker (pid {})", node.pid());
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
        private ListenerSecurity security = ListenerSecurity.none();

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
         * The client listener's security and extra broker settings (see {@link ListenerSecurity}); none by
         * default. The PLAINTEXT listener stays ({@link LocalKafkaBroker#bootstrapServers()}).
         */
        public Builder listenerSecurity(ListenerSecurity security) {
            this.security = Objects.requireNonNull(security, "security");
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
            this.maxHeap = KafkaNode.requireHeapSize(maxHeap);
            return this;
        }

        /** How long to wait for the broker to answer (default 90 s). */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = KafkaNode.requireStartTimeout(startTimeout);
            return this;
        }

        /**
         * Formats the storage if needed, starts the broker and returns once it answers. A broker in a temporary
         * folder on ports picked here is started again on other ports if one of them was taken between being
         * picked and being bound (another process's connection can take any free port in that gap).
         */
        public LocalKafkaBroker start() {
            boolean portsPickedHere = directory == null && port == 0 && controllerPort == 0;
            return KafkaNode.startRetryingPortClashes(portsPickedHere, "local Kafka broker", this::startOnce);
        }

        private LocalKafkaBroker startOnce() {
            boolean temporary = directory == null;
            Path folder = KafkaNode.createFolder(directory, "sentiment-kafka-");
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
