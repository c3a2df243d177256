package org.sentimentstream.app;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * How the service answers a stream thread's failure: {@code REPLACE_THREAD} for a failure that a new stream
 * thread recovers from, within a budget, and {@code SHUTDOWN_CLIENT} for anything else.
 *
 * <p>Recoverable: fenced or invalid transactional state ({@link InvalidTxnStateException},
 * {@link ProducerFencedException}, {@link InvalidProducerEpochException}, {@link UnknownProducerIdException},
 * {@link TransactionAbortableException}) and {@link TimeoutException}s while brokers are away, anywhere in
 * the cause chain. A new thread gets a new producer: under {@code exactly_once_v2} the failed thread's open
 * transaction is aborted and its tasks resume from their last committed offsets, so nothing is lost or
 * committed twice. Anything else (a broken model, a bad setting: a {@link ConfigException} anywhere in the
 * chain wins) would fail the same way again and stops the service (exit code 1, a supervisor's job).
 *
 * <p>The budget: at most {@code maxReplacements} within {@code window}; one more recoverable failure in the
 * window stops the service too, so that a failure that only looks recoverable cannot loop forever.
 * Thread-safe (stream threads fail concurrently).
 */
final class StreamThreadFailurePolicy {

    private static final List<Class<? extends Throwable>> RECOVERABLE = List.of(
            InvalidTxnStateException.class,
            ProducerFencedException.class,
            InvalidProducerEpochException.class,
            UnknownProducerIdException.class,
            TransactionAbortableException.class,
            TimeoutException.class);

    private final int maxReplacements;
    private final Duration window;
    private final LongSupplier nanoTime;
    private final Deque<Long> replacements = new ArrayDeque<>();

    StreamThreadFailurePolicy(int maxReplacements, Duration window, LongSupplier nanoTime) {
        if (maxReplacements < 0 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the replacement budget must be >= 0 in a positive window");
        }
        this.maxReplacements = maxReplacements;
        this.window = window;
        this.nanoTime = nanoTime;
    }

    /** The answer to this failure; a replacement is counted against the budget. */
    synchronized StreamThreadExceptionResponse respond(Throwable failure) {
        if (!isRecoverable(failure)) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        long now = nanoTime.getAsLong();
        while (!replacements.isEmpty() && now - replacements.peekFirst() >= window.toNanos()) {
            replacements.removeFirst();
        }
        if (replacements.size() >= maxReplacements) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacements.addLast(now);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** How many replacements the window holds now (after the last {@link #respond}). */
    synchronized int replacementsInWindow() {
        return replacements.size();
    }

    int maxReplacements() {
        return maxReplacements;
    }

    Duration window() {
        return window;
    }

    /** Whether a new stream thread recovers from this failure (see the class comment). */
    static boolean isRecoverable(Throwable failure) {
        boolean recoverable = false;
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof ConfigException) {
                return false;
            }
            Throwable cause = t;
            recoverable |= RECOVERABLE.stream().anyMatch(type -> type.isInstance(cause));
        }
        return recoverable;
    }
}
