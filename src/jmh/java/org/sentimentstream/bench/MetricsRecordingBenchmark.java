package org.sentimentstream.bench;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sentimentstream.ops.ServiceMetrics;
import org.sentimentstream.stream.ProcessingMetrics;

/**
 * Nanoseconds of metric recording per classified record, one thread: what the topology reports for a record
 * (received, buffered +1 and -1, classified with its label and event-time latency) and, once per 32 records,
 * for its batch, into the service's {@link ServiceMetrics} on a Prometheus registry (docs/PERFORMANCE.md,
 * "Metrics on and off").
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MetricsRecordingBenchmark {

    private static final int RECORDS = 32;
    private static final String[] LABELS = {"negative", "positive"};

    private PrometheusMeterRegistry registry;
    private ProcessingMetrics metrics;
    private long eventTime = 1_000_000;

    @Setup
    public void open() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics = new ServiceMetrics(registry);
    }

    @TearDown
    public void close() {
        registry.close();
    }

    /** One operation is one record: a batch of 32 per invocation. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void recordABatch() {
        for (int i = 0; i < RECORDS; i++) {
            metrics.recordReceived();
            metrics.bufferedChanged(1);
        }
        long time = eventTime++;
        for (int i = 0; i < RECORDS; i++) {
            metrics.classified(LABELS[i & 1], time, time + 40 + (i * 37) % 900);
            metrics.bufferedChanged(-1);
        }
        metrics.batchClassified(RECORDS, 4_000_000);
    }
}
