package org.sentimentstream.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The {@code kcat} command line (Debian package {@code kcat}, installed by {@code .ci/run}): a Kafka client
 * this project did not write, for the tests of what users' own tools write. As an {@link ExecutionCondition}
 * it skips a test class, with the reason, when kcat is not installed; under {@code CI=true} it fails the
 * class instead, so CI never skips these tests silently.
 */
final class Kcat implements ExecutionCondition {

    private static final long TIMEOUT_SECONDS = 120;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isPresent()) {
            return ConditionEvaluationResult.enabled("kcat was checked for the class");
        }
        String problem = whyUnavailable();
        if (problem == null) {
            return ConditionEvaluationResult.enabled("kcat runs here");
        }
        String message = problem + "; install it with apt-get install -y kcat (.ci/run does)";
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true, and the kcat tests cannot run: " + message);
        }
        return ConditionEvaluationResult.disabled("Skipped (CI is not set): " + message);
    }

    private static String whyUnavailable() {
        try {
            Process probe =
                    new ProcessBuilder("kcat", "-V").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            if (!probe.waitFor(30, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                return "kcat -V did not answer in 30 s";
            }
            return probe.exitValue() == 0 ? null : "kcat -V exits with " + probe.exitValue();
        } catch (IOException e) {
            return "kcat cannot be started (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while probing kcat";
        }
    }

    /**
     * Produces {@code input} (lines separated by newlines, each {@code key<TAB>value} when {@code keyed}) to a
     * topic with {@code kcat -P}, and waits until kcat has flushed them and exited.
     */
    static void produce(String bootstrapServers, String topic, boolean keyed, byte[] input) throws Exception {
        List<String> command = new ArrayList<>(List.of("kcat", "-P", "-b", bootstrapServers, "-t", topic));
        if (keyed) {
            command.addAll(List.of("-K", "\t"));
        }
        Process kcat = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream stdin = kcat.getOutputStream()) {
            stdin.write(input);
        }
        String output = new String(kcat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!kcat.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            kcat.destroyForcibly();
            throw new IllegalStateException("kcat did not finish in " + TIMEOUT_SECONDS + " s: " + output);
        }
        if (kcat.exitValue() != 0) {
            throw new IllegalStateException("kcat exited with " + kcat.exitValue() + ": " + output);
        }
    }
}
