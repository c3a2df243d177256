package org.sentimentstream.devtools;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.serde.WireFormat;

class ResultFormatterTest {

    private static final SentimentEvent EVENT = SentimentEvent.newBuilder()
            .setId("demo-1")
            .setLabel("positive")
            .setProbabilities(Map.of("negative", 0.141f, "positive", 0.859f))
            .setModelName("sentiment-bilstm")
            .setModelVersion("1.1.0")
            .setEventTime(Instant.ofEpochMilli(1))
            .setClassifiedAt(Instant.ofEpochMilli(2))
            .setTokenCount(4)
            .setTruncated(false)
            .build();

    @Test
    void shouldPrintLabelProbabilityOfTheLabelAndText() {
        ResultFormatter table = new ResultFormatter(false, WireFormat.AVRO.sentimentEventCodec());

        assertThat(table.result(EVENT, "i love this phone")).isEqualTo("positive  0.859  i love this phone");
        assertThat(table.result(EVENT, null)).isEqualTo("positive  0.859  (id demo-1)");
    }

    @Test
    void shouldPrintTheEventAsAJsonLineWhenAsked() {
        ResultFormatter json = new ResultFormatter(true, WireFormat.AVRO.sentimentEventCodec());

        assertThat(json.result(EVENT, "i love this phone"))
                .startsWith("{")
                .contains("\"id\":\"demo-1\"", "\"label\":\"positive\"")
                .doesNotContain("\n");
    }
}
