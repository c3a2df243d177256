package org.sentimentstream.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The calling thread's CPU time and the records it handled over one iteration, reported as JMH
 * secondary results {@code cpuMicros} and {@code records} (summed over threads). Where all the work runs
 * on the caller (Java code, ONNX Runtime with one intra-op thread), records per CPU-second follow, a
 * figure that a busy machine disturbs far less than the wall-clock score.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CallerCpuTime {

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private long startNanos;
    public long cpuMicros;
    public long records;

    @Setup(Level.Iteration)
    public void begin() {
        records = 0;
        cpuMicros = 0;
        startNanos = threads.getCurrentThreadCpuTime();
    }

    @TearDown(Level.Iteration)
    public void end() {
        cpuMicros = (threads.getCurrentThreadCpuTime() - startNanos) / 1000;
    }

    void add(int count) {
        records += count;
    }
}
