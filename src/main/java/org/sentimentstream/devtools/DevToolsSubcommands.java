package org.sentimentstream.devtools;

import java.util.List;
import org.sentimentstream.cli.SubcommandProvider;

/** Adds {@code demo} and {@code broker} to the command line of the development-tools jar. */
public final class DevToolsSubcommands implements SubcommandProvider {

    @Override
    public List<Object> subcommands() {
        return List.of(new DemoCommand(), new BrokerCommand());
    }
}
