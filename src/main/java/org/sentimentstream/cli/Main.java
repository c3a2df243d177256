package org.sentimentstream.cli;

import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code sentiment-stream} command line: {@code java -jar sentiment-stream.jar <command>}.
 *
 * <p>Exit codes ({@link ExitCodes}): 0 success, 1 failure at run time (the message says what failed), 2 bad
 * usage or bad configuration, a model that cannot be loaded included (the message names the option, setting
 * or file).
 */
@Command(
        name = "sentiment-stream",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Streaming sentiment classification: Kafka Streams + ONNX Runtime.",
        subcommands = {
            RunCommand.class,
            ClassifyCommand.class,
            ProduceCommand.class,
            LoadTestCommand.class,
            ConsumeCommand.class,
            CommandLine.HelpCommand.class
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  success",
            "  1  failure at run time (a restart may help)",
            "  2  bad usage or bad configuration, a model file that cannot be loaded or a schema registry's refusal"
                    + " included"
        })
public final class Main implements Callable<Integer> {

    private static final String LOG4J_SHUTDOWN_HOOK = "log4j2.shutdownHookEnabled";

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        // Log4j's own shutdown hook would stop logging while the service's hook is still closing
        // Kafka Streams on SIGTERM; the service's last log lines matter, so logging stays up until
        // the JVM halts (the console appender writes synchronously: nothing is lost).
        if (System.getProperty(LOG4J_SHUTDOWN_HOOK) == null) {
            System.setProperty(LOG4J_SHUTDOWN_HOOK, "false");
        }
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (without exiting the JVM). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The configured command line, for {@link #execute} and tests: the service's commands, and those of
     * every {@link SubcommandProvider} on the class path (the development tools' {@code demo} and
     * {@code broker}, absent from the service jar).
     */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        for (SubcommandProvider provider : ServiceLoader.load(SubcommandProvider.class)) {
            provider.subcommands().forEach(commandLine::addSubcommand);
        }
        commandLine.setExecutionExceptionHandler(new FailureHandler());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
