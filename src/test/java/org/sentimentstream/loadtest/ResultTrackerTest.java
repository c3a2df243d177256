package org.sentimentstream.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.sentimentstream.stream.TimingHeaders;

class ResultTrackerTest {

    private static final long T0 = 1_700_000_000_000L;
    private final RunIds ids = new RunIds("run");

    private static void sendAll(ResultTracker tracker, int count) {
        for (int i = 0; i < count; i++) {
            tracker.sending(i);
        }
    }

    @Test
    void shouldListTheMissingIdsInOrder() {
        ResultTracker tracker = new ResultTracker(0);
        sendAll(tracker, 6);
        tracker.result(0, T0, T0 + 5, T0 * 1000);
        tracker.result(2, T0, T0 + 5, T0 * 1000);
        tracker.result(5, T0, T0 + 5, T0 * 1000);

        ResultTracker.Snapshot snapshot = tracker.snapshot(ids, 10);

        assertThat(tracker.complete()).isFalse();
        assertThat(snapshot.sent()).isEqualTo(6);
        assertThat(snapshot.results()).isEqualTo(3);
        assertThat(snapshot.missing()).isEqualTo(3);
        assertThat(snapshot.missingSample()).containsExactly("run-1", "run-3", "run-4");
    }

    @Test
    void shouldCapTheSampleOfMissingIdsButCountThemAll() {
        ResultTracker tracker = new ResultTracker(0);
        sendAll(tracker, 50);

        ResultTracker.Snapshot snapshot = tracker.snapshot(ids, 5);

        assertThat(snapshot.missing()).isEqualTo(50);
        assertThat(snapshot.missingSample()).containsExactly("run-0", "run-1", "run-2", "run-3", "run-4");
    }

    @Test
    void shouldCountADeadLetterAsComeBackButNotAsAResult() {
        ResultTracker tracker = new ResultTracker(0);
        sendAll(tracker, 2);
        tracker.result(0, T0, T0 + 5, T0 * 1000);
        tracker.deadLetter(1);

        ResultTracker.Snapshot snapshot = tracker.snapshot(ids, 10);

        assertThat(tracker.complete()).isTrue();
        assertThat(snapshot.results()).isEqualTo(1);
        assertThat(snapshot.deadLetters()).isEqualTo(1);
        assertThat(snapshot.missing()).isZero();
        assertThat(snapshot.latency().count()).isEqualTo(1);
    }

    @Test
    void shouldCountDuplicatesOnceInTheHistogram() {
        ResultTracker tracker = new ResultTracker(0);
        sendAll(tracker, 1);
        tracker.result(0, T0, T0 + 5, (T0 + 10) * 1000);
        tracker.result(0, T0, T0 + 5, (T0 + 500) * 1000);

        ResultTracker.Snapshot snapshot = tracker.snapshot(ids, 10);

        assertThat(snapshot.results()).isEqualTo(1);
        assertThat(snapshot.duplicates()).isEqualTo(1);
        assertThat(snapshot.latency().count()).isEqualTo(1);
        assertThat(snapshot.latency().max()).isCloseTo(10.0, within(0.01));
    }

    @Test
    void shouldLeaveTheWarmUpOutOfTheStatisticsButWaitForIt() {
        ResultTracker tracker = new ResultTracker(3);
        sendAll(tracker, 5);
        for (int i = 3; i < 5; i++) {
            tracker.result(i, T0, T0 + 5, (T0 + 7) * 1000);
        }
        assertThat(tracker.complete())
                .as("the warm-up events must come back too")
                .isFalse();
        for (int i = 0; i < 3; i++) {
            tracker.result(i, T0, T0 + 5, (T0 + 900) * 1000);
        }

        ResultTracker.Snapshot snapshot = tracker.snapshot(ids, 10);

        assertThat(tracker.complete()).isTrue();
        assertThat(snapshot.warmup()).isEqualTo(3);
        assertThat(snapshot.results()).isEqualTo(5);
        assertThat(snapshot.latency().count()).isEqualTo(2);
        assertThat(snapshot.latency().max()).isCloseTo(7.0, within(0.01));
    }

    @Test
    void shouldReportPercentilesOfLatencyFromEventTimeToRead() {
        ResultTracker tracker = new ResultTracker(0);
        sendAll(tracker, 1000);
        // Latencies 1 ms ... 1000 ms.
        for (int i = 0; i < 1000; i++) {
            tracker.result(i, T0, T0 + 5, (T0 + i + 1) * 1000);
        }

        LatencySummary latency = tracker.snapshot(ids, 10).latency();

        assertThat(latency.count()).isEqualTo(1000);
        assertThat(latency.p50()).isCloseTo(500.0, within(1.0));
        assertThat(latency.p99()).isCloseTo(990.0, within(1.0));
        assertThat(latency.p999()).isCloseTo(999.0, within(1.0));
        assertThat(latency.max()).isCloseTo(1000.0, within(1.0));
        assertThat(latency.mean()).isCloseTo(500.5, within(1.0));
    }

    @Test
    void shouldSplitOffTheTimeFromEventTimeToClassification() {
        ResultTracker tracker = new ResultTracker(0);
        sendAll(tracker, 2);
        // Classified 30 ms after the event time, read 130 ms after it (100 ms on the way out).
        tracker.result(0, T0, T0 + 30, (T0 + 130) * 1000);
        tracker.result(1, T0, T0 + 30, (T0 + 130) * 1000);

        ResultTracker.Snapshot snapshot = tracker.snapshot(ids, 10);

        assertThat(snapshot.toClassified().count()).isEqualTo(2);
        assertThat(snapshot.toClassified().max()).isCloseTo(30.0, within(0.1));
        assertThat(snapshot.latency().max()).isCloseTo(130.0, within(0.2));
    }

    @Test
    void shouldMeasureThroughputOverTheWindowOfMeasuredReads() {
        ResultTracker tracker = new ResultTracker(0);
        sendAll(tracker, 101);
        // 101 results read 10 ms apart: 1 s from the first to the last.
        for (int i = 0; i <= 100; i++) {
            long read = (T0 + 10L * i) * 1000;
            tracker.result(i, T0, T0 + 5, read);
        }

        ResultTracker.Snapshot snapshot = tracker.snapshot(ids, 10);

        assertThat(snapshot.windowStartMicros()).isEqualTo(T0 * 1000);
        assertThat(snapshot.windowSeconds()).isCloseTo(1.0, within(1e-9));
        assertThat(snapshot.throughputPerSecond()).isCloseTo(101.0, within(1e-6));
    }

    @Test
    void shouldNotExpectEventsWhoseSendFailed() {
        ResultTracker tracker = new ResultTracker(0);
        sendAll(tracker, 2);
        tracker.result(0, T0, T0 + 5, T0 * 1000);
        tracker.sendFailed(1);

        ResultTracker.Snapshot snapshot = tracker.snapshot(ids, 10);

        assertThat(tracker.complete()).isTrue();
        assertThat(snapshot.sendFailures()).isEqualTo(1);
        assertThat(snapshot.missing()).isZero();
    }

    @Test
    void shouldStopWaitingWhenTheLastResultArrives() throws Exception {
        ResultTracker tracker = new ResultTracker(0);
        sendAll(tracker, 1);
        Thread reader = new Thread(() -> tracker.result(0, T0, T0 + 5, T0 * 1000));
        reader.start();

        assertThat(tracker.awaitComplete(1, TimeUnit.MINUTES)).isTrue();
        reader.join();
    }

    @Test
    void shouldReportIncompleteWhenTheTimeoutPasses() throws Exception {
        ResultTracker tracker = new ResultTracker(0);
        sendAll(tracker, 1);

        assertThat(tracker.awaitComplete(0, TimeUnit.MILLISECONDS)).isFalse();
    }

    @Test
    void shouldSplitEachMeasuredLatencyIntoTheStagesOfItsTimingHeaders() {
        // event T0; input appended +2; received +5; batch +9; model done +12; sent +13; output appended +20; read +31
        ResultTracker tracker = trackerWithOneTimedResult(
                new StageTimes(T0 + 2, T0 + 5, T0 + 9, T0 + 12, T0 + 13, OptionalLong.of(T0 + 20)));

        Map<String, LatencySummary> stages = tracker.snapshot(ids, 10).stages();
        assertThat(stages.keySet())
                .containsExactly(
                        "event_to_input_topic",
                        "input_topic_to_service",
                        "in_batch_buffer",
                        "model",
                        "model_to_sent",
                        "sent_to_output_topic",
                        "output_topic_to_reader");
        // HdrHistogram keeps 3 significant digits: compare whole milliseconds.
        assertThat(stages.values())
                .extracting(stage -> Math.round(stage.p50()))
                .containsExactly(2L, 3L, 4L, 3L, 1L, 7L, 11L);
        assertThat(stages.values().stream().mapToDouble(LatencySummary::p50).sum())
                .as("the stages add up to the whole latency")
                .isCloseTo(tracker.snapshot(ids, 10).latency().p50(), within(0.05));
    }

    @Test
    void shouldMeasureTheServicesShareFromTheInputAppendToTheOutputAppend() {
        // input appended +2, output appended +20: the service's share is 18 ms, the load generator's the rest
        ResultTracker tracker = trackerWithOneTimedResult(
                new StageTimes(T0 + 2, T0 + 5, T0 + 9, T0 + 12, T0 + 13, OptionalLong.of(T0 + 20)));

        LatencySummary span = tracker.snapshot(ids, 10).inputToOutputTopic();
        assertThat(span.count()).isEqualTo(1);
        assertThat(Math.round(span.p50())).isEqualTo(18L);
    }

    @Test
    void shouldNotMeasureTheServicesShareWithoutTheOutputTopicsAppendTime() {
        ResultTracker tracker =
                trackerWithOneTimedResult(new StageTimes(T0, T0 + 5, T0 + 9, T0 + 12, T0 + 13, OptionalLong.empty()));

        assertThat(tracker.snapshot(ids, 10).inputToOutputTopic().count()).isZero();
    }

    @Test
    void shouldKeepTheWayBackInOneStageWithoutTheOutputTopicsAppendTime() {
        ResultTracker tracker =
                trackerWithOneTimedResult(new StageTimes(T0, T0 + 5, T0 + 9, T0 + 12, T0 + 13, OptionalLong.empty()));

        Map<String, LatencySummary> stages = tracker.snapshot(ids, 10).stages();
        assertThat(stages).containsKey("sent_to_reader").doesNotContainKey("sent_to_output_topic");
        assertThat(stages.get("sent_to_reader").p50()).isCloseTo(18.0, within(0.05));
    }

    @Test
    void shouldReadStageTimesFromTimingHeadersAndTheAppendTime() {
        RecordHeaders headers = new RecordHeaders();
        long[] values = {T0 + 2, T0 + 5, T0 + 9, T0 + 12, T0 + 13};
        for (int i = 0; i < TimingHeaders.ALL.size(); i++) {
            headers.add(TimingHeaders.ALL.get(i), Long.toString(values[i]).getBytes(StandardCharsets.US_ASCII));
        }

        assertThat(StageTimes.of(headers, T0 + 20, TimestampType.LOG_APPEND_TIME))
                .contains(new StageTimes(T0 + 2, T0 + 5, T0 + 9, T0 + 12, T0 + 13, OptionalLong.of(T0 + 20)));
        assertThat(StageTimes.of(headers, T0 + 20, TimestampType.CREATE_TIME)
                        .orElseThrow()
                        .outputAppended())
                .isEmpty();
        assertThat(StageTimes.of(new RecordHeaders(), T0, TimestampType.CREATE_TIME))
                .isEmpty();
    }

    /** A tracker with one sent event whose result (classified at +12, read at +31) carries these stage times. */
    private ResultTracker trackerWithOneTimedResult(StageTimes times) {
        ResultTracker tracker = new ResultTracker(0);
        sendAll(tracker, 1);
        tracker.result(0, T0, T0 + 12, (T0 + 31) * 1000, Optional.of(times));
        return tracker;
    }
}
