package org.sentimentstream.loadtest;

import java.util.List;

/**
 * The outcome of one load test.
 *
 * @param runId              the run's id (its events' ids are {@code runId-N})
 * @param inputTopic         where the events went
 * @param outputTopic        where the results were read
 * @param format             the input topic's wire format
 * @param targetRate         events per second asked for, 0 for as fast as possible
 * @param texts              where the texts came from
 * @param sendRate           events per second the producer was handed, over the sending time
 * @param counts             what came back
 * @param complete           whether every sent event came back (result or dead letter) within the drain timeout
 */
public record LoadTestSummary(
        String runId,
        String inputTopic,
        String outputTopic,
        String format,
        double targetRate,
        String texts,
        double sendRate,
        ResultTracker.Snapshot counts,
        boolean complete) {

    /** Events sent (warm-up included). */
    public long eventsSent() {
        return counts.sent();
    }

    /** Events with a result. */
    public long resultsReceived() {
        return counts.results();
    }

    /** Events with neither result nor dead letter. */
    public long missing() {
        return counts.missing();
    }

    /** The first missing ids. */
    public List<String> missingSample() {
        return counts.missingSample();
    }

    /** Whether the run passed: everything came back and every send succeeded. */
    public boolean passed() {
        return complete && counts.missing() == 0 && counts.sendFailures() == 0;
    }
}
