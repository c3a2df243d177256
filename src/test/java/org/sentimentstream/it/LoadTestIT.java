package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sentimentstream.app.ServiceTopics;
import org.sentimentstream.cli.Main;
import org.sentimentstream.serde.WireFormat;
import org.sentimentstream.stream.Topics;

/**
 * {@code loadtest} end to end: the service in its own JVM on a real broker, and the command run twice
 * on the same topics (two runs must not count each other's results).
 */
@Tag("integration")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class LoadTestIT {

    private static final int EVENTS = 300;
    private static final int WARMUP = 50;

    @RegisterExtension
    static final LocalBrokerExtension KAFKA = new LocalBrokerExtension();

    @TempDir
    Path folder;

    @Test
    void shouldGetEveryEventBackAndMeasureEachMeasuredOne() throws Exception {
        Topics topics = ItKafka.createTopics(KAFKA.broker(), "loadtest", 2);
        Path texts = Files.write(folder.resolve("texts.txt"), GeneratedTexts.generate(100, 5));
        ServiceProcess service = new ServiceProcess(
                new ServiceArguments(
                                KAFKA.broker().bootstrapServers(),
                                topics,
                                "loadtest-it-" + UUID.randomUUID(),
                                StreamsConfig.AT_LEAST_ONCE,
                                folder.resolve("state"))
                        .toList(),
                folder.resolve("service.log"));
        service.start();
        try (OutputCollector<OutputRecord> output = new OutputCollector<>(
                KAFKA.broker().bootstrapServers(), topics.output(), OutputRecord.decoder(topics))) {
            int first = loadtest(topics, texts, "first", "200");
            int second = loadtest(topics, texts, "second", "max");

            JsonNode firstSummary = summary("first");
            JsonNode secondSummary = summary("second");
            Set<String> expected = IntStream.range(0, EVENTS)
                    .mapToObj(i -> List.of("first-" + i, "second-" + i))
                    .flatMap(List::stream)
                    .collect(Collectors.toSet());
            List<OutputRecord> results =
                    output.awaitUntil(r -> OutputRecord.ids(r).containsAll(expected), ItKafka.TIMEOUT);

            assertThat(first)
                    .as("exit code of the first run; service log:\n%s", service.logTail())
                    .isZero();
            assertThat(second).as("exit code of the second run").isZero();
            assertThat(OutputRecord.ids(results))
                    .as("every id of both runs is on the output topic")
                    .containsAll(expected);
            for (JsonNode summary : List.of(firstSummary, secondSummary)) {
                assertThat(summary.get("events_sent").asLong()).isEqualTo(EVENTS);
                assertThat(summary.get("results_received").asLong())
                        .as("only the run's own results count")
                        .isEqualTo(EVENTS);
                assertThat(summary.get("missing").asLong()).isZero();
                assertThat(summary.get("missing_ids")).isEmpty();
                assertThat(summary.get("dead_letters").asLong()).isZero();
                assertThat(summary.get("complete").asBoolean()).isTrue();
                assertThat(summary.get("warmup_events").asLong()).isEqualTo(WARMUP);
                assertThat(summary.get("measured_results").asLong()).isEqualTo(EVENTS - WARMUP);
                assertThat(summary.get("latency_ms").get("count").asLong())
                        .as("the histogram holds one latency per measured event")
                        .isEqualTo(EVENTS - WARMUP);
            }
            assertThat(firstSummary.get("target_rate_per_s").asDouble()).isEqualTo(200.0);
            assertThat(secondSummary.get("target_rate_per_s").asDouble()).isZero();
            // The service's own count, read over HTTP from the port its log names (metrics.port=0).
            OpsEndpoint ops = OpsEndpoint.fromLog(folder.resolve("service.log"), ItKafka.TIMEOUT);
            assertThat(Conditions.await(
                            () -> ops.metrics().sum("sentiment_records_classified_total") == 2.0 * EVENTS,
                            ItKafka.TIMEOUT))
                    .as("the service counted every classified record of both runs")
                    .isTrue();
            assertThat(ops.get("/health/ready").statusCode()).isEqualTo(200);
        } finally {
            int exitCode = service.stop();
            assertThat(exitCode).as("SIGTERM stops the service cleanly").isIn(0, 143);
        }
    }

    @Test
    void shouldBreakTheLatencyDownIntoTheStagesTheServiceStamps() throws Exception {
        String unique = "stages-" + UUID.randomUUID().toString().substring(0, 8);
        Topics topics = new Topics(unique + "-in", unique + "-out", unique + "-dlq", WireFormat.AVRO, WireFormat.AVRO);
        try (Admin admin = KAFKA.broker().createAdmin()) {
            // What loadtest --create-topics --log-append-time creates.
            ServiceTopics.create(
                    admin,
                    topics,
                    2,
                    (short) 1,
                    Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"),
                    ItKafka.TIMEOUT);
        }
        Path texts = Files.write(folder.resolve("texts.txt"), GeneratedTexts.generate(100, 5));
        ServiceProcess service = new ServiceProcess(
                new ServiceArguments(
                                KAFKA.broker().bootstrapServers(),
                                topics,
                                "loadtest-stages-it-" + UUID.randomUUID(),
                                StreamsConfig.AT_LEAST_ONCE,
                                folder.resolve("state"))
                        .with("output.timing.headers", "true")
                        .toList(),
                folder.resolve("service.log"));
        service.start();
        try {
            int exitCode = loadtest(topics, texts, "stages", "200");

            assertThat(exitCode)
                    .as("exit code; service log:\n%s", service.logTail())
                    .isZero();
            JsonNode summary = summary("stages");
            long measured = summary.get("measured_results").asLong();
            assertThat(measured).isEqualTo(EVENTS - WARMUP);
            JsonNode stages = summary.get("stages_ms");
            assertThat(stages.fieldNames())
                    .toIterable()
                    .containsExactly(
                            "event_to_input_topic",
                            "input_topic_to_service",
                            "in_batch_buffer",
                            "model",
                            "model_to_sent",
                            "sent_to_output_topic",
                            "output_topic_to_reader");
            stages.forEach(stage -> {
                assertThat(stage.get("count").asLong()).isEqualTo(measured);
                assertThat(stage.get("max").asDouble())
                        .isLessThanOrEqualTo(
                                summary.get("latency_ms").get("max").asDouble());
            });
            JsonNode serviceShare = summary.get("input_topic_to_output_topic_ms");
            assertThat(serviceShare.get("count").asLong()).isEqualTo(measured);
            assertThat(serviceShare.get("max").asDouble())
                    .isLessThanOrEqualTo(summary.get("latency_ms").get("max").asDouble());
        } finally {
            int exitCode = service.stop();
            assertThat(exitCode).as("SIGTERM stops the service cleanly").isIn(0, 143);
        }
    }

    private int loadtest(Topics topics, Path texts, String runId, String rate) {
        List<String> arguments = new ArrayList<>(List.of(
                "loadtest",
                "-b",
                KAFKA.broker().bootstrapServers(),
                "--set",
                "input.topic=" + topics.input(),
                "--set",
                "output.topic=" + topics.output(),
                "--set",
                "dead.letter.topic=" + topics.deadLetter(),
                "--rate",
                rate,
                "--events",
                Integer.toString(EVENTS),
                "--warmup",
                Integer.toString(WARMUP),
                "--texts",
                texts.toString(),
                "--run-id",
                runId,
                "--drain-timeout",
                ItKafka.TIMEOUT.toSeconds() + "s",
                "--json",
                folder.resolve(runId + ".json").toString()));
        return Main.execute(arguments.toArray(String[]::new));
    }

    private JsonNode summary(String runId) throws Exception {
        return new ObjectMapper().readTree(folder.resolve(runId + ".json").toFile());
    }
}
