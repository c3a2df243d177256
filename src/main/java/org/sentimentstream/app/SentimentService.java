package org.sentimentstream.app;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.model.SentimentClassifier;
import org.sentimentstream.stream.SentimentTopology;
import org.sentimentstream.stream.Topics;
import org.sentimentstream.stream.TopologySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: configuration -> classifier -> topology -> {@link KafkaStreams}, and their
 * lifecycle. {@link #start()} starts Kafka Streams; {@link #close()} closes Kafka Streams, then the classifier.
 * Without {@code group.instance.id} the close leaves the consumer group, so the other instances get the
 * partitions at once; with it (static membership) the instance stays in the group, so a restart within
 * {@code session.timeout.ms} gets its own partitions back without a rebalance.
 *
 * <p>With the {@code confluent-avro} output format the output schema is registered (or looked up) while
 * the service is built, so a registry that refuses it, or cannot be reached, stops the start-up. All codecs
 * of one service share one registry client and its caches (the topics' codec context).
 *
 * <p>Operations ({@link ServiceOperations}): unless {@code metrics.port} is -1, the topology records into a
 * Prometheus registry, and an HTTP server, bound when the service is created (a port that cannot be had
 * stops the start-up), serves {@code /metrics}, {@code /health/live} and {@code /health/ready} from Kafka
 * Streams' state changes and thread failures. With {@code model.path} set, the model may be replaced while the
 * service runs ({@link org.sentimentstream.model.ReloadingClassifier}).
 *
 * <p>A stream thread that fails on fenced or invalid transactional state, or on a timeout while brokers are
 * away, is replaced by a new thread within a budget ({@link StreamThreadFailurePolicy},
 * {@code stream.thread.replacements.*}; counted in {@code sentiment_stream_thread_replacements_total}). Any
 * other failure (for example a model call that throws), or one past the budget, shuts the whole client down
 * rather than skipping records: {@link #awaitStop} then returns the failure, and the caller (the
 * {@code run} command) exits non-zero so that a supervisor restarts it. Records that are bad in
 * themselves never get here: the topology sends them to the dead-letter topic.
 */
public final class SentimentService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SentimentService.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration LISTENER_WAIT = Duration.ofSeconds(5);

    private final SentimentClassifier classifier;
    private final boolean ownsClassifier;
    private final ServiceOperations operations;
    private final KafkaStreams streams;
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final StreamThreadFailurePolicy failurePolicy;
    private final CloseOptions.GroupMembershipOperation membershipOnClose;
    private final Topics topics;

    private SentimentService(
            SentimentStreamConfig config,
            SentimentClassifier classifier,
            boolean ownsClassifier,
            ServiceOperations operations) {
        this.classifier = classifier;
        this.ownsClassifier = ownsClassifier;
        this.operations = operations;
        this.failurePolicy = new StreamThreadFailurePolicy(
                config.streamThreadReplacementsMax(), config.streamThreadReplacementsWindow(), System::nanoTime);
        this.membershipOnClose = config.groupInstanceId().isPresent()
                ? CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP
                : CloseOptions.GroupMembershipOperation.LEAVE_GROUP;
        operations.modelServing(classifier);
        TopologySettings settings = StreamSettings.topologySettings(config);
        this.topics = settings.topics();
        // A registry format registers (or looks up) the output schema now: a registry that refuses it, or
        // cannot be reached within its retry time, stops the start-up instead of the first batch.
        settings.topics().outputWriter().prepareEncoding();
        Topology topology =
                SentimentTopology.build(settings, classifier, Clock.systemUTC(), operations.processingMetrics());
        this.streams = new KafkaStreams(topology, StreamsProperties.of(config));
        streams.setStateListener(this::onStateChange);
        streams.setUncaughtExceptionHandler(this::onStreamThreadFailure);
        streams.setGlobalStateRestoreListener(operations.health().restoreListener());
        try {
            operations.bindKafkaStreams(streams);
            // Bound before anything else starts: a port that cannot be had stops the start-up (exit 2).
            operations.startServer();
        } catch (RuntimeException e) {
            streams.close(Duration.ZERO);
            throw e;
        }
    }

    /**
     * Opens the configured model and builds the service (not started). The service owns the
     * classifier and closes it.
     *
     * @throws org.sentimentstream.model.ModelLoadException when the model cannot be loaded
     * @throws org.sentimentstream.registry.RegistryException when the output format's schema registry
     *                                                        refuses the output schema or cannot be reached
     */
    public static SentimentService create(SentimentStreamConfig config) {
        ServiceOperations operations = new ServiceOperations(config);
        SentimentClassifier classifier;
        try {
            classifier = Classifiers.open(config, operations);
        } catch (RuntimeException e) {
            operations.close();
            throw e;
        }
        try {
            return new SentimentService(config, classifier, true, operations);
        } catch (RuntimeException e) {
            operations.close();
            classifier.close();
            throw e;
        }
    }

    /** Builds the service (not started) on a classifier the caller owns and closes. */
    public static SentimentService create(SentimentStreamConfig config, SentimentClassifier classifier) {
        ServiceOperations operations = new ServiceOperations(config);
        try {
            return new SentimentService(config, classifier, false, operations);
        } catch (RuntimeException e) {
            operations.close();
            throw e;
        }
    }

    /**
     * The service's topics, with the codec context (and so the registry client) its topology uses: the
     * {@code run} command checks the topics with it rather than making a second one.
     */
    public Topics topics() {
        return topics;
    }

    /** Starts processing (in Kafka Streams' own threads) and returns at once. */
    public void start() {
        LOG.info(
                "Starting the service with model {} {}{}",
                classifier.info().name(),
                classifier.info().version(),
                operations
                        .address()
                        .map(a -> "; metrics and health on port " + a.getPort())
                        .orElse(""));
        streams.start();
    }

    /** Waits until Kafka Streams is RUNNING (partitions assigned); false if it was not within the timeout. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && state() == State.RUNNING;
    }

    /**
     * Waits until the service has stopped (closed, or shut down after a failure) and returns the
     * failure that stopped it, if any.
     */
    public Optional<Throwable> awaitStop() throws InterruptedException {
        stopped.await();
        return Optional.ofNullable(failure.get());
    }

    /** The Kafka Streams state. */
    public State state() {
        return streams.state();
    }

    /**
     * The address of the metrics and health HTTP server ({@code metrics.port}, the real port when 0 was
     * set); empty with {@code metrics.port=-1}.
     */
    public Optional<InetSocketAddress> operationsAddress() {
        return operations.address();
    }

    /** The failure that shut the service down, if any. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** Closes Kafka Streams (committing what was processed), then the classifier if this service owns it. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("Stopping the service");
        boolean clean =
                streams.close(CloseOptions.timeout(CLOSE_TIMEOUT).withGroupMembershipOperation(membershipOnClose));
        if (!clean) {
            LOG.warn("Kafka Streams did not close within {} s", CLOSE_TIMEOUT.toSeconds());
        } else {
            awaitStateListener();
        }
        operations.close();
        if (ownsClassifier) {
            classifier.close();
        }
        operations.modelClosed();
        stopped.countDown();
        LOG.info("Service stopped");
    }

    /**
     * Kafka Streams' close returns once its state is NOT_RUNNING, which may be before the state listener
     * has run; waiting for the listener keeps its last line before whatever the caller prints next.
     */
    private void awaitStateListener() {
        try {
            if (!stopped.await(LISTENER_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.debug("The state listener did not report NOT_RUNNING within {} ms", LISTENER_WAIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void onStateChange(State newState, State oldState) {
        LOG.info("Kafka Streams state {} -> {}", oldState, newState);
        operations.health().onStateChange(newState, oldState);
        if (newState == State.RUNNING) {
            running.countDown();
        }
        if (newState == State.ERROR || newState == State.NOT_RUNNING) {
            running.countDown();
            stopped.countDown();
        }
    }

    private StreamThreadExceptionResponse onStreamThreadFailure(Throwable exception) {
        if (failurePolicy.respond(exception) == StreamThreadExceptionResponse.REPLACE_THREAD) {
            operations.streamThreadReplaced();
            LOG.warn(
                    "A stream thread failed ({}); replacing the thread, not the process ({} of at most {} within {}"
                            + " s); its tasks resume from their last commit",
                    exception.toString(),
                    failurePolicy.replacementsInWindow(),
                    failurePolicy.maxReplacements(),
                    failurePolicy.window().toSeconds(),
                    exception);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        failure.compareAndSet(null, exception);
        operations.health().onStreamThreadFailure(exception);
        LOG.error("A stream thread failed; shutting the service down without skipping records", exception);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
}
