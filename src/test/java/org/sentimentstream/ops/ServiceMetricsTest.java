package org.sentimentstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sentimentstream.stream.RejectReason;

/** What the service's metrics look like to Prometheus after known events. */
class ServiceMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ServiceMetrics metrics = new ServiceMetrics(registry);

    @AfterEach
    void close() {
        registry.close();
    }

    private PrometheusText scrape() {
        String text = registry.scrape();
        return PrometheusText.parse(text);
    }

    @Test
    void shouldCountRecordsReceivedClassifiedByLabelAndDeadLetteredByReason() {
        for (int i = 0; i < 6; i++) {
            metrics.recordReceived();
        }
        metrics.classified("positive", 1_000, 1_010);
        metrics.classified("positive", 1_000, 1_020);
        metrics.classified("negative", 1_000, 1_030);
        metrics.deadLettered(RejectReason.EMPTY_TEXT);
        metrics.deadLettered(RejectReason.MODEL_ERROR);
        metrics.deadLettered(RejectReason.MODEL_ERROR);

        PrometheusText scrape = scrape();

        assertThat(scrape.value("sentiment_records_received_total")).isEqualTo(6.0);
        assertThat(scrape.value("sentiment_records_classified_total{label=\"positive\"}"))
                .isEqualTo(2.0);
        assertThat(scrape.value("sentiment_records_classified_total{label=\"negative\"}"))
                .isEqualTo(1.0);
        assertThat(scrape.value("sentiment_records_dead_lettered_total{reason=\"EMPTY_TEXT\"}"))
                .isEqualTo(1.0);
        assertThat(scrape.value("sentiment_records_dead_lettered_total{reason=\"MODEL_ERROR\"}"))
                .isEqualTo(2.0);
        for (RejectReason reason : RejectReason.values()) {
            assertThat(scrape.value("sentiment_records_dead_lettered_total{reason=\"" + reason.name() + "\"}"))
                    .as("every reason is a series from the start: " + reason)
                    .isNotNull();
        }
    }

    @Test
    void shouldRecordTheEventTimeLatencyAsAHistogram() {
        metrics.classified("positive", 10_000, 10_030);
        metrics.classified("positive", 10_000, 10_070);
        metrics.classified("negative", 10_000, 12_000);
        metrics.classified("negative", 10_000, 9_000);

        PrometheusText scrape = scrape();

        assertThat(scrape.value("sentiment_event_latency_seconds_count")).isEqualTo(4.0);
        assertThat(scrape.value("sentiment_event_latency_seconds_bucket{le=\"0.005\"}"))
                .as("an event time in the future counts as 0")
                .isEqualTo(1.0);
        assertThat(scrape.value("sentiment_event_latency_seconds_bucket{le=\"0.05\"}"))
                .isEqualTo(2.0);
        assertThat(scrape.value("sentiment_event_latency_seconds_bucket{le=\"0.1\"}"))
                .isEqualTo(3.0);
        assertThat(scrape.value("sentiment_event_latency_seconds_bucket{le=\"2.5\"}"))
                .isEqualTo(4.0);
        assertThat(scrape.value("sentiment_event_latency_seconds_bucket{le=\"+Inf\"}"))
                .isEqualTo(4.0);
        assertThat(scrape.value("sentiment_event_latency_seconds_sum"))
                .isCloseTo(2.1, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void shouldRecordBatchSizesModelTimeAndBufferedRecords() {
        metrics.batchClassified(3, 2_000_000);
        metrics.batchClassified(32, 40_000_000);
        metrics.bufferedChanged(35);
        metrics.bufferedChanged(-32);

        PrometheusText scrape = scrape();

        assertThat(scrape.value("sentiment_batch_size_records_count")).isEqualTo(2.0);
        assertThat(scrape.value("sentiment_batch_size_records_sum")).isEqualTo(35.0);
        assertThat(scrape.value("sentiment_batch_size_records_bucket{le=\"4.0\"}"))
                .isEqualTo(1.0);
        assertThat(scrape.value("sentiment_batch_size_records_bucket{le=\"32.0\"}"))
                .isEqualTo(2.0);
        assertThat(scrape.value("sentiment_model_call_seconds_count")).isEqualTo(2.0);
        assertThat(scrape.value("sentiment_model_call_seconds_bucket{le=\"0.0025\"}"))
                .isEqualTo(1.0);
        assertThat(scrape.value("sentiment_model_call_seconds_bucket{le=\"0.05\"}"))
                .isEqualTo(2.0);
        assertThat(scrape.value("sentiment_records_buffered")).isEqualTo(3.0);
    }

    @Test
    void shouldShowOnlyTheServingModelInTheInfoMetricAndCountReloads() {
        metrics.modelServing("sentiment-bilstm", "1.1.0", "cpu");
        metrics.modelServing("sentiment-bilstm", "1.2.0", "cuda");
        metrics.refused("/models/m.onnx", "corrupt");
        metrics.refused("/models/m.onnx", "other labels");

        PrometheusText scrape = scrape();

        assertThat(scrape.value("sentiment_model_info{name=\"sentiment-bilstm\",provider=\"cuda\",version=\"1.2.0\"}"))
                .isEqualTo(1.0);
        assertThat(scrape.samples().keySet().stream().filter(s -> s.startsWith("sentiment_model_info")))
                .hasSize(1);
        assertThat(scrape.value("sentiment_model_reloads_total{result=\"refused\"}"))
                .isEqualTo(2.0);
        assertThat(scrape.value("sentiment_model_reloads_total{result=\"applied\"}"))
                .isEqualTo(0.0);
    }

    @Test
    void shouldShowALabelBeforeItsFirstRecordWhenExpected() {
        metrics.expectLabel("negative");

        assertThat(scrape().value("sentiment_records_classified_total{label=\"negative\"}"))
                .isEqualTo(0.0);
    }
}
