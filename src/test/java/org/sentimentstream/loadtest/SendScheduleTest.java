package org.sentimentstream.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SendScheduleTest {

    private static final long START = 1_700_000_000_000L;

    @Test
    void shouldSpaceEventsEvenlyAtAFixedRate() {
        SendSchedule schedule = SendSchedule.fixedRate(250);

        assertThat(schedule.dueEpochMillis(0, START, START + 999)).isEqualTo(START);
        assertThat(schedule.dueEpochMillis(1, START, START)).isEqualTo(START + 4);
        assertThat(schedule.dueEpochMillis(250, START, START)).isEqualTo(START + 1000);
        assertThat(schedule.dueEpochMillis(1000, START, START)).isEqualTo(START + 4000);
    }

    @Test
    void shouldKeepTheScheduledTimeWhenTheSenderIsLate() {
        SendSchedule schedule = SendSchedule.fixedRate(100);

        // The sender is 5 s late for event 10: it still carries its scheduled time (no coordinated omission).
        assertThat(schedule.dueEpochMillis(10, START, START + 5_000)).isEqualTo(START + 100);
    }

    @Test
    void shouldPutSeveralEventsInOneMillisecondAboveAThousandPerSecond() {
        SendSchedule schedule = SendSchedule.fixedRate(4000);

        assertThat(schedule.dueEpochMillis(0, START, START)).isEqualTo(START);
        assertThat(schedule.dueEpochMillis(3, START, START)).isEqualTo(START);
        assertThat(schedule.dueEpochMillis(4, START, START)).isEqualTo(START + 1);
        assertThat(schedule.dueEpochMillis(4000, START, START)).isEqualTo(START + 1000);
    }

    @Test
    void shouldHandFractionalRatesWithoutDrift() {
        SendSchedule schedule = SendSchedule.fixedRate(3);

        assertThat(schedule.dueEpochMillis(1, START, START)).isEqualTo(START + 333);
        assertThat(schedule.dueEpochMillis(3, START, START)).isEqualTo(START + 1000);
        assertThat(schedule.dueEpochMillis(3_000_000, START, START)).isEqualTo(START + 1_000_000_000);
    }

    @Test
    void shouldStampTheSendTimeAsFastAsPossible() {
        SendSchedule schedule = SendSchedule.asFastAsPossible();

        assertThat(schedule.isFixedRate()).isFalse();
        assertThat(schedule.dueEpochMillis(42, START, START + 17)).isEqualTo(START + 17);
    }

    @Test
    void shouldCountTheEventsOfADuration() {
        assertThat(SendSchedule.fixedRate(200).eventsWithin(2_500)).isEqualTo(500);
        assertThat(SendSchedule.fixedRate(3).eventsWithin(1_000)).isEqualTo(3);
    }

    @Test
    void shouldRefuseRatesThatAreNotPositive() {
        assertThatThrownBy(() -> SendSchedule.fixedRate(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SendSchedule.fixedRate(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SendSchedule.fixedRate(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
