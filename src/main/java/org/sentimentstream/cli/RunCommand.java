package org.sentimentstream.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** {@code run}: not wired yet. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Not available yet.")
final class RunCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UsageException("the run command is not available yet");
    }
}
