package org.sentimentstream.it;

import java.util.Arrays;

/**
 * Main class of a child JVM started by a test: {@code ChildLauncher <parent-pid> <main-class> [args]}.
 * Exits when the test JVM is gone (no orphan service keeps running after a killed test run), then
 * hands over to the real main class.
 */
public final class ChildLauncher {

    private ChildLauncher() {}

    public static void main(String[] args) throws Exception {
        long parentPid = Long.parseLong(args[0]);
        ProcessHandle.of(parentPid)
                .ifPresentOrElse(
                        parent -> parent.onExit()
                                .thenRun(() -> Runtime.getRuntime().halt(3)),
                        () -> Runtime.getRuntime().halt(3));
        Class.forName(args[1]).getMethod("main", String[].class).invoke(null, (Object)
                Arrays.copyOfRange(args, 2, args.length));
    }
}
