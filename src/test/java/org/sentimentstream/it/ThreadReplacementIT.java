package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sentimentstream.app.SentimentService;
import org.sentimentstream.app.ServiceTopics;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.model.ModelInfo;
import org.sentimentstream.model.Prediction;
import org.sentimentstream.model.SentimentClassifier;
import org.sentimentstream.serde.WireFormat;
import org.sentimentstream.stream.Topics;
import org.sentimentstream.tokenizer.Tokens;

/**
 * A stream thread that fails on invalid transactional state is replaced, not the process (issue 24 item 4):
 * on the shared three-broker cluster, under exactly_once_v2, an {@link InvalidTxnStateException} thrown once
 * inside a stream thread mid-stream (injected at the model call: the broker-side cause is not reproducible on
 * demand) makes Kafka Streams replace the thread; the service keeps running, the replacement is counted, and
 * every id has exactly one committed result.
 */
@Tag("integration")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ThreadReplacementIT {

    private static final int EVENTS = 600;
    private static final Duration WAIT = Duration.ofMinutes(4);

    @RegisterExtension
    static final LocalClusterExtension KAFKA = LocalClusterExtension.shared();

    @RegisterExtension
    static final BundledModelExtension MODEL = new BundledModelExtension();

    @TempDir
    Path stateDir;

    @Test
    void shouldReplaceTheStreamThreadNotTheProcessAndDeliverEveryIdOnceUnderExactlyOnce() throws Exception {
        String unique = "replace-" + UUID.randomUUID().toString().substring(0, 8);
        Topics topics = new Topics(unique + "-in", unique + "-out", unique + "-dlq", WireFormat.AVRO, WireFormat.AVRO);
        try (Admin admin = KAFKA.cluster().createAdmin()) {
            ServiceTopics.create(admin, topics, Optional.of(2), Optional.empty(), Map.of(), ItKafka.TIMEOUT);
        }
        Map<String, Object> settings = ItKafka.serviceSettings(KAFKA.cluster(), topics, "replace-it", stateDir);
        settings.put(SentimentStreamConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        settings.put(SentimentStreamConfig.BATCH_MAX_RECORDS_CONFIG, "16");
        List<TextEvent> events = ItKafka.events("r", GeneratedTexts.generate(EVENTS, 5));
        Set<String> ids = events.stream().map(TextEvent::getId).collect(Collectors.toSet());
        FailingOnce classifier = new FailingOnce(MODEL.classifier(), 8);

        try (SentimentService service = SentimentService.create(new SentimentStreamConfig(settings), classifier);
                OutputCollector<OutputRecord> output = new OutputCollector<>(
                        KAFKA.cluster().bootstrapServers(), topics.output(), OutputRecord.decoder(topics))) {
            service.start();
            ItKafka.send(KAFKA.cluster().bootstrapServers(), topics, events);

            List<OutputRecord> results = output.awaitUntil(
                    r -> OutputRecord.ids(r).containsAll(ids)
                            || service.failure().isPresent(),
                    WAIT);

            assertThat(classifier.failed()).as("the injected failure happened").isEqualTo(1);
            assertThat(service.failure()).as("the service did not stop").isEmpty();
            assertThat(service.state()).isIn(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
            DeliveryReport report = DeliveryReport.ofResults(ids, results);
            assertThat(report.lost()).as("ids with no result").isEmpty();
            assertThat(report.duplicated()).as("ids with two committed results").isEmpty();
            assertThat(report.unexpected()).isEmpty();
            InetSocketAddress ops = service.operationsAddress().orElseThrow();
            assertThat(new OpsEndpoint(ops).metrics().value("sentiment_stream_thread_replacements_total"))
                    .isEqualTo(1.0);
        }
    }

    /** The model, but the {@code failAt}-th batch throws InvalidTxnStateException (once). */
    private static final class FailingOnce implements SentimentClassifier {
        private final SentimentClassifier model;
        private final int failAt;
        private final AtomicInteger calls = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();

        FailingOnce(SentimentClassifier model, int failAt) {
            this.model = model;
            this.failAt = failAt;
        }

        int failed() {
            return failed.get();
        }

        @Override
        public ModelInfo info() {
            return model.info();
        }

        @Override
        public Tokens tokenize(String text) {
            return model.tokenize(text);
        }

        @Override
        public List<Prediction> classify(List<Tokens> batch) {
            if (calls.incrementAndGet() == failAt) {
                failed.incrementAndGet();
                throw new InvalidTxnStateException("injected by ThreadReplacementIT");
            }
            return model.classify(batch);
        }

        @Override
        public void close() {
            // The extension owns the model.
        }
    }
}
