package org.sentimentstream.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryJsonTest {

    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path folder;

    private static LoadTestSummary summary() {
        ResultTracker tracker = new ResultTracker(1);
        RunIds ids = new RunIds("r1");
        for (int i = 0; i < 4; i++) {
            tracker.sending(i);
        }
        tracker.result(0, T0, T0 + 5, (T0 + 100) * 1000);
        tracker.result(1, T0, T0 + 5, (T0 + 20) * 1000);
        tracker.result(2, T0, T0 + 5, (T0 + 40) * 1000);
        tracker.result(2, T0, T0 + 5, (T0 + 60) * 1000);
        return new LoadTestSummary(
                "r1", "in", "out", "avro", 500, "texts.txt", 480.5, tracker.snapshot(ids, 10), false);
    }

    @Test
    void shouldWriteEveryFigureUnderAStableName() throws Exception {
        JsonNode json = new ObjectMapper().readTree(new SummaryJson().toJson(summary()));

        assertThat(json.get("run_id").asText()).isEqualTo("r1");
        assertThat(json.get("format").asText()).isEqualTo("avro");
        assertThat(json.get("target_rate_per_s").asDouble()).isEqualTo(500.0);
        assertThat(json.get("events_sent").asLong()).isEqualTo(4);
        assertThat(json.get("warmup_events").asLong()).isEqualTo(1);
        assertThat(json.get("results_received").asLong()).isEqualTo(3);
        assertThat(json.get("duplicate_results").asLong()).isEqualTo(1);
        assertThat(json.get("dead_letters").asLong()).isZero();
        assertThat(json.get("missing").asLong()).isEqualTo(1);
        assertThat(json.get("missing_ids")).hasSize(1);
        assertThat(json.get("missing_ids").get(0).asText()).isEqualTo("r1-3");
        assertThat(json.get("complete").asBoolean()).isFalse();
        assertThat(json.get("measured_results").asLong()).isEqualTo(2);
        assertThat(json.get("send_rate_per_s").asDouble()).isEqualTo(480.5);
        assertThat(json.get("window_s").isNumber()).isTrue();
        assertThat(json.get("window_start_epoch_ms").asLong()).isEqualTo(T0 + 20);
        assertThat(json.get("throughput_per_s").isNumber()).isTrue();
        JsonNode latency = json.get("latency_ms");
        assertThat(latency.get("count").asLong()).isEqualTo(2);
        assertThat(List.of("p50", "p99", "p99_9", "max", "mean"))
                .allSatisfy(name ->
                        assertThat(latency.get(name).isNumber()).as(name).isTrue());
        assertThat(latency.get("max").asDouble()).isBetween(39.9, 40.1);
        JsonNode toClassified = json.get("to_classified_ms");
        assertThat(toClassified.get("count").asLong()).isEqualTo(2);
        assertThat(toClassified.get("max").asDouble()).isBetween(4.99, 5.01);
    }

    @Test
    void shouldWriteTheSummaryToAFileInMissingFolders() throws Exception {
        Path file = folder.resolve("a/b/summary.json");

        new SummaryJson().write(summary(), file);

        assertThat(new ObjectMapper()
                        .readTree(Files.readString(file))
                        .get("run_id")
                        .asText())
                .isEqualTo("r1");
    }
}
