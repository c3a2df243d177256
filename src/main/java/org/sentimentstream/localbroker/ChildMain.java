package org.sentimentstream.localbroker;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Main class of every child JVM that {@link ChildJvm} starts with a parent watchdog:
 * {@code ChildMain <parent-pid> <EXIT|HALT> <main-class> [arguments]}.
 *
 * <p>It watches the JVM that started it and ends this one when that JVM is gone, so that a demo or a
 * test run that is killed never leaves an orphan broker or service behind; then it hands over to the
 * real main class (by reflection, so that this class needs neither the broker nor the service). What it
 * does when the parent is gone is the caller's choice, {@link WhenParentExits}.
 */
public final class ChildMain {

    /** What the child does when the JVM that started it has exited. */
    public enum WhenParentExits {
        /**
         * {@code System.exit(0)}: the child's shutdown hooks run, e.g. Kafka's clean broker shutdown (the
         * local broker's choice: its data folder may be reused).
         */
        EXIT,
        /**
         * {@code Runtime.halt(3)}: the child stops at once, as if killed, without shutdown hooks (the test
         * fixtures' choice: a service whose test run is gone must not spend a minute closing Kafka Streams
         * against a broker that is going away too).
         */
        HALT
    }

    private ChildMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            // No logging yet: this is the only line a bad command line gets.
            System.err.println("usage: ChildMain <parent-pid> <EXIT|HALT> <main-class> [arguments]");
            System.exit(2);
        }
        long parentPid = Long.parseLong(args[0]);
        WhenParentExits whenParentExits = WhenParentExits.valueOf(args[1].toUpperCase(Locale.ROOT));
        Runnable parentGone = () -> parentGone(parentPid, whenParentExits);
        ProcessHandle.of(parentPid).ifPresentOrElse(parent -> parent.onExit().thenRun(parentGone), parentGone);
        Method main = Class.forName(args[2]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 3, args.length));
        } catch (InvocationTargetException e) {
            // What the real main threw, as if it had been called directly.
            if (e.getCause() instanceof Exception exception) {
                throw exception;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private static void parentGone(long parentPid, WhenParentExits whenParentExits) {
        if (whenParentExits == WhenParentExits.HALT) {
            Runtime.getRuntime().halt(3);
        }
        // The logger is looked up only now: looking it up before the main class runs would initialise logging
        // before the main class configures it (the service turns Log4j's shutdown hook off, for example).
        Logger log = LoggerFactory.getLogger(ChildMain.class);
        log.warn("The JVM that started this one (pid {}) has exited; exiting too", parentPid);
        System.exit(0);
    }
}
