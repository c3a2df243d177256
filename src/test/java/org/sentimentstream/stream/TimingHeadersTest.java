package org.sentimentstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.sentimentstream.serde.TestEvents;

class TimingHeadersTest {

    private static final Duration LINGER = Duration.ofMillis(100);

    private final KeywordClassifier classifier = new KeywordClassifier();

    private static TopologySettings settings(boolean timingHeaders) {
        return new TopologySettings(Topics.defaults(), 2, LINGER, 4096, false).withTimingHeaders(timingHeaders);
    }

    private static long millis(Headers headers, String name) {
        return Long.parseLong(DeadLetterTest.header(headers, name));
    }

    @Test
    void shouldStampEachOutputWithTheTimesOfItsStagesInOrderWhenAsked() {
        long before = System.currentTimeMillis();
        try (TopologyHarness harness = new TopologyHarness(settings(true), classifier)) {
            harness.send("k0", TestEvents.text("id-0", "good"));
            harness.send("k1", TestEvents.text("id-1", "bad"));

            List<TestRecord<byte[], byte[]>> outputs = harness.output.readRecordsToList();

            assertThat(outputs).hasSize(2).allSatisfy(output -> {
                Headers headers = output.headers();
                assertThat(millis(headers, TimingHeaders.INPUT_TIMESTAMP))
                        .isEqualTo(TopologyHarness.RECORD_TIME.toEpochMilli());
                long received = millis(headers, TimingHeaders.RECEIVED);
                long batchStarted = millis(headers, TimingHeaders.BATCH_STARTED);
                long modelDone = millis(headers, TimingHeaders.MODEL_DONE);
                long sent = millis(headers, TimingHeaders.SENT);
                assertThat(received).isGreaterThanOrEqualTo(before);
                assertThat(batchStarted).isGreaterThanOrEqualTo(received);
                assertThat(modelDone).isGreaterThanOrEqualTo(batchStarted);
                assertThat(sent).isGreaterThanOrEqualTo(modelDone).isLessThanOrEqualTo(System.currentTimeMillis());
            });
            assertThat(millis(outputs.get(0).headers(), TimingHeaders.BATCH_STARTED))
                    .as("one batch")
                    .isEqualTo(millis(outputs.get(1).headers(), TimingHeaders.BATCH_STARTED));
        }
    }

    @Test
    void shouldAddNoTimingHeadersByDefault() {
        try (TopologyHarness harness = new TopologyHarness(settings(false), classifier)) {
            harness.send("k0", TestEvents.text("id-0", "good"));
            harness.send("k1", TestEvents.text("id-1", "bad"));

            assertThat(harness.output.readRecordsToList())
                    .hasSize(2)
                    .allSatisfy(output -> assertThat(output.headers().toArray())
                            .noneMatch(header -> header.key().startsWith("sentiment.timing.")));
        }
    }
}
