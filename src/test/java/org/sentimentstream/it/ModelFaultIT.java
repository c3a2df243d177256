package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sentimentstream.model.TestModels;

/**
 * A model file that cannot be used stops the service at start-up, as a deployment sees it: {@code run} in
 * its own JVM, pointed at a missing, truncated or wrong-signature model, exits with code 2 (bad
 * configuration), and its whole output (logs included) ends with one line naming the file and the
 * problem, with no stack trace anywhere. No broker is needed: the model is loaded before Kafka is
 * contacted.
 */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ModelFaultIT {

    private static final Pattern STACK_TRACE_LINE =
            Pattern.compile("^\\s+at \\S+\\(.*\\)$|^Caused by: |^Exception in thread |^\\s+\\.\\.\\. \\d+ more$");

    @TempDir
    Path folder;

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("missing", null, 2, "No readable file at this path"),
                Arguments.of("truncated", TestModels.truncatedBundled(), 2, "ONNX Runtime cannot load it as a model"),
                Arguments.of("ids-renamed", TestModels.idsInputRenamed(), 2, "graph inputs are"),
                Arguments.of(
                        "float64-logits",
                        TestModels.doubleLogits(),
                        2,
                        "output logits has element type double, expected float32"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void shouldExitNonZeroWithOneLineAndNoStackTrace(String name, byte[] model, int exitCode, String reason)
            throws Exception {
        Path modelFile = folder.resolve(name + ".onnx");
        if (model != null) {
            Files.write(modelFile, model);
        }
        Path output = folder.resolve(name + ".log");

        int actualExitCode =
                runService(output, "run", "--bootstrap-servers", "127.0.0.1:1", "--set", "model.path=" + modelFile);

        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank())
                .toList();
        assertThat(actualExitCode).as(String.join("\n", lines)).isEqualTo(exitCode);
        assertThat(lines)
                .as("output")
                .isNotEmpty()
                .noneMatch(line -> STACK_TRACE_LINE.matcher(line).find());
        assertThat(lines.get(lines.size() - 1))
                .startsWith("sentiment-stream run: error: ")
                .contains(modelFile.toString())
                .contains(reason);
    }

    /** Runs the command line in a child JVM; stdout and stderr go to the file; returns the exit code. */
    private static int runService(Path output, String... args) throws IOException, InterruptedException {
        ServiceProcess service = new ServiceProcess(List.of(args), output, "256m");
        service.start();
        return service.awaitExit(Duration.ofMinutes(2));
    }
}
