package org.sentimentstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void shouldListEveryCommandInTheHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("demo", "run", "classify", "produce", "consume", "broker");
    }

    @Test
    void shouldExitWithUsageCodeForAnUnknownCommand() {
        assertThat(run("no-such-command")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("no-such-command");
    }

    @Test
    void shouldPrintUsageAndExitWithUsageCodeWithoutACommand() {
        assertThat(run()).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("Usage: sentiment-stream");
    }

    @Test
    void shouldDescribeAFailureOnOneLineWithItsCauses() {
        Exception failure = new IllegalStateException(
                "cannot start the service",
                new ExecutionException(new ConfigException("model.path", "/nope", "no such file")));

        String message = FailureHandler.describe(failure);

        assertThat(message)
                .isEqualTo("cannot start the service: Invalid value /nope for configuration model.path: no such file");
        assertThat(message).doesNotContain("\n");
    }

    @Test
    void shouldNotRepeatACauseMessageThatTheWrapperAlreadyQuotes() {
        Exception cause = new IllegalArgumentException("bad port 70000");
        Exception failure = new IllegalStateException(cause.toString(), cause);

        assertThat(FailureHandler.describe(failure)).isEqualTo("java.lang.IllegalArgumentException: bad port 70000");
    }

    @Test
    void shouldNameTheExceptionTypeWhenThereIsNoMessage() {
        assertThat(FailureHandler.describe(new NullPointerException())).isEqualTo("NullPointerException");
    }
}
