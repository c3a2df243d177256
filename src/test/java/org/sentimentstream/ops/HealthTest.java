package org.sentimentstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

/** Liveness and readiness from Kafka Streams' state changes, a dead stream thread and the loaded model. */
class HealthTest {

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicReference<String> model = new AtomicReference<>("sentiment-bilstm 1.1.0");
    private final Health health = new Health(model::get, Duration.ofSeconds(30), nanos::get);

    private void advance(long seconds) {
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    private void change(State from, State to) {
        health.onStateChange(to, from);
    }

    private void startRunning() {
        change(State.CREATED, State.REBALANCING);
        change(State.REBALANCING, State.RUNNING);
    }

    @Test
    void shouldBeLiveButNotReadyWhileStarting() {
        change(State.CREATED, State.REBALANCING);
        advance(120);

        assertThat(health.liveness().ok()).isTrue();
        Health.Verdict ready = health.readiness();
        assertThat(ready.ok()).isFalse();
        assertThat(ready.details()).containsEntry("status", "DOWN").containsEntry("state", "REBALANCING");
        assertThat((String) ready.details().get("reason")).contains("has not been RUNNING yet");
    }

    @Test
    void shouldBeReadyWhenRunningWithAModel() {
        startRunning();

        Health.Verdict ready = health.readiness();
        assertThat(ready.ok()).isTrue();
        assertThat(ready.details())
                .containsEntry("status", "UP")
                .containsEntry("state", "RUNNING")
                .containsEntry("model", "sentiment-bilstm 1.1.0");
    }

    @Test
    void shouldStayReadyDuringARebalanceWithinTheBoundOnly() {
        startRunning();
        change(State.RUNNING, State.REBALANCING);

        advance(30);
        assertThat(health.readiness().ok()).as("30 s: within the bound").isTrue();
        advance(1);
        Health.Verdict late = health.readiness();
        assertThat(late.ok()).as("31 s: beyond it").isFalse();
        assertThat((String) late.details().get("reason")).contains("health.ready.rebalancing.max.ms");
        assertThat(health.liveness().ok())
                .as("a long rebalance is not a dead process")
                .isTrue();

        change(State.REBALANCING, State.RUNNING);
        assertThat(health.readiness().ok()).isTrue();
    }

    @Test
    void shouldMeasureEachRebalanceFromItsOwnStart() {
        startRunning();
        change(State.RUNNING, State.REBALANCING);
        advance(25);
        change(State.REBALANCING, State.RUNNING);
        advance(100);
        change(State.RUNNING, State.REBALANCING);
        advance(10);

        assertThat(health.readiness().ok()).isTrue();
    }

    @Test
    void shouldStopBeingReadyWhenARestoreWhileRunningOutlastsTheBound() {
        startRunning();
        TopicPartition partition = new TopicPartition("app-sentiment-batch-buffer-changelog", 1);
        health.restoreListener().onRestoreStart(partition, "sentiment-batch-buffer", 0, 1_000);

        advance(30);
        Health.Verdict restoring = health.readiness();
        assertThat(restoring.ok()).as("30 s: within the bound").isTrue();
        assertThat(restoring.details()).containsEntry("restoring_partitions", 1);
        advance(1);
        Health.Verdict late = health.readiness();
        assertThat(late.ok()).isFalse();
        assertThat((String) late.details().get("reason")).startsWith("restoring state for longer than 30000 ms");

        health.restoreListener().onRestoreEnd(partition, "sentiment-batch-buffer", 1_000);
        assertThat(health.readiness().ok()).isTrue();
        assertThat(health.readiness().details()).doesNotContainKey("restoring_partitions");
    }

    @Test
    void shouldNotBeReadyWithoutAModel() {
        startRunning();
        model.set(null);

        Health.Verdict ready = health.readiness();
        assertThat(ready.ok()).isFalse();
        assertThat(ready.details()).containsEntry("reason", "no model is loaded");
    }

    @Test
    void shouldFailLivenessWhenAStreamThreadDiedNamingOnlyTheExceptionClass() {
        startRunning();

        health.onStreamThreadFailure(new IllegalStateException("the model is closed"));

        Health.Verdict live = health.liveness();
        assertThat(live.ok()).isFalse();
        assertThat((String) live.details().get("reason"))
                .isEqualTo("a stream thread died: java.lang.IllegalStateException");
        assertThat(live.details().toString()).doesNotContain("the model is closed");
    }

    @Test
    void shouldFailBothInTheErrorState() {
        startRunning();
        change(State.RUNNING, State.PENDING_ERROR);
        change(State.PENDING_ERROR, State.ERROR);

        assertThat(health.liveness().ok()).isFalse();
        assertThat(health.readiness().ok()).isFalse();
    }

    @Test
    void shouldNotBeReadyWhileShuttingDown() {
        startRunning();
        change(State.RUNNING, State.PENDING_SHUTDOWN);

        assertThat(health.readiness().ok()).isFalse();
        assertThat(health.liveness().ok()).isTrue();
    }
}
