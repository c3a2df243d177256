package org.sentimentstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sentimentstream.model.TestModels;
import picocli.CommandLine;

/**
 * A bad model file never starts the service: the service (and {@code classify}) pointed at a bad model file
 * fails at start-up, before it talks to Kafka, with one line naming the file and the problem and a non-zero
 * exit code; never a stack trace. {@code ModelFaultIT} checks the same in a separate JVM, whole output
 * included.
 */
class ModelFaultTest {

    /** Nothing listens there: a command that tried to reach Kafka would fail differently. */
    private static final String NO_BROKER = "127.0.0.1:1";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path folder;

    /**
     * A bad model: how to write it (null: no file at all), the exit code expected, and the reason (a
     * regular expression).
     */
    record Fault(String name, Supplier<byte[]> bytes, int exitCode, String reason) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Fault> faults() {
        return Stream.of(
                new Fault(
                        "missing file",
                        null,
                        ExitCodes.USAGE,
                        "model.path: No readable file at this path|--model: cannot read the file"),
                new Fault("empty file", () -> new byte[0], ExitCodes.USAGE, "empty"),
                new Fault(
                        "truncated bundled model",
                        TestModels::truncatedBundled,
                        ExitCodes.USAGE,
                        "ONNX Runtime cannot load it as a model"),
                new Fault(
                        "random bytes",
                        () -> randomBytes(4096),
                        ExitCodes.USAGE,
                        "ONNX Runtime cannot load it as a model"),
                new Fault("ids input renamed", TestModels::idsInputRenamed, ExitCodes.USAGE, "graph inputs are"),
                new Fault(
                        "ids of type int32",
                        TestModels::idsOfTypeInt32,
                        ExitCodes.USAGE,
                        "input ids has element type int32, expected int64"),
                new Fault(
                        "no lengths input",
                        TestModels::withoutLengthsInput,
                        ExitCodes.USAGE,
                        "expected exactly \\[ids, lengths\\]"),
                new Fault(
                        "float64 logits",
                        TestModels::doubleLogits,
                        ExitCodes.USAGE,
                        "output logits has element type double, expected float32"),
                new Fault(
                        "labels do not match the logits",
                        TestModels::threeLabelsForTwoLogits,
                        ExitCodes.USAGE,
                        "output logits has 2 labels but sentiment\\.labels names 3"),
                new Fault("no vocabulary", TestModels::withoutVocabulary, ExitCodes.USAGE, "sentiment\\.vocabulary"));
    }

    static Stream<Arguments> commandsAndFaults() {
        return faults().flatMap(fault -> Stream.of(Arguments.of("run", fault), Arguments.of("classify", fault)));
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(4).nextBytes(bytes);
        return bytes;
    }

    private Path modelFile(Fault fault) throws IOException {
        Path file = folder.resolve(fault.name().replace(' ', '-') + ".onnx");
        if (fault.bytes() != null) {
            Files.write(file, fault.bytes().get());
        }
        return file;
    }

    private int run(List<String> args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args.toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("commandsAndFaults")
    void shouldFailAtStartUpWithOneLineNamingTheModelAndTheProblem(String command, Fault fault) throws IOException {
        Path model = modelFile(fault);
        List<String> args = command.equals("run")
                ? List.of("run", "--bootstrap-servers", NO_BROKER, "--set", "model.path=" + model)
                : List.of("classify", "--model", model.toString(), "a text");

        int exitCode = run(args);

        assertThat(exitCode).as(err.toString()).isEqualTo(fault.exitCode());
        String message = err.toString().strip();
        assertThat(message)
                .startsWith("sentiment-stream " + command + ": error: ")
                .contains(model.toString())
                .containsPattern(fault.reason())
                .doesNotContain("\n")
                .doesNotContain("\tat ");
        assertThat(out.toString()).isEmpty();
    }
}
