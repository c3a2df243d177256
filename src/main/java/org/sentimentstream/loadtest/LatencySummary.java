package org.sentimentstream.loadtest;

import org.HdrHistogram.Histogram;

/**
 * Latency percentiles of a run, in milliseconds (recorded in microseconds).
 *
 * @param count the number of latencies recorded (the measured results)
 * @param p50   median
 * @param p99   99th percentile
 * @param p999  99.9th percentile
 * @param max   largest latency
 * @param mean  arithmetic mean
 */
public record LatencySummary(long count, double p50, double p99, double p999, double max, double mean) {

    private static final double MICROS_PER_MILLI = 1000.0;

    /** The summary of a histogram of latencies in microseconds; all zero when it is empty. */
    public static LatencySummary of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new LatencySummary(0, 0, 0, 0, 0, 0);
        }
        return new LatencySummary(
                micros.getTotalCount(),
                millis(micros.getValueAtPercentile(50.0)),
                millis(micros.getValueAtPercentile(99.0)),
                millis(micros.getValueAtPercentile(99.9)),
                millis(micros.getMaxValue()),
                micros.getMean() / MICROS_PER_MILLI);
    }

    private static double millis(long micros) {
        return micros / MICROS_PER_MILLI;
    }
}
