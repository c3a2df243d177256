package org.sentimentstream.localbroker;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.sentimentstream.localbroker.ChildMain.WhenParentExits;

/**
 * A JVM started by this one on the same class path: the local Kafka broker, and the service in the
 * integration tests. The child runs this JVM's {@code java}, its output (standard output and error
 * together) is appended to a file, and its standard input is empty. With {@link Builder#watchParent} it
 * runs through {@link ChildMain}, which ends it when this JVM is gone.
 *
 * <pre>{@code
 * Process child = ChildJvm.builder("kafka.Kafka")
 *         .jvmOptions("-Xmx512m")
 *         .watchParent(WhenParentExits.EXIT)
 *         .arguments("server.properties")
 *         .start(folder, folder.resolve("broker.log"));
 * }</pre>
 */
public final class ChildJvm {

    private ChildJvm() {}

    /** The {@code java} executable of this JVM. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A child JVM that runs {@code mainClass}. */
    public static Builder builder(String mainClass) {
        return new Builder(mainClass);
    }

    /**
     * Waits up to {@code timeout} for the process to exit; returns whether it did. The process is left
     * as it is when it did not.
     */
    public static boolean awaitExit(Process process, Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Kills the process (SIGKILL) and waits for it to be gone; returns its exit code.
     *
     * @throws IllegalStateException when it is still alive after {@code timeout}
     */
    public static int kill(Process process, Duration timeout) throws InterruptedException {
        process.destroyForcibly();
        if (!awaitExit(process, timeout)) {
            throw new IllegalStateException(
                    "process " + process.pid() + " survived SIGKILL for " + timeout.toSeconds() + " s");
        }
        return process.exitValue();
    }

    /** Settings of one child JVM; {@link #command()} is its command line, {@link #start} starts it. */
    public static final class Builder {
        private final String mainClass;
        private final List<String> jvmOptions = new ArrayList<>();
        private final List<String> arguments = new ArrayList<>();
        private String classPath;
        private WhenParentExits whenParentExits;

        private Builder(String mainClass) {
            this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
        }

        /** Options of the JVM itself ({@code -Xmx512m}, {@code -Dname=value}), in order. */
        public Builder jvmOptions(String... options) {
            return jvmOptions(List.of(options));
        }

        /** Options of the JVM itself, in order. */
        public Builder jvmOptions(Collection<String> options) {
            jvmOptions.addAll(options);
            return this;
        }

        /** The arguments of the main class, in order. */
        public Builder arguments(String... values) {
            return arguments(List.of(values));
        }

        /** The arguments of the main class, in order. */
        public Builder arguments(Collection<String> values) {
            arguments.addAll(values);
            return this;
        }

        /** The class path; by default this JVM's ({@link ChildClassPath#current()}). */
        public Builder classPath(String value) {
            this.classPath = Objects.requireNonNull(value, "classPath");
            return this;
        }

        /**
         * Runs the main class through {@link ChildMain}, which ends the child when this JVM is gone, the
         * way {@code whenParentExits} says. Without it the child outlives this JVM.
         */
        public Builder watchParent(WhenParentExits whenParentExits) {
            this.whenParentExits = Objects.requireNonNull(whenParentExits, "whenParentExits");
            return this;
        }

        /** The command line: java, JVM options, class path, then the main class (or the watchdog) and arguments. */
        public List<String> command() {
            List<String> command = new ArrayList<>();
            command.add(javaExecutable());
            command.addAll(jvmOptions);
            command.add("-cp");
            command.add(classPath == null ? ChildClassPath.current() : classPath);
            if (whenParentExits != null) {
                command.add(ChildMain.class.getName());
                command.add(Long.toString(ProcessHandle.current().pid()));
                command.add(whenParentExits.name());
            }
            command.add(mainClass);
            command.addAll(arguments);
            return command;
        }

        /**
         * Starts the child in {@code workingDirectory} (null: this JVM's), its output appended to
         * {@code outputFile}.
         */
        public Process start(Path workingDirectory, Path outputFile) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(command())
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(outputFile.toFile()))
                    .redirectInput(Redirect.from(nullDevice()));
            if (workingDirectory != null) {
                builder.directory(workingDirectory.toFile());
            }
            return builder.start();
        }
    }

    private static File nullDevice() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
