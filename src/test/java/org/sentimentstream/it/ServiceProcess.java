package org.sentimentstream.it;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.sentimentstream.cli.Main;
import org.sentimentstream.localbroker.ChildClassPath;

/** The service's command line ({@code Main run ...}) in its own JVM, as a deployment runs it. */
final class ServiceProcess {

    private final List<String> arguments;
    private final Path logFile;
    private Process process;

    ServiceProcess(List<String> arguments, Path logFile) {
        this.arguments = List.copyOf(arguments);
        this.logFile = logFile;
    }

    void start() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-XX:+UseSerialGC");
        String avroPackages = System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES");
        if (avroPackages != null) {
            command.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=" + avroPackages);
        }
        command.add("-cp");
        command.add(ChildClassPath.current());
        command.add(ChildLauncher.class.getName());
        command.add(Long.toString(ProcessHandle.current().pid()));
        command.add(Main.class.getName());
        command.addAll(arguments);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(logFile.toFile()))
                .start();
    }

    /** Waits for the service to exit by itself; returns its exit code, or fails after the timeout (killing it). */
    int awaitExit(java.time.Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the service did not exit within " + timeout + ":\n" + logTail());
        }
        return process.exitValue();
    }

    /** SIGKILL, as a crash or an OOM kill would: nothing is flushed or committed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the service survived SIGKILL");
        }
    }

    /** SIGTERM, as a deployment stops it; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the service did not stop within 90 s of SIGTERM:\n" + logTail());
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }
}
