package org.sentimentstream.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** {@code consume}: not wired yet. */
@Command(name = "consume", mixinStandardHelpOptions = true, description = "Not available yet.")
final class ConsumeCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UsageException("the consume command is not available yet");
    }
}
