package org.sentimentstream.app;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;
import org.sentimentstream.model.ModelLoadException;

class StreamThreadFailurePolicyTest {

    private final AtomicLong clock = new AtomicLong();

    @Test
    void shouldReplaceTheThreadOnInvalidTransactionalStateFencingAndTimeoutsAnywhereInTheCauseChain() {
        StreamThreadFailurePolicy policy = new StreamThreadFailurePolicy(10, Duration.ofMinutes(10), clock::get);

        assertThat(policy.respond(new StreamsException("commit failed", new InvalidTxnStateException("x"))))
                .isEqualTo(REPLACE_THREAD);
        assertThat(policy.respond(new StreamsException(new ProducerFencedException("x"))))
                .isEqualTo(REPLACE_THREAD);
        assertThat(policy.respond(new StreamsException(new StreamsException(new TimeoutException("x")))))
                .isEqualTo(REPLACE_THREAD);
        assertThat(policy.replacementsInWindow()).isEqualTo(3);
    }

    @Test
    void shouldShutDownOnFailuresThatWouldRepeat() {
        StreamThreadFailurePolicy policy = new StreamThreadFailurePolicy(10, Duration.ofMinutes(10), clock::get);

        assertThat(policy.respond(new StreamsException(new IllegalStateException("the model failed"))))
                .isEqualTo(SHUTDOWN_CLIENT);
        assertThat(policy.respond(new StreamsException(new ModelLoadException("broken model"))))
                .isEqualTo(SHUTDOWN_CLIENT);
        assertThat(policy.respond(new ConfigException("bad", new TimeoutException("x"))))
                .as("a bad setting wins over a timeout in its causes")
                .isEqualTo(SHUTDOWN_CLIENT);
        assertThat(policy.replacementsInWindow()).isZero();
    }

    @Test
    void shouldShutDownOnceTheBudgetOfTheWindowIsSpentAndReplaceAgainWhenTheWindowHasPassed() {
        StreamThreadFailurePolicy policy = new StreamThreadFailurePolicy(2, Duration.ofMinutes(10), clock::get);
        InvalidTxnStateException failure = new InvalidTxnStateException("x");

        assertThat(policy.respond(failure)).isEqualTo(REPLACE_THREAD);
        clock.addAndGet(Duration.ofMinutes(4).toNanos());
        assertThat(policy.respond(failure)).isEqualTo(REPLACE_THREAD);
        clock.addAndGet(Duration.ofMinutes(4).toNanos());
        assertThat(policy.respond(failure)).as("a third within 10 minutes").isEqualTo(SHUTDOWN_CLIENT);
        clock.addAndGet(Duration.ofMinutes(3).toNanos());
        assertThat(policy.respond(failure)).as("the first has left the window").isEqualTo(REPLACE_THREAD);
    }

    @Test
    void shouldNeverReplaceWithABudgetOfZero() {
        StreamThreadFailurePolicy policy = new StreamThreadFailurePolicy(0, Duration.ofMinutes(10), clock::get);

        assertThat(policy.respond(new InvalidTxnStateException("x"))).isEqualTo(SHUTDOWN_CLIENT);
    }
}
