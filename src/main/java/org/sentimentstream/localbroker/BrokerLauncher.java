package org.sentimentstream.localbroker;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Main class of the child broker JVM: {@code BrokerLauncher <parent-pid> <server.properties>}.
 *
 * <p>It watches the JVM that started it and exits (running Kafka's own shutdown hook, a clean
 * shutdown) when that JVM is gone, so a test run or a demo that is killed never leaves an orphan
 * broker behind. Then it hands over to {@code kafka.Kafka}, the broker's own entry point.
 */
public final class BrokerLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerLauncher.class);

    private BrokerLauncher() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: BrokerLauncher <parent-pid> <server.properties> [kafka.Kafka arguments]");
            System.exit(2);
        }
        long parentPid = Long.parseLong(args[0]);
        ProcessHandle.of(parentPid)
                .ifPresentOrElse(
                        parent -> parent.onExit().thenRun(BrokerLauncher::parentGone), BrokerLauncher::parentGone);
        kafka.Kafka.main(Arrays.copyOfRange(args, 1, args.length));
    }

    private static void parentGone() {
        LOG.warn("The JVM that started this broker has exited; shutting the broker down");
        System.exit(0);
    }
}
