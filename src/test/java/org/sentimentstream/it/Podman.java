package org.sentimentstream.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.sentimentstream.deploy.DeploymentFiles;

/**
 * The {@code podman} command line, for the container tests. The runtime is podman's configured one (CI
 * configures runc: deploy/ci/prepare-podman.sh). As an {@link ExecutionCondition} ({@code @ExtendWith}) it skips
 * a test class, with the reason, when podman cannot run the Dockerfile's base image here; under {@code CI=true}
 * it fails the class instead, so CI never skips the container tests silently.
 */
final class Podman implements ExecutionCondition {

    private static final Duration CHECK_TIMEOUT = Duration.ofMinutes(1);

    /** What a podman command did. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {

        boolean succeeded() {
            return exitCode == 0;
        }

        /** The standard output, trimmed; fails with the command's error output if it exited non-zero. */
        String checked() {
            if (!succeeded()) {
                throw new IllegalStateException(
                        String.join(" ", command) + " exited with " + exitCode + ":\n" + stderr + stdout);
            }
            return stdout.trim();
        }
    }

    /** Runs {@code podman ARGS...} in the working directory (the repository root), killing it after the timeout. */
    static Result run(Duration timeout, String... args) {
        List<String> command = new ArrayList<>();
        command.add("podman");
        command.addAll(List.of(args));
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("podman-out", ".txt");
            err = Files.createTempFile("podman-err", ".txt");
            Process process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
            }
            return new Result(
                    command,
                    process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(command, -1, "", "cannot run podman: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Why podman cannot run containers of the Dockerfile's base image here, if it cannot. */
    static Optional<String> whyUnavailable() {
        String baseImage = DeploymentFiles.dockerfileArgument("JRE_IMAGE").orElse("eclipse-temurin:17-jre");
        Result version = run(CHECK_TIMEOUT, "--version");
        if (!version.succeeded()) {
            return Optional.of("podman is not installed or does not start ("
                    + version.stderr().trim() + ")");
        }
        Result probe = run(
                CHECK_TIMEOUT, "run", "--rm", "--no-healthcheck", "--pull=never", "--entrypoint", "true", baseImage);
        if (!probe.succeeded()) {
            return Optional.of("podman cannot run the base image " + baseImage + " ("
                    + probe.stderr().trim() + ")");
        }
        return Optional.empty();
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isPresent()) {
            // Decided once for the class: its methods run only if the class was enabled.
            return ConditionEvaluationResult.enabled("podman was checked for the class");
        }
        Optional<String> reason = whyUnavailable();
        if (reason.isEmpty()) {
            return ConditionEvaluationResult.enabled("podman runs containers here");
        }
        String message = reason.get() + "; deploy/ci/prepare-podman.sh sets podman and the base image up";
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true, and the container tests cannot run: " + message);
        }
        return ConditionEvaluationResult.disabled("Skipped (CI is not set): " + message);
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A temporary file of the OS's temp folder; nothing to do about it.
            file.toFile().deleteOnExit();
        }
    }
}
