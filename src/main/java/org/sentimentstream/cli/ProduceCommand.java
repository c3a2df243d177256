package org.sentimentstream.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** {@code produce}: not wired yet. */
@Command(name = "produce", mixinStandardHelpOptions = true, description = "Not available yet.")
final class ProduceCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UsageException("the produce command is not available yet");
    }
}
