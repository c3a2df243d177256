package org.sentimentstream.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.sentimentstream.cli.Main;
import org.sentimentstream.localbroker.ChildJvm;
import org.sentimentstream.localbroker.ChildMain.WhenParentExits;

/**
 * The service's command line ({@code Main run ...}) in its own JVM, as a deployment runs it. The child
 * halts at once when the test JVM is gone, so a killed test run leaves no service behind.
 */
final class ServiceProcess {

    private static final Duration KILL_WAIT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(90);

    private final List<String> arguments;
    private final Path logFile;
    private final String maxHeap;
    private final List<String> extraJvmOptions;
    private Process process;

    ServiceProcess(List<String> arguments, Path logFile) {
        this(arguments, logFile, "512m");
    }

    ServiceProcess(List<String> arguments, Path logFile, String maxHeap) {
        this(arguments, logFile, maxHeap, List.of());
    }

    /** With more JVM options (system properties such as {@code -Dkafka.log.level=INFO}). */
    ServiceProcess(List<String> arguments, Path logFile, List<String> extraJvmOptions) {
        this(arguments, logFile, "512m", extraJvmOptions);
    }

    private ServiceProcess(List<String> arguments, Path logFile, String maxHeap, List<String> extraJvmOptions) {
        this.arguments = List.copyOf(arguments);
        this.logFile = logFile;
        this.maxHeap = maxHeap;
        this.extraJvmOptions = List.copyOf(extraJvmOptions);
    }

    void start() throws IOException {
        List<String> jvmOptions = new ArrayList<>(List.of("-Xmx" + maxHeap, "-XX:+UseSerialGC"));
        jvmOptions.addAll(extraJvmOptions);
        String avroPackages = System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES");
        if (avroPackages != null) {
            jvmOptions.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=" + avroPackages);
        }
        process = ChildJvm.builder(Main.class.getName())
                .jvmOptions(jvmOptions)
                .watchParent(WhenParentExits.HALT)
                .arguments(arguments)
                .start(null, logFile);
    }

    /** Waits for the service to exit by itself; returns its exit code, or fails after the timeout (killing it). */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!ChildJvm.awaitExit(process, timeout)) {
            ChildJvm.kill(process, KILL_WAIT);
            throw new IllegalStateException("the service did not exit within " + timeout + ":\n" + logTail());
        }
        return process.exitValue();
    }

    /** SIGKILL, as a crash or an OOM kill would: nothing is flushed or committed. */
    void kill() throws InterruptedException {
        ChildJvm.kill(process, KILL_WAIT);
    }

    /** SIGTERM, as a deployment stops it; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!ChildJvm.awaitExit(process, STOP_GRACE)) {
            ChildJvm.kill(process, KILL_WAIT);
            throw new IllegalStateException(
                    "the service did not stop within " + STOP_GRACE.toSeconds() + " s of SIGTERM:\n" + logTail());
        }
        return process.exitValue();
    }

    /** The exit code of a service that has exited by itself. */
    int exitValue() {
        return process.exitValue();
    }

    /** The last line of its log (the one-line error of a service that stopped after a failure). */
    String lastLogLine() {
        String tail = logTail();
        return tail.substring(tail.lastIndexOf('\n') + 1);
    }

    /** SIGSTOP: the JVM stays but answers nothing (a long GC pause, a frozen VM). */
    void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process signal = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        if (!ChildJvm.awaitExit(signal, KILL_WAIT) || signal.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** The resident set size of the JVM in kB (VmRSS of /proc), or -1 where /proc cannot tell. */
    long residentKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * The Java heap in use in kB (survivor, eden and old spaces of {@code jstat -gc}, read from the JVM's
     * performance counters, no attach), or -1 where jstat cannot tell (the JVM not yet up, or gone).
     */
    long heapUsedKb() throws InterruptedException {
        Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
        try {
            Process query = new ProcessBuilder(jstat.toString(), "-gc", Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .start();
            String output = new String(query.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!ChildJvm.awaitExit(query, KILL_WAIT) || query.exitValue() != 0) {
                return -1;
            }
            String[] lines = output.strip().split("\\R");
            List<String> names = List.of(lines[0].strip().split("\\s+"));
            String[] values = lines[lines.length - 1].strip().split("\\s+");
            double used = 0;
            for (String column : List.of("S0U", "S1U", "EU", "OU")) {
                used += Double.parseDouble(values[names.indexOf(column)]);
            }
            return Math.round(used);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
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
