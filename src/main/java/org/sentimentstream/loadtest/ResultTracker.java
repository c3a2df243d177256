package org.sentimentstream.loadtest;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What came back for the events of one run, by event index: results (with their latency), dead
 * letters, duplicates, and which sent events are still missing. Events below the warm-up count are
 * tracked (they must come back too) but left out of the latency histogram and the throughput window.
 * Thread-safe: the sender and the reader call it from their own threads.
 */
public final class ResultTracker {

    private static final int SIGNIFICANT_DIGITS = 3;

    private final long warmup;
    private final Histogram latencyMicros = new Histogram(SIGNIFICANT_DIGITS);
    private final Histogram classifiedMicros = new Histogram(SIGNIFICANT_DIGITS);
    /** Per stage of the way through the service (results with timing headers only), in stage order. */
    private final Map<String, Histogram> stageMicros = new LinkedHashMap<>();

    private final Histogram inputToOutputTopicMicros = new Histogram(SIGNIFICANT_DIGITS);

    private final BitSet results = new BitSet();
    private final BitSet deadLetters = new BitSet();
    private final BitSet failedSends = new BitSet();
    private long sent;
    private long accounted;
    private long duplicates;
    private long firstMeasuredReadMicros = -1;
    private long lastMeasuredReadMicros = -1;

    /** @param warmup how many events, from index 0, are left out of the statistics */
    public ResultTracker(long warmup) {
        if (warmup < 0) {
            throw new IllegalArgumentException("the warm-up count must not be negative");
        }
        this.warmup = warmup;
    }

    /** Event {@code index} is about to be sent (indices come in order, from 0). */
    public synchronized void sending(long index) {
        sent = Math.max(sent, index + 1);
    }

    /** The producer could not send event {@code index}: it is not expected back. */
    public synchronized void sendFailed(long index) {
        if (!failedSends.get(toInt(index))) {
            failedSends.set(toInt(index));
            notifyAll();
        }
    }

    /**
     * A result for event {@code index} was read at {@code readEpochMicros}; it carries the event time
     * {@code eventTimeMillis} and the time the service classified it, {@code classifiedAtMillis}. A
     * second result for the same event counts as a duplicate only.
     */
    public synchronized void result(long index, long eventTimeMillis, long classifiedAtMillis, long readEpochMicros) {
        result(index, eventTimeMillis, classifiedAtMillis, readEpochMicros, Optional.empty());
    }

    /**
     * As {@link #result(long, long, long, long)}, with the times of the result's stages in the service when
     * its record carried them: each measured result then adds its time in each stage to that stage's histogram.
     */
    public synchronized void result(
            long index,
            long eventTimeMillis,
            long classifiedAtMillis,
            long readEpochMicros,
            Optional<StageTimes> stages) {
        int i = toInt(index);
        if (results.get(i)) {
            duplicates++;
            return;
        }
        results.set(i);
        if (!deadLetters.get(i)) {
            accounted++;
        }
        if (index >= warmup) {
            latencyMicros.recordValue(Math.max(0, readEpochMicros - eventTimeMillis * 1000));
            classifiedMicros.recordValue(Math.max(0, (classifiedAtMillis - eventTimeMillis) * 1000));
            stages.ifPresent(times -> recordStages(eventTimeMillis, times, readEpochMicros));
            if (firstMeasuredReadMicros < 0) {
                firstMeasuredReadMicros = readEpochMicros;
            }
            lastMeasuredReadMicros = Math.max(lastMeasuredReadMicros, readEpochMicros);
        }
        notifyAll();
    }

    /**
     * The stages, in order: from the event time to the input record's timestamp (the sender's and the
     * broker's part when the input topic has LogAppendTime), to the service's processor (fetch and poll), in
     * the batch buffer, the model call, until the result was handed to the producer, then to the broker's
     * append and on to this reader (the split needs LogAppendTime on the output topic; otherwise one stage).
     */
    private void recordStages(long eventTimeMillis, StageTimes times, long readEpochMicros) {
        stage("event_to_input_topic", (times.inputTimestamp() - eventTimeMillis) * 1000);
        stage("input_topic_to_service", (times.received() - times.inputTimestamp()) * 1000);
        stage("in_batch_buffer", (times.batchStarted() - times.received()) * 1000);
        stage("model", (times.modelDone() - times.batchStarted()) * 1000);
        stage("model_to_sent", (times.sent() - times.modelDone()) * 1000);
        if (times.outputAppended().isPresent()) {
            long appended = times.outputAppended().getAsLong();
            stage("sent_to_output_topic", (appended - times.sent()) * 1000);
            stage("output_topic_to_reader", readEpochMicros - appended * 1000);
            inputToOutputTopicMicros.recordValue(Math.max(0, (appended - times.inputTimestamp()) * 1000));
        } else {
            stage("sent_to_reader", readEpochMicros - times.sent() * 1000);
        }
    }

    private void stage(String name, long micros) {
        stageMicros
                .computeIfAbsent(name, key -> new Histogram(SIGNIFICANT_DIGITS))
                .recordValue(Math.max(0, micros));
    }

    /** A dead letter of event {@code index} was read. */
    public synchronized void deadLetter(long index) {
        int i = toInt(index);
        if (deadLetters.get(i)) {
            return;
        }
        deadLetters.set(i);
        if (!results.get(i)) {
            accounted++;
        }
        notifyAll();
    }

    /** Whether every sent event (but those whose send failed) has a result or a dead letter. */
    public synchronized boolean complete() {
        return accounted + failedSends.cardinality() >= sent;
    }

    /** Waits until {@link #complete()} or the timeout; returns whether it is complete. */
    public synchronized boolean awaitComplete(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!complete()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** What has come back so far; the missing ids sample holds at most {@code sampleSize} ids. */
    public synchronized Snapshot snapshot(RunIds ids, int sampleSize) {
        List<String> sample = new ArrayList<>();
        long missing = 0;
        for (int i = 0; i < sent; i++) {
            if (!results.get(i) && !deadLetters.get(i) && !failedSends.get(i)) {
                missing++;
                if (sample.size() < sampleSize) {
                    sample.add(ids.id(i));
                }
            }
        }
        double windowSeconds = lastMeasuredReadMicros > firstMeasuredReadMicros
                ? (lastMeasuredReadMicros - firstMeasuredReadMicros) / 1e6
                : 0;
        return new Snapshot(
                sent,
                Math.min(warmup, sent),
                failedSends.cardinality(),
                results.cardinality(),
                duplicates,
                deadLetters.cardinality(),
                missing,
                List.copyOf(sample),
                Math.max(0, firstMeasuredReadMicros),
                windowSeconds,
                LatencySummary.of(latencyMicros.copy()),
                LatencySummary.of(classifiedMicros.copy()),
                stageSummaries(),
                LatencySummary.of(inputToOutputTopicMicros.copy()));
    }

    private Map<String, LatencySummary> stageSummaries() {
        Map<String, LatencySummary> summaries = new LinkedHashMap<>();
        stageMicros.forEach((name, histogram) -> summaries.put(name, LatencySummary.of(histogram.copy())));
        return summaries;
    }

    private static int toInt(long index) {
        if (index < 0 || index > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("event index out of range: " + index);
        }
        return (int) index;
    }

    /**
     * The counts of a run at one moment.
     *
     * @param sent              events handed to the producer
     * @param warmup            of those, the warm-up events left out of the statistics
     * @param sendFailures      events the producer failed to send
     * @param results           events with at least one result
     * @param duplicates        results beyond the first for an event
     * @param deadLetters       events with a dead letter
     * @param missing           sent events with neither result nor dead letter (failed sends excluded)
     * @param missingSample     the first missing ids
     * @param windowStartMicros when the first measured result was read (epoch microseconds; 0 if none was)
     * @param windowSeconds     from the first to the last measured result read
     * @param latency           latency of the measured results (event time to result read)
     * @param toClassified      of that, the part from event time to the service's classified_at (whole
     *                          milliseconds; the rest is the output's way to the reader: producer linger,
     *                          commit under exactly_once_v2, fetch)
     * @param stages            the latency of the measured results with timing headers, by stage, in stage
     *                          order; empty when the service wrote no timing headers
     * @param inputToOutputTopic from the input record's append to its result's append (both topics with
     *                          LogAppendTime, the service with timing headers): the service's whole share of
     *                          the latency, with none of the load generator's; count 0 when not measured
     */
    public record Snapshot(
            long sent,
            long warmup,
            long sendFailures,
            long results,
            long duplicates,
            long deadLetters,
            long missing,
            List<String> missingSample,
            long windowStartMicros,
            double windowSeconds,
            LatencySummary latency,
            LatencySummary toClassified,
            Map<String, LatencySummary> stages,
            LatencySummary inputToOutputTopic) {

        public Snapshot {
            stages = Collections.unmodifiableMap(new LinkedHashMap<>(stages));
        }

        /** Measured results per second over the window (0 with fewer than two measured results). */
        public double throughputPerSecond() {
            return windowSeconds > 0 ? latency.count() / windowSeconds : 0;
        }
    }
}
