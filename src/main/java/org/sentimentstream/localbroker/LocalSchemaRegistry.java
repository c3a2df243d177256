package org.sentimentstream.localbroker;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local schema registry with the Confluent REST API: Apicurio Registry 3 (Apache-2.0, a Quarkus
 * application that needs Java 21+) in its own JVM, bound to 127.0.0.1, for the integration tests and the
 * demo. Its Confluent-compatible API is {@link #url()} ({@code http://127.0.0.1:PORT/apis/ccompat/v7}).
 *
 * <p>Settings that matter (see the project's notes): the management interface on 127.0.0.1 and an
 * ephemeral port (otherwise it listens on 0.0.0.0:9000), BACKWARD compatibility (Confluent's default; the
 * registry's own is none), and its storage in an H2 file in its folder, so that {@link #stop()} and
 * {@link #start()} keep the schemas and their ids, as a real registry's storage does.
 *
 * <p>The child exits by itself when the JVM that started it is gone ({@link RegistryLauncher}); it is
 * stopped by its own process handle, never by name.
 */
public final class LocalSchemaRegistry implements AutoCloseable {

    /** The Java version the registry needs. */
    public static final int REQUIRED_JAVA = 21;
    /** System property, then environment variable, naming the java executable (or a JDK/JRE home) to run it. */
    public static final String JAVA_PROPERTY = "sentiment.registry.java";

    public static final String JAVA_ENVIRONMENT = "SENTIMENT_REGISTRY_JAVA";

    private static final Logger LOG = LoggerFactory.getLogger(LocalSchemaRegistry.class);
    private static final String API_PATH = "/apis/ccompat/v7";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Path home;
    private final Path javaExecutable;
    private final Path directory;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final List<String> securityOptions = new ArrayList<>();
    private Optional<String> basicAuth = Optional.empty();
    private int httpsPort = -1;
    private Process process;
    private long startedAtNanos;

    private LocalSchemaRegistry(Path home, Path java, Path directory) {
        this.home = home;
        this.javaExecutable = java;
        this.directory = directory;
        this.port = freePort();
    }

    /**
     * A registry (not started) from the unpacked distribution in {@code home} (the folder of
     * {@code quarkus-run.jar}), run by {@code java}, keeping its storage and log in {@code directory}.
     */
    public static LocalSchemaRegistry create(Path home, Path java, Path directory) {
        if (!Files.isRegularFile(home.resolve("quarkus-run.jar"))) {
            throw new IllegalArgumentException(home + " holds no quarkus-run.jar: not an unpacked Apicurio Registry"
                    + " distribution (io.apicurio:apicurio-registry-app:tar.gz:all)");
        }
        return new LocalSchemaRegistry(home.toAbsolutePath(), java, directory.toAbsolutePath());
    }

    /**
     * A java executable of version {@value #REQUIRED_JAVA} or later: the one {@link #JAVA_PROPERTY} or
     * {@link #JAVA_ENVIRONMENT} names, this JVM if it is recent enough, or one under /usr/lib/jvm.
     */
    public static Optional<Path> findJava() {
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getProperty(JAVA_PROPERTY))
                .or(() -> Optional.ofNullable(System.getenv(JAVA_ENVIRONMENT)))
                .filter(value -> !value.isBlank())
                .ifPresent(value -> candidates.add(Path.of(value)));
        if (Runtime.version().feature() >= REQUIRED_JAVA) {
            candidates.add(Path.of(System.getProperty("java.home")));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> homes = Files.list(jvms)) {
                homes.sorted(Comparator.reverseOrder()).forEach(candidates::add);
            } catch (IOException e) {
                LOG.debug("Cannot list {}", jvms, e);
            }
        }
        for (Path candidate : candidates) {
            Path executable =
                    Files.isDirectory(candidate) ? candidate.resolve("bin").resolve("java") : candidate;
            Path jdkHome = executable.getParent() == null
                    ? null
                    : executable.getParent().getParent();
            if (Files.isExecutable(executable) && jdkHome != null && javaVersion(jdkHome) >= REQUIRED_JAVA) {
                return Optional.of(executable);
            }
        }
        return Optional.empty();
    }

    /** The feature version in a Java home's {@code release} file, or 0 when it cannot be read. */
    private static int javaVersion(Path javaHome) {
        Path release = javaHome.resolve("release");
        if (!Files.isRegularFile(release)) {
            return 0;
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(release)) {
            properties.load(in);
        } catch (IOException e) {
            return 0;
        }
        String version = properties.getProperty("JAVA_VERSION", "").replace("\"", "");
        try {
            return Integer.parseInt(version.split("[.+-]")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Its folder (storage, log; a place for a key store). */
    public Path directory() {
        return directory;
    }

    /**
     * Serves HTTPS too ({@link #httpsUrl()}), with the key and certificate of a PKCS12 key store. Before
     * {@link #start()}.
     */
    public synchronized LocalSchemaRegistry withTls(Path pkcs12KeyStore, String password) {
        httpsPort = freePort();
        securityOptions.addAll(List.of(
                "-Dquarkus.http.ssl-port=" + httpsPort,
                "-Dquarkus.http.ssl.certificate.key-store-file=" + pkcs12KeyStore.toAbsolutePath(),
                "-Dquarkus.http.ssl.certificate.key-store-password=" + password));
        return this;
    }

    /**
     * Requires HTTP basic auth for its API, with one user (Quarkus' embedded users: enough to check a
     * client's credentials; not Apicurio's role-based authorization). Before {@link #start()}.
     */
    public synchronized LocalSchemaRegistry withBasicAuth(String user, String password) {
        securityOptions.addAll(List.of(
                "-Dquarkus.http.auth.basic=true",
                "-Dquarkus.security.users.embedded.enabled=true",
                "-Dquarkus.security.users.embedded.plain-text=true",
                "-Dquarkus.security.users.embedded.users." + user + "=" + password,
                "-Dquarkus.http.auth.permission.api.paths=/apis/*",
                "-Dquarkus.http.auth.permission.api.policy=authenticated"));
        basicAuth = Optional.of(
                Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    /** Starts the registry's JVM and returns at once; {@link #awaitReady()} waits for its API. */
    public synchronized LocalSchemaRegistry start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the registry is already running (pid " + process.pid() + ")");
        }
        try {
            Files.createDirectories(directory);
            Path launcherDir = writeLauncher();
            List<String> command = new ArrayList<>(List.of(
                    javaExecutable.toString(),
                    "-Xmx256m",
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "-Dquarkus.http.host=127.0.0.1",
                    "-Dquarkus.http.port=" + port,
                    "-Dquarkus.management.host=127.0.0.1",
                    "-Dquarkus.management.port=0",
                    "-Dquarkus.http.access-log.enabled=false",
                    "-Dquarkus.log.console.level=WARN",
                    "-Dapicurio.rules.global.compatibility=BACKWARD",
                    "-Dapicurio.datasource.url=jdbc:h2:file:"
                            + directory.resolve("registry-db").toAbsolutePath()));
            command.addAll(securityOptions);
            command.addAll(List.of(
                    "-cp",
                    launcherDir + File.pathSeparator + home.resolve("quarkus-run.jar"),
                    RegistryLauncher.class.getName(),
                    Long.toString(ProcessHandle.current().pid())));
            process = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(logFile().toFile()))
                    .start();
            startedAtNanos = System.nanoTime();
            LOG.info("Started Apicurio Registry (pid {}) on {}, folder {}", process.pid(), url(), directory);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the schema registry with " + javaExecutable, e);
        }
    }

    /**
     * Waits until the registry's API answers; returns how long it took since {@link #start()}.
     *
     * @throws IllegalStateException when the registry exits or does not answer within 120 s
     */
    public Duration awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        HttpRequest.Builder probeBuilder = HttpRequest.newBuilder(URI.create(url() + "/subjects"))
                .timeout(Duration.ofSeconds(5))
                .GET();
        basicAuth.ifPresent(credentials -> probeBuilder.header("Authorization", "Basic " + credentials));
        HttpRequest probe = probeBuilder.build();
        while (true) {
            Process child;
            synchronized (this) {
                child = process;
            }
            if (child == null || !child.isAlive()) {
                throw new IllegalStateException("the schema registry exited during start-up:\n" + logTail());
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    Duration took = Duration.ofNanos(System.nanoTime() - startedAtNanos);
                    LOG.info("Apicurio Registry on {} ready {} ms after its start", url(), took.toMillis());
                    return took;
                }
            } catch (IOException e) {
                LOG.trace("Registry not ready yet", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the schema registry", e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the schema registry did not answer within " + START_TIMEOUT.toSeconds() + " s:\n" + logTail());
            }
            sleep(POLL);
        }
    }

    /** The base URL of its Confluent-compatible API, for {@code schema.registry.url}. */
    public String url() {
        return "http://127.0.0.1:" + port + API_PATH;
    }

    /**
     * The base URL of its Confluent-compatible API over HTTPS (after {@link #withTls}), named by IP address,
     * which the certificate must hold as a subject alternative name.
     */
    public String httpsUrl() {
        if (httpsPort < 0) {
            throw new IllegalStateException("the registry serves no HTTPS: see withTls");
        }
        return "https://127.0.0.1:" + httpsPort + API_PATH;
    }

    /** Its process id, while it runs. */
    public synchronized long pid() {
        return process.pid();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** SIGTERM, then SIGKILL after a grace period; its storage stays for {@link #start()}. */
    public synchronized void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn(
                        "The schema registry (pid {}) did not stop within {} s; killing it",
                        process.pid(),
                        STOP_GRACE.toSeconds());
                process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        LOG.info("Stopped the schema registry on {}", url());
    }

    @Override
    public void close() {
        stop();
    }

    /** The last lines of the registry's output. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile() + ": " + e + ")";
        }
    }

    private Path logFile() {
        return directory.resolve("registry.log");
    }

    /**
     * Copies the launcher class into the registry's folder, so that the registry's class path holds only it
     * and {@code quarkus-run.jar} (not this project's jars), whether this class comes from a folder or a jar.
     */
    private Path writeLauncher() throws IOException {
        String resource = RegistryLauncher.class.getName().replace('.', '/') + ".class";
        Path target = directory.resolve("launcher").resolve(resource);
        Files.createDirectories(target.getParent());
        try (InputStream in = RegistryLauncher.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("cannot find " + resource);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return directory.resolve("launcher");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
