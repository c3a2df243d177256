package org.sentimentstream.localbroker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.impl.Log4jContextFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentimentstream.localbroker.ChildMain.WhenParentExits;

/** The one way the broker and the test fixtures start a JVM: its command line, and the launcher's hand-over. */
class ChildJvmTest {

    @TempDir
    Path folder;

    @Test
    void shouldRunTheMainClassDirectlyWithoutAWatchdog() {
        List<String> command = ChildJvm.builder("org.example.Main")
                .jvmOptions("-Xmx64m")
                .classPath("a.jar")
                .arguments("one", "two")
                .command();

        assertThat(command)
                .containsExactly(
                        ChildJvm.javaExecutable(), "-Xmx64m", "-cp", "a.jar", "org.example.Main", "one", "two");
    }

    @Test
    void shouldPutTheWatchdogWithThisJvmsPidAndItsExitBehaviourBeforeTheMainClass() {
        List<String> command = ChildJvm.builder("org.example.Main")
                .classPath("a.jar")
                .watchParent(WhenParentExits.HALT)
                .arguments("one")
                .command();

        assertThat(command)
                .containsExactly(
                        ChildJvm.javaExecutable(),
                        "-cp",
                        "a.jar",
                        ChildMain.class.getName(),
                        Long.toString(ProcessHandle.current().pid()),
                        "HALT",
                        "org.example.Main",
                        "one");
    }

    @Test
    void shouldHandOverToTheMainClassWithItsArgumentsAndExitCode() throws Exception {
        Path output = folder.resolve("child.log");

        Process child = ChildJvm.builder(EchoMain.class.getName())
                .jvmOptions("-Xmx32m", "-XX:TieredStopAtLevel=1")
                .watchParent(WhenParentExits.EXIT)
                .arguments("hello", "child")
                .start(folder, output);

        assertThat(ChildJvm.awaitExit(child, Duration.ofSeconds(60)))
                .as("the child exited")
                .isTrue();
        assertThat(child.exitValue()).isEqualTo(EchoMain.EXIT_CODE);
        assertThat(Files.readString(output, StandardCharsets.UTF_8))
                .contains("args: hello child")
                // The service's Main turns Log4j's shutdown hook off; that works only if the launcher
                // initialised no logging before handing over.
                .contains("log4j shutdown hook: false");
    }

    /**
     * The main class of the child in the hand-over test: prints its arguments and whether it could still turn
     * Log4j's shutdown hook off (as the service's Main does first), and exits with its own code.
     */
    public static final class EchoMain {
        static final int EXIT_CODE = 7;

        public static void main(String[] args) {
            System.setProperty("log4j2.shutdownHookEnabled", "false");
            boolean shutdownHook = ((Log4jContextFactory) LogManager.getFactory()).isShutdownHookEnabled();
            System.out.println("args: " + String.join(" ", args));
            System.out.println("log4j shutdown hook: " + shutdownHook);
            System.exit(EXIT_CODE);
        }
    }
}
