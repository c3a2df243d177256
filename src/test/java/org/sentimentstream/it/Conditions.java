package org.sentimentstream.it;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** Waits for a condition that nothing notifies (broker-side state read through an admin client) by polling it. */
final class Conditions {

    private static final long POLL_MS = 250;

    private Conditions() {}

    /** Polls {@code condition} until it holds or the timeout passes; returns whether it held. */
    static boolean await(Callable<Boolean> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.call()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MS);
        }
    }
}
