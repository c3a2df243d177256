/*
 * Runs a local schema registry (Apicurio Registry 3, Confluent-compatible API, its own Java 21+ JVM on 127.0.0.1:
 * the project's LocalSchemaRegistry) until this JVM gets SIGTERM, for benchmarks/e2e.sh. The registry is stopped
 * by its own process handle when this JVM exits, and exits by itself if this JVM is killed.
 *
 *   java -cp target/sentiment-stream-devtools.jar benchmarks/tools/LocalRegistry.java REGISTRY_HOME FOLDER
 *
 * REGISTRY_HOME: the distribution `mvn verify` unpacks (target/apicurio-registry); FOLDER: its storage and log.
 * The Java 21+ runtime is found as the tests find it (SENTIMENT_REGISTRY_JAVA, else /usr/lib/jvm). Prints
 * "Schema registry ready: URL (pid N)" once it answers.
 */

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.sentimentstream.localbroker.LocalSchemaRegistry;

public final class LocalRegistry {

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        Path folder = Files.createDirectories(Path.of(args[1]));
        Path java = LocalSchemaRegistry.findJava()
                .orElseThrow(() -> new IllegalStateException("no Java " + LocalSchemaRegistry.REQUIRED_JAVA
                        + "+ runtime: set " + LocalSchemaRegistry.JAVA_ENVIRONMENT));
        LocalSchemaRegistry registry = LocalSchemaRegistry.create(home, java, folder).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            registry.close();
            stopped.countDown();
        }));
        Duration took = registry.awaitReady();
        System.out.printf("Schema registry ready: %s (pid %d, %d s)%n", registry.url(), registry.pid(), took.toSeconds());
        System.out.flush();
        stopped.await();
    }
}
