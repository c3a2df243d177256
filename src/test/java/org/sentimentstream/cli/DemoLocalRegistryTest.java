package org.sentimentstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo --local-registry} with settings that need confluent-avro, checked before its registry starts. */
class DemoLocalRegistryTest {

    @TempDir
    Path folder;

    @Test
    void shouldCheckFieldPathsWithTheLocalRegistrysFormatsBeforeTheRegistryStarts() {
        CommandRunner runner = new CommandRunner();

        int exit = runner.run(
                "demo",
                "--samples",
                "--local-registry",
                "--registry-home",
                folder.resolve("no-registry").toString(),
                "--log-file",
                folder.resolve("demo.log").toString(),
                "--set",
                "input.text.field=message.body");

        // It gets past the settings check (which once refused input.text.field as "not avro") to the registry,
        // which is missing here.
        assertThat(exit).isNotZero();
        assertThat(runner.err()).doesNotContain("Field paths need").contains("--local-registry:");
    }
}
