package org.sentimentstream.cli;

import java.util.List;

/**
 * Subcommands that are not part of the service and join the command line only when their artifact is
 * on the class path: the development tools ({@code demo}, {@code broker}) register one through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/org.sentimentstream.cli.SubcommandProvider}),
 * so that the service jar, which leaves them out, has no trace of the development broker.
 */
public interface SubcommandProvider {

    /** picocli command objects (classes annotated with {@code @Command}) to add to the command line. */
    List<Object> subcommands();
}
