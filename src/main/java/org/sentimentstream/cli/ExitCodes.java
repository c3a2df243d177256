package org.sentimentstream.cli;

/** The exit codes of the command line. */
final class ExitCodes {

    /** The command did what it was asked. */
    static final int OK = 0;

    /** The command failed at run time: broker, model, Kafka or I/O trouble. */
    static final int FAILURE = 1;

    /** Bad usage or bad configuration: the message names the option or setting. */
    static final int USAGE = 2;

    private ExitCodes() {
    }
}
