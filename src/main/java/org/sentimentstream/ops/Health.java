package org.sentimentstream.ops;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liveness and readiness of the service, from what Kafka Streams reports (its state changes, a stream
 * thread that died) and whether a model is loaded. Reading a verdict never changes anything.
 *
 * <ul>
 *   <li><b>Live</b> unless a stream thread died (the uncaught-exception handler ran) or Kafka Streams is
 *       in {@code PENDING_ERROR}/{@code ERROR}: a restart is then the cure. Starting, rebalancing and
 *       restoring are live.
 *   <li><b>Ready</b> when a model is loaded and Kafka Streams is {@code RUNNING}; also while it is
 *       {@code REBALANCING} after having been RUNNING, for at most the bound, so that a routine rebalance
 *       does not flap readiness, while one that hangs does show. Not ready before the first RUNNING. State
 *       restoration (the batch buffer's changelog) runs in Kafka Streams' state updater, also while the
 *       client is RUNNING: a partition restoring for longer than the same bound makes the service not
 *       ready either ({@link #restoreListener()}).
 * </ul>
 *
 * Thread-safe: Kafka Streams' threads report, the HTTP server's thread reads.
 */
public final class Health {

    private static final Logger LOG = LoggerFactory.getLogger(Health.class);

    /** A verdict: whether the check passes, and the facts behind it (the response body). */
    public record Verdict(boolean ok, Map<String, Object> details) {
        public Verdict {
            details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
        }
    }

    private final Supplier<String> model;
    private final long rebalancingBoundNanos;
    private final LongSupplier nanoTime;

    private volatile State state = State.CREATED;
    private volatile long rebalancingSinceNanos;
    private volatile boolean wasRunning;
    private volatile String threadFailure;
    /** Partitions whose state is being restored, with when their restore started. */
    private final Map<TopicPartition, Long> restoringSince = new ConcurrentHashMap<>();

    /**
     * @param model            the loaded model's name and version, or null while none is loaded
     * @param rebalancingBound how long a rebalance after RUNNING keeps the service ready
     * @param nanoTime         the clock ({@code System::nanoTime})
     */
    public Health(Supplier<String> model, Duration rebalancingBound, LongSupplier nanoTime) {
        this.model = Objects.requireNonNull(model, "model");
        this.rebalancingBoundNanos = rebalancingBound.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** Kafka Streams' state listener calls this on every change. */
    public void onStateChange(State newState, State oldState) {
        if (newState == State.REBALANCING && oldState != State.REBALANCING) {
            rebalancingSinceNanos = nanoTime.getAsLong();
        }
        if (newState == State.RUNNING) {
            wasRunning = true;
        }
        state = newState;
    }

    /**
     * The stream-thread exception handler calls this: the thread is dead. Only the exception's class goes
     * into the liveness body, which anyone who reaches the port can read; its message (broker names,
     * registry URLs, file paths) is for the log, where the handler writes it.
     */
    public void onStreamThreadFailure(Throwable failure) {
        threadFailure = failure.getClass().getName();
    }

    /** For {@code KafkaStreams.setGlobalStateRestoreListener}: tracks which partitions are restoring. */
    public StateRestoreListener restoreListener() {
        return new StateRestoreListener() {
            @Override
            public void onRestoreStart(TopicPartition partition, String store, long startOffset, long endOffset) {
                restoringSince.put(partition, nanoTime.getAsLong());
            }

            @Override
            public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long restored) {
                // Progress within a restore changes no verdict.
            }

            @Override
            public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
                Long since = restoringSince.remove(partition);
                // What a fail-over or restart cost (a standby replica shortens it): docs/RELIABILITY.md.
                LOG.info(
                        "Restored {} records of {} from {} in {} ms",
                        totalRestored,
                        store,
                        partition,
                        since == null ? 0 : TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - since));
            }

            @Override
            public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
                restoringSince.remove(partition);
            }
        };
    }

    /** Whether the process should be left running. */
    public Verdict liveness() {
        State current = state;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", current.name());
        String failure = threadFailure;
        boolean ok = failure == null && current != State.ERROR && current != State.PENDING_ERROR;
        details.put("status", ok ? "UP" : "DOWN");
        if (failure != null) {
            details.put("reason", "a stream thread died: " + failure);
        } else if (!ok) {
            details.put("reason", "Kafka Streams is in state " + current.name());
        }
        return new Verdict(ok, reorder(details));
    }

    /** Whether the service is doing its work: RUNNING with a model, or briefly rebalancing. */
    public Verdict readiness() {
        State current = state;
        String loaded = model.get();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", current.name());
        details.put("model", loaded);
        String reason = null;
        if (loaded == null) {
            reason = "no model is loaded";
        } else if (current == State.REBALANCING) {
            long millis = TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - rebalancingSinceNanos);
            details.put("rebalancing_ms", millis);
            if (!wasRunning) {
                reason = "starting: Kafka Streams has not been RUNNING yet (partitions being assigned, state restored)";
            } else if (millis > TimeUnit.NANOSECONDS.toMillis(rebalancingBoundNanos)) {
                reason = "rebalancing (or restoring state) for longer than "
                        + TimeUnit.NANOSECONDS.toMillis(rebalancingBoundNanos)
                        + " ms (health.ready.rebalancing.max.ms)";
            }
        } else if (current != State.RUNNING) {
            reason = "Kafka Streams is in state " + current.name() + ", not RUNNING";
        }
        if (!restoringSince.isEmpty()) {
            long now = nanoTime.getAsLong();
            long longest = restoringSince.values().stream()
                    .mapToLong(since -> now - since)
                    .max()
                    .orElse(0);
            details.put("restoring_partitions", restoringSince.size());
            details.put("restoring_ms", TimeUnit.NANOSECONDS.toMillis(longest));
            if (reason == null && longest > rebalancingBoundNanos) {
                reason = "restoring state for longer than " + TimeUnit.NANOSECONDS.toMillis(rebalancingBoundNanos)
                        + " ms (health.ready.rebalancing.max.ms)";
            }
        }
        details.put("status", reason == null ? "UP" : "DOWN");
        if (reason != null) {
            details.put("reason", reason);
        }
        return new Verdict(reason == null, reorder(details));
    }

    /** Puts "status" first in the body. */
    private static Map<String, Object> reorder(Map<String, Object> details) {
        Map<String, Object> ordered = new LinkedHashMap<>();
        ordered.put("status", details.get("status"));
        details.forEach(ordered::putIfAbsent);
        return ordered;
    }
}
