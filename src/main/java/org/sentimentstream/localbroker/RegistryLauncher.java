package org.sentimentstream.localbroker;

import java.util.Arrays;

/**
 * Main class of the child registry JVM: {@code RegistryLauncher <parent-pid> [registry arguments]}.
 * It exits (a clean Quarkus shutdown) when the JVM that started it is gone, so that a killed test run or
 * demo never leaves an orphan registry behind, then hands over to Quarkus' own entry point (the main
 * class of {@code quarkus-run.jar}). It uses nothing but the JDK: it runs on the registry's class path
 * ({@code quarkus-run.jar} and this one class), under the registry's Java 21+ runtime.
 */
public final class RegistryLauncher {

    static final String QUARKUS_MAIN = "io.quarkus.bootstrap.runner.QuarkusEntryPoint";

    private RegistryLauncher() {}

    public static void main(String[] args) throws Exception {
        long parentPid = Long.parseLong(args[0]);
        ProcessHandle.of(parentPid)
                .ifPresentOrElse(parent -> parent.onExit().thenRun(() -> System.exit(0)), () -> System.exit(0));
        Class.forName(QUARKUS_MAIN).getMethod("main", String[].class).invoke(null, (Object)
                Arrays.copyOfRange(args, 1, args.length));
    }
}
