package org.sentimentstream.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** {@code classify}: not wired yet. */
@Command(name = "classify", mixinStandardHelpOptions = true, description = "Not available yet.")
final class ClassifyCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UsageException("the classify command is not available yet");
    }
}
