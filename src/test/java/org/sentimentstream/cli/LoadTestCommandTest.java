package org.sentimentstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code loadtest}'s usage errors, found before it talks to Kafka. */
class LoadTestCommandTest {

    private final CommandRunner commands = new CommandRunner();

    @TempDir
    Path folder;

    private int run(String... args) {
        return commands.run(args);
    }

    @Test
    void shouldNameATextsFileItCannotRead() {
        Path missing = folder.resolve("missing.txt");

        int exitCode = run("loadtest", "-b", "127.0.0.1:1", "--texts", missing.toString());

        assertThat(exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(commands.err()).contains("cannot read the texts file").contains(missing.toString());
    }

    @Test
    void shouldRefuseAWarmUpAsLongAsTheRun() {
        int exitCode = run("loadtest", "-b", "127.0.0.1:1", "--events", "10", "--warmup", "10");

        assertThat(exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(commands.err()).contains("warm-up");
    }

    @Test
    void shouldRefuseAnUnreadableRate() {
        int exitCode = run("loadtest", "-b", "127.0.0.1:1", "--rate", "fast");

        assertThat(exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(commands.err()).contains("--rate").contains("max");
    }

    @Test
    void shouldRefuseARunIdWithADash() {
        int exitCode = run("loadtest", "-b", "127.0.0.1:1", "--run-id", "a-b");

        assertThat(exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(commands.err()).contains("run id");
    }

    @Test
    void shouldBeListedInTheMainHelp() {
        run("--help");

        assertThat(commands.out()).contains("loadtest");
    }
}
