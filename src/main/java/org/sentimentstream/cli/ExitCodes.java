package org.sentimentstream.cli;

/** The exit codes of the command line. */
public final class ExitCodes {

    /** The command did what it was asked. */
    public static final int OK = 0;

    /** The command failed at run time: broker, Kafka, a model call or I/O trouble; a restart may help. */
    public static final int FAILURE = 1;

    /**
     * Bad usage or bad configuration, a model file that cannot be loaded, a schema registry that refuses a
     * request or fails the TLS handshake, and a Kafka authentication failure (SASL or TLS) included: the message names the option, setting, file or schema, and a restart with the same
     * configuration fails the same way.
     */
    public static final int USAGE = 2;

    private ExitCodes() {}
}
