package org.sentimentstream.it;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.sentimentstream.localbroker.LocalKafkaCluster;

/**
 * A real three-node KRaft cluster ({@link LocalKafkaCluster}, one JVM per node on 127.0.0.1) for a test class.
 *
 * <p>{@link #shared()}: ONE cluster for the whole test JVM run, started by the first class that asks for it and
 * kept in JUnit's root store, which closes it when the run ends (three broker JVMs cost about 20 s to start
 * and a gigabyte of memory: the classes take turns with one). {@link #own()}: a cluster of the class's own,
 * closed after its last test, for a test that breaks the cluster in ways {@link LocalKafkaCluster#heal}
 * cannot undo, or that needs other broker settings ({@link #own(Supplier)}: listener security, more nodes).
 *
 * <p>After each test the extension heals the cluster (resumes paused nodes, starts killed or stopped ones) and
 * waits until it is healthy: every node up, the quorum caught up, every partition fully in sync. A test that
 * injects faults should still restore what it broke itself; a cluster that cannot be healed fails the test
 * that left it so, not the next one.
 *
 * <pre>{@code @RegisterExtension static final LocalClusterExtension KAFKA = LocalClusterExtension.shared();}</pre>
 */
final class LocalClusterExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    /** How long healing may take after a test (a restarted node catches up on every partition). */
    static final Duration HEAL_TIMEOUT = Duration.ofMinutes(3);

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LocalClusterExtension.class);
    private static final String SHARED_KEY = "shared-three-node-cluster";

    private final Supplier<LocalKafkaCluster> starter;
    private final boolean shared;
    private LocalKafkaCluster cluster;

    private LocalClusterExtension(Supplier<LocalKafkaCluster> starter, boolean shared) {
        this.starter = Objects.requireNonNull(starter, "starter");
        this.shared = shared;
    }

    /** The three-node cluster shared by every class of this test JVM run. */
    static LocalClusterExtension shared() {
        return new LocalClusterExtension(LocalKafkaCluster::start, true);
    }

    /** A three-node cluster of this class's own, with the default settings. */
    static LocalClusterExtension own() {
        return own(LocalKafkaCluster::start);
    }

    /** A cluster of this class's own, started by {@code starter} (listener security, node count, partitions). */
    static LocalClusterExtension own(Supplier<LocalKafkaCluster> starter) {
        return new LocalClusterExtension(starter, false);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (shared) {
            // The root store closes AutoCloseable values when the test run ends.
            cluster = context.getRoot()
                    .getStore(NAMESPACE)
                    .getOrComputeIfAbsent(SHARED_KEY, key -> starter.get(), LocalKafkaCluster.class);
        } else {
            cluster = starter.get();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws TimeoutException {
        if (cluster != null) {
            cluster.heal(HEAL_TIMEOUT);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null && !shared) {
            cluster.close();
        }
        cluster = null;
    }

    /** The running cluster; only valid inside the test class's lifecycle. */
    LocalKafkaCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("the cluster runs only between beforeAll and afterAll");
        }
        return cluster;
    }
}
