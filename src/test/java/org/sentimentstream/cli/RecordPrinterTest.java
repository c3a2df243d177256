package org.sentimentstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.serde.WireFormat;

class RecordPrinterTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final RecordPrinter printer = new RecordPrinter(WireFormat.AVRO.sentimentEventCodec());

    @Test
    void shouldPrintAnAvroSentimentEventAsJson() throws Exception {
        SentimentEvent event = SentimentEvent.newBuilder()
                .setId("a-1")
                .setLabel("positive")
                .setProbabilities(Map.of("negative", 0.25f, "positive", 0.75f))
                .setModelName("m")
                .setModelVersion("1")
                .setEventTime(Instant.ofEpochMilli(1000))
                .setClassifiedAt(Instant.ofEpochMilli(2000))
                .setTokenCount(3)
                .setTruncated(false)
                .build();

        JsonNode json = mapper.readTree(
                printer.sentimentEvent(WireFormat.AVRO.sentimentEventCodec().encode(event)));

        assertThat(json.get("id").asText()).isEqualTo("a-1");
        assertThat(json.get("label").asText()).isEqualTo("positive");
        assertThat(json.get("probabilities").get("positive").asDouble()).isEqualTo(0.75);
        assertThat(json.get("event_time").asLong()).isEqualTo(1000);
    }

    @Test
    void shouldPrintADeadLetterWithItsHeadersAndOriginalBytes() throws Exception {
        byte[] value = {(byte) 0xc3, 0x01, (byte) 0xff, 0x00};
        ConsumerRecord<byte[], byte[]> record =
                new ConsumerRecord<>("t-dlq", 2, 17L, "k-1".getBytes(StandardCharsets.UTF_8), value);
        record.headers().add("sentiment.error.reason", "UNDECODABLE".getBytes(StandardCharsets.UTF_8));

        JsonNode json = mapper.readTree(printer.deadLetter(record));

        assertThat(json.get("topic").asText()).isEqualTo("t-dlq");
        assertThat(json.get("partition").asInt()).isEqualTo(2);
        assertThat(json.get("offset").asLong()).isEqualTo(17);
        assertThat(json.get("key").asText()).isEqualTo("k-1");
        assertThat(json.get("headers").get("sentiment.error.reason").asText()).isEqualTo("UNDECODABLE");
        assertThat(Base64.getDecoder().decode(json.get("value_base64").asText()))
                .isEqualTo(value);
        assertThat(json.get("value_text").isNull()).as("not valid UTF-8").isTrue();
    }
}
