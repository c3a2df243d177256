package org.sentimentstream.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.sentimentstream.model.LoadedModel;
import org.sentimentstream.model.ModelReloadListener;
import org.sentimentstream.stream.ProcessingMetrics;
import org.sentimentstream.stream.RejectReason;

/**
 * The service's own metrics, recorded into a Micrometer registry (Prometheus names in brackets):
 *
 * <ul>
 *   <li>records received ({@code sentiment_records_received_total}), classified per label
 *       ({@code sentiment_records_classified_total{label}}), dead-lettered per reason
 *       ({@code sentiment_records_dead_lettered_total{reason}}, every reason present from the start);
 *   <li>batches: records per batch ({@code sentiment_batch_size_records}, a histogram) and the model's time
 *       per batch ({@code sentiment_model_call_seconds}, a histogram);
 *   <li>records waiting in the batch buffers ({@code sentiment_records_buffered}, a gauge);
 *   <li>latency from the input's event time to {@code classified_at} ({@code sentiment_event_latency_seconds},
 *       a histogram: p99 with {@code histogram_quantile});
 *   <li>the serving model ({@code sentiment_model_info{name,version,provider}} = 1) and model file reloads
 *       ({@code sentiment_model_reloads_total{result="applied"|"refused"}}).
 * </ul>
 *
 * Per-record recording touches only meters created up front (a counter per reason, one per label once it
 * was seen, the timers): no registry look-up per record. Thread-safe.
 */
public final class ServiceMetrics implements ProcessingMetrics, ModelReloadListener {

    static final String RECEIVED = "sentiment.records.received";
    static final String CLASSIFIED = "sentiment.records.classified";
    static final String DEAD_LETTERED = "sentiment.records.dead.lettered";
    static final String BATCH_SIZE = "sentiment.batch.size";
    static final String MODEL_CALL = "sentiment.model.call";
    static final String BUFFERED = "sentiment.records.buffered";
    static final String EVENT_LATENCY = "sentiment.event.latency";
    static final String MODEL_INFO = "sentiment.model.info";
    static final String MODEL_RELOADS = "sentiment.model.reloads";
    static final String STREAM_THREAD_REPLACEMENTS = "sentiment.stream.thread.replacements";

    /** Histogram buckets of the event-time latency: from 5 ms to 5 minutes. */
    static final Duration[] LATENCY_BUCKETS =
            millis(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000);
    /** Histogram buckets of the model's time per batch: from 0.5 ms to 10 s. */
    static final Duration[] MODEL_CALL_BUCKETS =
            micros(500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 1_000_000, 10_000_000);
    /** Histogram buckets of the batch size: powers of two up to batch.max.records' maximum. */
    static final double[] BATCH_SIZE_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};

    private final MeterRegistry registry;
    private final Counter received;
    private final Map<RejectReason, Counter> deadLettered = new EnumMap<>(RejectReason.class);
    private final Map<String, Counter> classifiedByLabel = new ConcurrentHashMap<>();
    private final DistributionSummary batchSize;
    private final Timer modelCall;
    private final Timer eventLatency;
    private final AtomicLong buffered = new AtomicLong();
    private final Counter reloadsApplied;
    private final Counter reloadsRefused;
    private final Counter threadReplacements;
    private final Object modelInfoLock = new Object();
    private Gauge modelInfo;

    public ServiceMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        received = Counter.builder(RECEIVED)
                .description("Input records received (before they are checked)")
                .register(registry);
        for (RejectReason reason : RejectReason.values()) {
            deadLettered.put(
                    reason,
                    Counter.builder(DEAD_LETTERED)
                            .description("Records sent to the dead-letter topic, by reason")
                            .tag("reason", reason.name())
                            .register(registry));
        }
        batchSize = DistributionSummary.builder(BATCH_SIZE)
                .description("Records per classified batch")
                .baseUnit("records")
                .serviceLevelObjectives(BATCH_SIZE_BUCKETS)
                .register(registry);
        modelCall = Timer.builder(MODEL_CALL)
                .description("Time the model took per batch (all its ONNX Runtime calls)")
                .serviceLevelObjectives(MODEL_CALL_BUCKETS)
                .register(registry);
        eventLatency = Timer.builder(EVENT_LATENCY)
                .description("Time from the input event's event_time to its classified_at (negative counts as 0)")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        Gauge.builder(BUFFERED, buffered, AtomicLong::get)
                .description("Records waiting in this instance's batch buffers")
                .register(registry);
        reloadsApplied = reloads("applied");
        reloadsRefused = reloads("refused");
        threadReplacements = Counter.builder(STREAM_THREAD_REPLACEMENTS)
                .description("Stream threads replaced after a failure a new thread recovers from (the process stayed)")
                .register(registry);
    }

    /** A failed stream thread was replaced by a new one. */
    public void streamThreadReplaced() {
        threadReplacements.increment();
    }

    private Counter reloads(String result) {
        return Counter.builder(MODEL_RELOADS)
                .description("Replacements of the model file: applied, or refused (the old model kept serving)")
                .tag("result", result)
                .register(registry);
    }

    /** Shows {@code model} as the serving model in {@code sentiment_model_info} (replacing the one before). */
    public void modelServing(LoadedModel model) {
        modelServing(
                model.metadata().name(),
                model.metadata().version(),
                model.provider().configValue());
    }

    /** Shows a model as the serving model in {@code sentiment_model_info} (replacing the one before). */
    public void modelServing(String name, String version, String provider) {
        synchronized (modelInfoLock) {
            if (modelInfo != null) {
                registry.remove(modelInfo);
            }
            modelInfo = Gauge.builder(MODEL_INFO, () -> 1)
                    .description("The model that classifies new batches (value 1): name, version, execution provider")
                    .tags(Tags.of("name", name, "version", version, "provider", provider))
                    .register(registry);
        }
    }

    /** Makes the counter of a label exist (at 0) before its first record. */
    public void expectLabel(String label) {
        classifiedCounter(label);
    }

    @Override
    public void recordReceived() {
        received.increment();
    }

    @Override
    public void deadLettered(RejectReason reason) {
        deadLettered.get(reason).increment();
    }

    @Override
    public void batchClassified(int records, long modelNanos) {
        batchSize.record(records);
        modelCall.record(modelNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void classified(String label, long eventTimeMs, long classifiedAtMs) {
        classifiedCounter(label).increment();
        eventLatency.record(Math.max(0, classifiedAtMs - eventTimeMs), TimeUnit.MILLISECONDS);
    }

    @Override
    public void bufferedChanged(int delta) {
        buffered.addAndGet(delta);
    }

    @Override
    public void applied(LoadedModel previous, LoadedModel next) {
        reloadsApplied.increment();
        modelServing(next);
    }

    @Override
    public void refused(String file, String reason) {
        reloadsRefused.increment();
    }

    private Counter classifiedCounter(String label) {
        Counter counter = classifiedByLabel.get(label);
        if (counter != null) {
            return counter;
        }
        return classifiedByLabel.computeIfAbsent(
                label,
                name -> Counter.builder(CLASSIFIED)
                        .description("Records classified, by label")
                        .tag("label", name)
                        .register(registry));
    }

    private static Duration[] millis(long... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofMillis(values[i]);
        }
        return durations;
    }

    private static Duration[] micros(long... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofNanos(values[i] * 1_000);
        }
        return durations;
    }
}
