package org.sentimentstream.devtools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sentimentstream.localbroker.ChildJvm;

/**
 * What a newcomer sees after {@code make demo}: the built development-tools jar, run as
 * {@code java -jar target/sentiment-stream-devtools.jar demo --samples} in its own process, prints its
 * progress lines and the six labelled results, and no log line reaches the terminal; the log lines are in
 * the file the demo names, and the demo's work folder is gone afterwards. Failsafe runs this after
 * {@code package}, so it also proves that the jars work as built.
 */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DemoIT {

    private static final Duration DEMO_TIMEOUT = Duration.ofMinutes(4);
    /** A result row: label, probability of the label, the text. */
    private static final Pattern RESULT = Pattern.compile("^(negative|positive) +([01]\\.\\d{3})  (.+)$");
    /** A line in the layout of the service's log4j2.xml: a time stamp, then a level. */
    private static final Pattern LOG_LINE =
            Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\S+ +(TRACE|DEBUG|INFO|WARN|ERROR) ");

    private static final Pattern LOG_FILE = Pattern.compile("^Log lines of the service and of Kafka: (\\S+)$");
    private static final Pattern WORK_FOLDER = Pattern.compile("work folder (\\S+), deleted at the end");

    @TempDir
    Path folder;

    @Test
    void shouldPrintItsProgressAndTheSixLabelledResultsButNoLogLine() throws Exception {
        Path jar = Path.of(System.getProperty("basedir", ""), "target", "sentiment-stream-devtools.jar")
                .toAbsolutePath();
        assertThat(jar)
                .as("the devtools jar (mvn package builds it before the integration tests)")
                .isRegularFile();
        Path stdout = folder.resolve("stdout.txt");
        Path stderr = folder.resolve("stderr.txt");

        Process demo = new ProcessBuilder(ChildJvm.javaExecutable(), "-jar", jar.toString(), "demo", "--samples")
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .redirectInput(Redirect.from(new File("/dev/null")))
                .start();
        boolean exited = ChildJvm.awaitExit(demo, DEMO_TIMEOUT);
        if (!exited) {
            ChildJvm.kill(demo, Duration.ofSeconds(30));
        }
        List<String> out = Files.readAllLines(stdout, StandardCharsets.UTF_8);
        List<String> err = Files.readAllLines(stderr, StandardCharsets.UTF_8);
        String terminal =
                "standard output:\n" + String.join("\n", out) + "\nstandard error:\n" + String.join("\n", err);
        Path logFile = Path.of(find(err, LOG_FILE, terminal));
        try {
            assertThat(exited)
                    .as("the demo finished within %s; %s", DEMO_TIMEOUT, terminal)
                    .isTrue();
            assertThat(demo.exitValue()).as(terminal).isZero();

            assertThat(out)
                    .as(terminal)
                    .hasSize(DemoCommand.SAMPLES.size())
                    .allMatch(line -> RESULT.matcher(line).matches());
            assertThat(out.stream().map(DemoIT::textOf))
                    .as("one result per sample text")
                    .containsExactlyInAnyOrderElementsOf(DemoCommand.SAMPLES);
            // The bundled model 1.2.0 (calibrated: 1.1.0 said 0.859); a new model version changes this line.
            assertThat(out).contains("positive  0.837  i love this phone");

            assertThat(err)
                    .as(terminal)
                    .anyMatch(line -> line.startsWith("Starting a local Kafka broker"))
                    .anyMatch(line -> line.startsWith("Service running. Sending 6 texts"))
                    .anyMatch(line -> line.startsWith("All 6 texts classified."))
                    .anyMatch(line -> line.startsWith("Done; the work folder is deleted."));
            List<String> terminalLines = new ArrayList<>(out);
            terminalLines.addAll(err);
            assertThat(terminalLines)
                    .as("log lines on the terminal")
                    .noneMatch(line -> LOG_LINE.matcher(line).find());

            assertThat(logFile).as("the log file the demo named").isRegularFile();
            assertThat(Files.readString(logFile, StandardCharsets.UTF_8))
                    .contains(" INFO  ")
                    .contains("Kafka Streams state REBALANCING -> RUNNING")
                    .contains("Service stopped");
            assertThat(Path.of(find(err, WORK_FOLDER, terminal)))
                    .as("the demo's work folder")
                    .doesNotExist();
        } finally {
            Files.deleteIfExists(logFile);
        }
    }

    private static String textOf(String resultLine) {
        Matcher matcher = RESULT.matcher(resultLine);
        return matcher.matches() ? matcher.group(3) : resultLine;
    }

    /** The first group of the first match of {@code pattern} in {@code lines}; fails naming what was printed. */
    private static String find(List<String> lines, Pattern pattern, String terminal) {
        for (String line : lines) {
            Matcher matcher = pattern.matcher(line);
            if (matcher.find()) {
                return matcher.group(1);
            }
        }
        throw new AssertionError("no line matches " + pattern + "; " + terminal);
    }
}
