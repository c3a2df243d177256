package org.sentimentstream.devtools;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.sentimentstream.cli.DurationConverter;
import org.sentimentstream.cli.ExitCodes;
import org.sentimentstream.localbroker.LocalKafkaBroker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code broker}: runs a local single-node Kafka broker until Ctrl-C (or SIGTERM). */
@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a local single-node Kafka broker (KRaft) on 127.0.0.1 until Ctrl-C.",
            "For trying the service out; not for production."
        })
final class BrokerCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--port",
            defaultValue = "9092",
            description = "Client port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    private int port;

    @Option(
            names = "--controller-port",
            defaultValue = "-1",
            description =
                    "KRaft controller port (default: the client port + 1, or a free one when the client port is 0).")
    private int controllerPort;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Folder to keep the broker's data in, kept after exit and reused by the next start "
                    + "(default: a temporary folder, deleted at exit).")
    private Path dataDir;

    @Option(
            names = "--heap",
            defaultValue = "512m",
            description = "Maximum heap of the broker JVM (default: ${DEFAULT-VALUE}).")
    private String heap;

    @Option(
            names = "--start-timeout",
            defaultValue = "90s",
            converter = DurationConverter.class,
            description = "How long to wait for the broker to answer (default: ${DEFAULT-VALUE}).")
    private Duration startTimeout;

    @Override
    public Integer call() throws InterruptedException {
        LocalKafkaBroker.Builder builder =
                LocalKafkaBroker.builder().maxHeap(heap).startTimeout(startTimeout);
        if (dataDir != null) {
            builder.directory(dataDir);
        }
        builder.port(port);
        if (controllerPort >= 0) {
            builder.controllerPort(controllerPort);
        } else if (port > 0 && port < 65_535) {
            builder.controllerPort(port + 1);
        }
        PrintWriter out = spec.commandLine().getOut();
        LocalKafkaBroker broker = builder.start();
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stopping.set(true);
                            broker.close();
                        },
                        "broker-command-stop"));
        out.printf("Kafka broker ready: bootstrap.servers=%s (pid %d)%n", broker.bootstrapServers(), broker.pid());
        out.printf("Folder: %s (log: %s)%n", broker.directory(), broker.logFile());
        out.println("Press Ctrl-C to stop it.");
        out.flush();
        int exitCode = broker.awaitExit();
        if (stopping.get()) {
            return ExitCodes.OK;
        }
        String logTail = broker.logTail();
        broker.close();
        throw new IllegalStateException("the Kafka broker exited on its own with code " + exitCode + "; " + logTail);
    }
}
