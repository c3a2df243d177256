package org.sentimentstream.stream;

/**
 * What the topology reports while it works, for metrics. Called on stream threads, several at once:
 * implementations must be thread-safe and cheap (no I/O, no blocking). Every method has an empty default,
 * so an implementation records only what it needs; {@link #NONE} records nothing.
 */
public interface ProcessingMetrics {

    /** Records nothing. */
    ProcessingMetrics NONE = new ProcessingMetrics() {};

    /** An input record arrived (before it is checked). */
    default void recordReceived() {}

    /** A record went to the dead-letter topic. */
    default void deadLettered(RejectReason reason) {}

    /**
     * A batch was classified: how many records it held and how long the model took for it, all its ONNX
     * Runtime calls together (and the calls that isolated a failing record, if any).
     */
    default void batchClassified(int records, long modelNanos) {}

    /**
     * A result was written.
     *
     * @param label          the label it got
     * @param eventTimeMs    the input event's time
     * @param classifiedAtMs the time of classification (its {@code classified_at})
     */
    default void classified(String label, long eventTimeMs, long classifiedAtMs) {}

    /** The records waiting in this instance's batch buffers changed by {@code delta}. */
    default void bufferedChanged(int delta) {}
}
