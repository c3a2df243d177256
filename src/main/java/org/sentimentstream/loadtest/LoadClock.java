package org.sentimentstream.loadtest;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The clock of a load test: wall-clock time in epoch microseconds (event times are wall-clock
 * times, since the service copies them) advanced by the monotonic clock, so that intervals never
 * jump with clock adjustments during a run.
 */
public interface LoadClock {

    /** Now, in microseconds since the Unix epoch. */
    long epochMicros();

    /** Sleeps until {@link #epochMicros()} reaches {@code epochMicros} (returns at once when it has). */
    void sleepUntil(long epochMicros) throws InterruptedException;

    /** The system clock: one wall-clock reading at creation, then {@link System#nanoTime()}. */
    static LoadClock system() {
        Instant origin = Instant.now();
        long originMicros = TimeUnit.SECONDS.toMicros(origin.getEpochSecond()) + origin.getNano() / 1000;
        long originNanos = System.nanoTime();
        return new LoadClock() {
            @Override
            public long epochMicros() {
                return originMicros + (System.nanoTime() - originNanos) / 1000;
            }

            @Override
            public void sleepUntil(long epochMicros) throws InterruptedException {
                long left;
                while ((left = epochMicros - epochMicros()) > 0) {
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(left));
                    if (Thread.interrupted()) {
                        throw new InterruptedException("interrupted while waiting to send");
                    }
                }
            }
        };
    }
}
