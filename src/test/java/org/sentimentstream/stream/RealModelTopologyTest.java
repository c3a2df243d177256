package org.sentimentstream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.model.ModelOptions;
import org.sentimentstream.model.OnnxSentimentClassifier;
import org.sentimentstream.model.Prediction;
import org.sentimentstream.serde.TestEvents;
import org.sentimentstream.serde.WireFormat;

/** The topology with the bundled ONNX model (model/sentiment-bilstm.onnx) instead of the test double. */
class RealModelTopologyTest {

    private static final List<String> TEXTS = List.of(
            "I love this phone, best purchase ever!!! :)",
            "worst service ever, never again @airline #fail",
            "meh. it's ok i guess",
            "Thanks for the follow! http://example.com/x",
            "so tired and my head hurts",
            "going to the beach tomorrow, can't wait");

    private static OnnxSentimentClassifier model;

    @BeforeAll
    static void openModel() {
        model = OnnxSentimentClassifier.openBundled(ModelOptions.defaults());
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    private static TopologySettings settings() {
        return new TopologySettings(
                Topics.defaults().withFormats(WireFormat.AVRO, WireFormat.JSON), 4, Duration.ofMillis(50), 4096, false);
    }

    @Test
    void shouldClassifyEachRecordInBatchesExactlyAsTheModelDoesAlone() {
        try (TopologyHarness harness = new TopologyHarness(settings(), model)) {
            for (int i = 0; i < TEXTS.size(); i++) {
                harness.send("k" + i, TestEvents.text("id-" + i, TEXTS.get(i)));
            }
            harness.advance(Duration.ofMillis(50));

            List<TestRecord<String, SentimentEvent>> results = harness.results();

            assertThat(results).extracting(TestRecord::key).containsExactly("k0", "k1", "k2", "k3", "k4", "k5");
            for (int i = 0; i < TEXTS.size(); i++) {
                SentimentEvent event = results.get(i).value();
                Prediction alone = model.classifyEncoded(List.of(model.encode(TEXTS.get(i))))
                        .get(0);
                assertThat(event.getId()).isEqualTo("id-" + i);
                assertThat(event.getLabel()).isEqualTo(alone.label());
                assertThat(event.getModelName()).isEqualTo(model.info().name());
                assertThat(event.getModelVersion()).isEqualTo(model.info().version());
                assertThat(event.getProbabilities().keySet())
                        .containsExactlyElementsOf(model.info().labels());
                for (int label = 0; label < alone.probabilities().length; label++) {
                    assertThat(event.getProbabilities()
                                    .get(model.info().labels().get(label)))
                            .isCloseTo(alone.probabilities()[label], within(1e-5f));
                }
                assertThat(event.getTokenCount())
                        .isEqualTo(model.encode(TEXTS.get(i)).tokenCount());
            }
        }
    }

    @Test
    void shouldReportTruncationAndRejectTextsWithoutTokensWithTheRealTokenizer() {
        int maxLength = model.info().maxLength();
        String longText = "good ".repeat(maxLength + 10);
        try (TopologyHarness harness = new TopologyHarness(settings(), model)) {
            harness.send("long", TestEvents.text("long", longText));
            byte[] invisible = harness.send("invisible", TestEvents.text("invisible", "\u200b\u200d\ufe0f"));
            harness.advance(Duration.ofMillis(50));

            SentimentEvent event = harness.results().get(0).value();
            assertThat(event.getTokenCount()).isEqualTo(maxLength + 10);
            assertThat(event.getTruncated()).isTrue();
            TestRecord<byte[], byte[]> deadLetter = harness.deadLetters.readRecord();
            assertThat(deadLetter.value()).isEqualTo(invisible);
            assertThat(new String(
                            deadLetter
                                    .headers()
                                    .lastHeader(DeadLetterHeaders.REASON)
                                    .value(),
                            StandardCharsets.UTF_8))
                    .isEqualTo(RejectReason.NO_TOKENS.name());
        }
    }
}
