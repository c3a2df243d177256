package org.sentimentstream.loadtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine-readable summary of a load test: one JSON object with snake_case fields, latencies in
 * milliseconds. Its shape is what scripts (benchmarks/e2e.sh) read; change it with care.
 */
public final class SummaryJson {

    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The summary as a JSON tree. */
    public ObjectNode toTree(LoadTestSummary summary) {
        ResultTracker.Snapshot counts = summary.counts();
        ObjectNode root = mapper.createObjectNode();
        root.put("run_id", summary.runId());
        root.put("input_topic", summary.inputTopic());
        root.put("output_topic", summary.outputTopic());
        root.put("format", summary.format());
        root.put("target_rate_per_s", summary.targetRate());
        root.put("texts", summary.texts());
        root.put("events_sent", counts.sent());
        root.put("warmup_events", counts.warmup());
        root.put("send_failures", counts.sendFailures());
        root.put("send_rate_per_s", summary.sendRate());
        root.put("results_received", counts.results());
        root.put("duplicate_results", counts.duplicates());
        root.put("dead_letters", counts.deadLetters());
        root.put("missing", counts.missing());
        counts.missingSample().forEach(root.putArray("missing_ids")::add);
        root.put("complete", summary.complete());
        root.put("measured_results", counts.latency().count());
        root.put("window_start_epoch_ms", counts.windowStartMicros() / 1000);
        root.put("window_s", counts.windowSeconds());
        root.put("throughput_per_s", counts.throughputPerSecond());
        putLatency(root.putObject("latency_ms"), counts.latency());
        putLatency(root.putObject("to_classified_ms"), counts.toClassified());
        ObjectNode stages = root.putObject("stages_ms");
        counts.stages().forEach((name, latency) -> putLatency(stages.putObject(name), latency));
        if (counts.inputToOutputTopic().count() > 0) {
            putLatency(root.putObject("input_topic_to_output_topic_ms"), counts.inputToOutputTopic());
        }
        return root;
    }

    private static void putLatency(ObjectNode node, LatencySummary latency) {
        node.put("count", latency.count());
        node.put("p50", latency.p50());
        node.put("p99", latency.p99());
        node.put("p99_9", latency.p999());
        node.put("max", latency.max());
        node.put("mean", latency.mean());
    }

    /** The summary as indented JSON text. */
    public String toJson(LoadTestSummary summary) {
        try {
            return mapper.writeValueAsString(toTree(summary));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the summary as JSON", e);
        }
    }

    /** Writes the summary to a file (replacing it). */
    public void write(LoadTestSummary summary, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toJson(summary) + System.lineSeparator());
    }
}
