package org.sentimentstream.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.sentimentstream.localbroker.LocalSchemaRegistry;

/**
 * One real schema registry (Apicurio Registry 3, Confluent-compatible API, its own Java 21+ JVM on
 * 127.0.0.1) for all the tests of a class: started before the first test, stopped by its process id after
 * the last. It is started without waiting, so that a broker extension registered after it starts
 * meanwhile; {@link #registry()} waits until it answers.
 *
 * <p>It needs the distribution that {@code mvn verify} unpacks into {@code target/apicurio-registry}
 * (system property {@code sentiment.it.registry.home}, set by the failsafe configuration) and a Java 21+
 * runtime ({@link LocalSchemaRegistry#findJava()}). Without either the class's tests fail in CI
 * ({@code CI=true}) and are skipped elsewhere, with a message that says what is missing.
 *
 * <pre>{@code
 * @RegisterExtension @Order(1) static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();
 * @RegisterExtension @Order(2) static final LocalBrokerExtension KAFKA = new LocalBrokerExtension();
 * }</pre>
 */
final class SchemaRegistryExtension implements BeforeAllCallback, AfterAllCallback {

    static final String HOME_PROPERTY = "sentiment.it.registry.home";

    private final UnaryOperator<LocalSchemaRegistry> configure;
    private LocalSchemaRegistry registry;
    private Path directory;
    private boolean ready;

    /** A registry with the default settings (plain HTTP, no authentication). */
    SchemaRegistryExtension() {
        this(registry -> registry);
    }

    /** A registry configured by {@code configure} before it starts (TLS, basic auth). */
    SchemaRegistryExtension(UnaryOperator<LocalSchemaRegistry> configure) {
        this.configure = configure;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Path home = Path.of(System.getProperty(HOME_PROPERTY, "target/apicurio-registry"));
        if (!Files.isRegularFile(home.resolve("quarkus-run.jar"))) {
            unavailable("no Apicurio Registry distribution in " + home.toAbsolutePath()
                    + ": `mvn verify` unpacks io.apicurio:apicurio-registry-app:tar.gz:all there"
                    + " (pre-integration-test phase)");
        }
        Optional<Path> java = LocalSchemaRegistry.findJava();
        if (java.isEmpty()) {
            unavailable("the schema registry (Apicurio Registry) needs a Java " + LocalSchemaRegistry.REQUIRED_JAVA
                    + "+ runtime and none was found: set -D" + LocalSchemaRegistry.JAVA_PROPERTY + " or "
                    + LocalSchemaRegistry.JAVA_ENVIRONMENT + " to its java, or install one under /usr/lib/jvm");
        }
        directory = Files.createTempDirectory("it-registry-");
        registry = configure
                .apply(LocalSchemaRegistry.create(home, java.get(), directory))
                .start();
    }

    private static void unavailable(String why) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("Cannot run the schema registry tests: " + why);
        }
        Assumptions.abort("Skipped (outside CI): " + why);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (registry != null) {
            registry.close();
            registry = null;
        }
        if (directory != null) {
            try (var paths = Files.walk(directory)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    /** The running registry, once its API answers; only valid inside the test class's lifecycle. */
    synchronized LocalSchemaRegistry registry() {
        if (registry == null) {
            throw new IllegalStateException("the registry runs only between beforeAll and afterAll");
        }
        if (!ready) {
            registry.awaitReady();
            ready = true;
        }
        return registry;
    }

    /** Its Confluent-compatible API, for {@code schema.registry.url}. */
    String url() {
        return registry().url();
    }

    /** Whether the registry's process runs (without waiting for it to answer). */
    synchronized boolean isRunning() {
        return registry != null && registry.isRunning();
    }

    /** Stops the registry (its schemas stay stored); {@link #restart()} brings it back on the same URL. */
    synchronized void stop() {
        registry().stop();
        ready = false;
    }

    /** Starts the stopped registry again and waits until it answers. */
    synchronized void restart() {
        registry.start();
        registry();
    }
}
