package org.sentimentstream.loadtest;

/**
 * When each event of a load test is due. At a fixed rate, event {@code i} is due at
 * {@code start + floor(i * 1000 / rate)} milliseconds: whole milliseconds, so the event time the
 * event carries (Avro {@code timestamp-millis}) is exactly its scheduled send time, and a sender that
 * falls behind still stamps the scheduled time (no coordinated omission: the delay counts as
 * latency). As fast as possible, there is no schedule: each event is due when it is sent.
 */
public final class SendSchedule {

    private final double ratePerSecond;

    private SendSchedule(double ratePerSecond) {
        this.ratePerSecond = ratePerSecond;
    }

    /** Events at {@code ratePerSecond} (more than 0). */
    public static SendSchedule fixedRate(double ratePerSecond) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException(
                    "the rate must be a positive number of events per second, not " + ratePerSecond);
        }
        return new SendSchedule(ratePerSecond);
    }

    /** Events as fast as the producer takes them. */
    public static SendSchedule asFastAsPossible() {
        return new SendSchedule(0);
    }

    /** Whether events follow a fixed rate. */
    public boolean isFixedRate() {
        return ratePerSecond > 0;
    }

    /** The target rate in events per second, or 0 for as fast as possible. */
    public double ratePerSecond() {
        return ratePerSecond;
    }

    /**
     * The epoch millisecond at which event {@code index} is due, for a run that starts at
     * {@code startEpochMillis}; as fast as possible, {@code nowEpochMillis}.
     */
    public long dueEpochMillis(long index, long startEpochMillis, long nowEpochMillis) {
        if (!isFixedRate()) {
            return nowEpochMillis;
        }
        return startEpochMillis + (long) Math.floor(index * 1000.0 / ratePerSecond);
    }

    /** How many events are due within {@code millis} of the start (the events of a run limited by time). */
    public long eventsWithin(long millis) {
        if (!isFixedRate()) {
            throw new IllegalStateException("as fast as possible, the number of events in a time is not known");
        }
        return (long) Math.ceil(millis * ratePerSecond / 1000.0);
    }
}
