package org.sentimentstream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.sentimentstream.avro.TextEvent;

/**
 * What {@code produce}, {@code loadtest} and {@code demo} write for input mapped by field paths: read back by the
 * service's own decoders with the same mapping, the same id, text and time.
 */
class FieldMappedEncoderTest {

    private static final RecordCoordinates WHERE =
            new RecordCoordinates("tickets", 0, 5, 1_000L, "key".getBytes(StandardCharsets.UTF_8));
    private static final TextEvent EVENT = TextEvent.newBuilder()
            .setId("t-7")
            .setText("the refund never came")
            .setEventTime(Instant.parse("2026-12-01T08:00:00Z"))
            .build();
    private static final FieldMapping NESTED = FieldMapping.of("message.content.text", "message.id", "meta.created");

    @Test
    void shouldWriteAJsonObjectThatTheJsonFieldDecoderReadsBack() throws Exception {
        byte[] value =
                FieldMappedEncoder.over(WireFormat.JSON, NESTED, schema -> -1).encode(EVENT);

        JsonNode object = new ObjectMapper().readTree(value);
        assertThat(object.path("message").path("content").path("text").asText()).isEqualTo(EVENT.getText());
        assertThat(object.path("meta").path("created").asText()).isEqualTo("2026-12-01T08:00:00Z");
        TextEvent read = new JsonFieldDecoder(NESTED).decode(value, WHERE).event();
        assertThat(read.getId()).isEqualTo("t-7");
        assertThat(read.getText()).isEqualTo(EVENT.getText());
        assertThat(read.getEventTime()).isEqualTo(EVENT.getEventTime());
    }

    @Test
    void shouldWriteOnlyTheTextWhenTheMappingHasNoIdOrTime() throws Exception {
        byte[] value = FieldMappedEncoder.over(WireFormat.JSON, FieldMapping.text("body"), schema -> -1)
                .encode(EVENT);

        assertThat(new String(value, StandardCharsets.UTF_8)).isEqualTo("{\"body\":\"the refund never came\"}");
    }

    @Test
    void shouldWriteAnAvroRecordUnderARegisteredSchemaThatTheGenericDecoderReadsBack() throws Exception {
        FixedWriterSchemas schemas = new FixedWriterSchemas();
        FieldMappedEncoder encoder =
                FieldMappedEncoder.over(WireFormat.CONFLUENT_AVRO, NESTED, s -> schemas.idOf("tickets-value", s));

        byte[] first = encoder.encode(EVENT);
        encoder.encode(EVENT);

        assertThat(schemas.idRequests()).as("the schema id is asked for once").isEqualTo(1);
        DecodedInput read = GenericAvroDecoder.over(schemas, NESTED).decode(first, WHERE);
        assertThat(read.event().getId()).isEqualTo("t-7");
        assertThat(read.event().getText()).isEqualTo(EVENT.getText());
        assertThat(read.event().getEventTime()).isEqualTo(EVENT.getEventTime());
        GenericRecord record = ((AvroRecordInput) read.value()).record();
        assertThat(record.getSchema().getFullName())
                .isEqualTo(FieldMappedEncoder.NAMESPACE + "." + FieldMappedEncoder.RECORD_NAME);
        assertThat(record.getSchema()
                        .getField("meta")
                        .schema()
                        .getField("created")
                        .schema()
                        .getLogicalType()
                        .getName())
                .isEqualTo("timestamp-millis");
    }

    @Test
    void shouldRefusePathsThatNoRecordCanHoldTogether() {
        assertThatThrownBy(() -> FieldMappedEncoder.over(
                        WireFormat.JSON, FieldMapping.of("message", "message.id", null), schema -> -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input.id.field message.id");
        assertThatThrownBy(() ->
                        FieldMappedEncoder.over(WireFormat.JSON, FieldMapping.of("body", "body", null), schema -> -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input.id.field body");
        assertThatThrownBy(() -> FieldMappedEncoder.over(
                        WireFormat.CONFLUENT_AVRO, FieldMapping.text("content-body"), schema -> 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Avro");
        assertThatThrownBy(() -> FieldMappedEncoder.over(WireFormat.AVRO, FieldMapping.text("body"), schema -> 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("json or confluent-avro");
    }
}
