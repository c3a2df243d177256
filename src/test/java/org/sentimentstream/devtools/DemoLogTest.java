package org.sentimentstream.devtools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The demo's log lines go to its file while it runs, at the configured levels, and only then. */
class DemoLogTest {

    private static final Logger LOG = LoggerFactory.getLogger(DemoLogTest.class);

    @TempDir
    Path folder;

    @Test
    void shouldWriteLogLinesToTheFileWhileOpenAndStopWhenClosed() throws Exception {
        Path file = folder.resolve("demo.log");
        String during = "while-open-" + UUID.randomUUID();
        String after = "after-close-" + UUID.randomUUID();

        Optional<DemoLog> log = DemoLog.toFile(file);
        assertThat(log).as("Log4j is the logging back end").isPresent();
        try (DemoLog demoLog = log.get()) {
            assertThat(demoLog.file()).isEqualTo(file);
            LOG.info("{}", during);
            LOG.debug("debug-is-below-the-configured-level");
        }
        LOG.info("{}", after);

        String written = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(written).contains("INFO  ").contains(during);
        assertThat(written).doesNotContain(after).doesNotContain("debug-is-below-the-configured-level");
    }
}
