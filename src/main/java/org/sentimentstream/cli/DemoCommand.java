package org.sentimentstream.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** {@code demo}: not wired yet. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Not available yet.")
final class DemoCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UsageException("the demo command is not available yet");
    }
}
