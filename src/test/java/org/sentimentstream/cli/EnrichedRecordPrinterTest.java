package org.sentimentstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.sentimentstream.serde.InputShape;
import org.sentimentstream.serde.OutputMode;
import org.sentimentstream.serde.RecordDecodingException;
import org.sentimentstream.serde.WireFormat;
import org.sentimentstream.stream.Topics;

/** {@code consume} of an enriched JSON output prints each record as it is, and refuses one without a sentiment. */
class EnrichedRecordPrinterTest {

    private final Topics topics = Topics.defaults()
            .withFormats(WireFormat.JSON, WireFormat.JSON)
            .withShapes(
                    WireFormat.JSON,
                    InputShape.fields(org.sentimentstream.serde.FieldMapping.text("body")),
                    OutputMode.ENRICHED);
    private final RecordPrinter printer = RecordPrinter.enriched(topics.enrichedOutputDecoder());

    @Test
    void shouldPrintAnEnrichedJsonRecordWhole() throws Exception {
        byte[] value = "{\"body\":\"good\",\"n\":[1,2],\"sentiment\":{\"label\":\"positive\"}}"
                .getBytes(StandardCharsets.UTF_8);

        JsonNode printed = new ObjectMapper().readTree(printer.sentimentEvent(value));

        assertThat(printed.path("n").size()).isEqualTo(2);
        assertThat(printed.path("sentiment").path("label").asText()).isEqualTo("positive");
    }

    @Test
    void shouldRefuseARecordWithoutASentiment() {
        assertThatThrownBy(() -> printer.sentimentEvent("{\"body\":\"good\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("sentiment.label");
    }
}
