package org.sentimentstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The commands' behaviour that needs no Kafka: classification with the bundled model, and failures. */
class CommandsTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path folder;

    private int run(String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void shouldClassifyArgumentsWithTheBundledModel() throws Exception {
        int exitCode = run("classify", "i love this phone", "this is the worst day ever");

        assertThat(exitCode).as(err.toString()).isZero();
        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(2);
        ObjectMapper mapper = new ObjectMapper();
        JsonNode positive = mapper.readTree(lines[0]);
        JsonNode negative = mapper.readTree(lines[1]);
        assertThat(positive.get("text").asText()).isEqualTo("i love this phone");
        assertThat(positive.get("label").asText()).isEqualTo("positive");
        assertThat(negative.get("label").asText()).isEqualTo("negative");
        assertThat(positive.get("probabilities").get("positive").asDouble()
                        + positive.get("probabilities").get("negative").asDouble())
                .isBetween(0.9999, 1.0001);
        assertThat(positive.get("model_name").asText()).isNotBlank();
        assertThat(positive.get("model_version").asText()).isNotBlank();
        assertThat(positive.get("truncated").isBoolean()).isTrue();
    }

    @Test
    void shouldRefuseACorruptModelFileWithOneLineAndTheUsageExitCode() throws Exception {
        Path corrupt = Files.writeString(folder.resolve("corrupt.onnx"), "not a model", StandardCharsets.UTF_8);

        int exitCode = run("classify", "--model", corrupt.toString(), "hello");

        assertThat(exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip())
                .startsWith("sentiment-stream classify: error: ")
                .contains(corrupt.toString())
                .doesNotContain("\n")
                .doesNotContain("\tat ");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void shouldNameAMissingModelFileAsBadUsage() {
        assertThat(run("classify", "--model", folder.resolve("missing.onnx").toString(), "hello"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--model", "missing.onnx");
    }

    @Test
    void shouldNameTheBadSettingOnOneLineWithExitCodeTwo() {
        int exitCode = run("run", "--bootstrap-servers", "127.0.0.1:1", "--set", "processing.guarantee=twice");

        assertThat(exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip())
                .startsWith("sentiment-stream run: error: ")
                .contains("processing.guarantee")
                .doesNotContain("\n");
    }

    @Test
    void shouldStopWithExitCodeTwoNamingMetricsPortWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int exitCode = run(
                    "run",
                    "--bootstrap-servers",
                    "127.0.0.1:1",
                    "--set",
                    "metrics.address=127.0.0.1",
                    "--set",
                    "metrics.port=" + taken.getLocalPort(),
                    "--set",
                    "state.dir=" + folder.resolve("state"));

            assertThat(exitCode).as(err.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(err.toString().strip())
                    .startsWith("sentiment-stream run: error: ")
                    .contains("metrics.port")
                    .doesNotContain("\n");
        }
    }

    @Test
    void shouldRequireTheBootstrapServers() {
        assertThat(run("run")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("bootstrap.servers");
    }

    @Test
    void shouldReportAnUnreadableConfigFile() {
        assertThat(run("run", "--config", folder.resolve("nope.properties").toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("nope.properties");
    }

    @Test
    void shouldLetTheCommandLineWinOverTheConfigFile() throws Exception {
        Path file = Files.writeString(
                folder.resolve("service.properties"),
                "bootstrap.servers=127.0.0.1:1\nbatch.max.records=0\n",
                StandardCharsets.UTF_8);

        int fromFile = run("run", "--config", file.toString());
        String fileError = err.toString();
        err.getBuffer().setLength(0);
        int overridden = run("run", "--config", file.toString(), "--set", "batch.max.records=-7");

        assertThat(fromFile).isEqualTo(ExitCodes.USAGE);
        assertThat(fileError).contains("Invalid value 0 for configuration batch.max.records");
        assertThat(overridden).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("Invalid value -7 for configuration batch.max.records");
    }

    @Test
    void shouldListEverySettingWithoutConnecting() {
        assertThat(run("run", "--list-settings")).isZero();
        assertThat(out.toString()).contains("bootstrap.servers", "processing.guarantee", "model.path", "input.topic");
    }
}
