package org.sentimentstream.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.sentimentstream.avro.SentimentEvent;

/**
 * Version 2 of schemas/sentiment-event.avsc (with {@code known_token_count}) against version 1 as it was released
 * (src/test/resources/schemas/sentiment-event-v1.avsc): compatible both ways, as a registry's BACKWARD (and
 * FORWARD) check requires, and records actually cross between the versions.
 */
class SentimentEventSchemaEvolutionTest {

    private static Schema version1() throws IOException {
        try (InputStream in =
                SentimentEventSchemaEvolutionTest.class.getResourceAsStream("/schemas/sentiment-event-v1.avsc")) {
            return new Schema.Parser().parse(in);
        }
    }

    @Test
    void shouldReadVersion1RecordsAndBeReadByVersion1Readers() throws IOException {
        Schema v1 = version1();
        Schema v2 = SentimentEvent.getClassSchema();

        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(v2, v1).getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(v1, v2).getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(v2.getFields().get(v2.getFields().size() - 1).name()).isEqualTo("known_token_count");
        assertThat(v2.getFields().subList(0, v1.getFields().size()))
                .extracting(Schema.Field::name)
                .containsExactlyElementsOf(
                        v1.getFields().stream().map(Schema.Field::name).toList());
    }

    @Test
    void shouldGiveAVersion1RecordANullKnownTokenCount() throws IOException {
        Schema v1 = version1();
        GenericRecord old = new GenericData.Record(v1);
        old.put("id", "1");
        old.put("label", "positive");
        old.put("probabilities", Map.of("negative", 0.1f, "positive", 0.9f));
        old.put("model_name", "m");
        old.put("model_version", "1");
        old.put("event_time", 1L);
        old.put("classified_at", 2L);
        old.put("token_count", 3);
        old.put("truncated", false);
        old.put("source", null);
        old.put("attributes", Map.of());
        old.put("text", null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(v1).write(old, encoder);
        encoder.flush();

        SentimentEvent read = new SpecificDatumReader<SentimentEvent>(v1, SentimentEvent.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));

        assertThat(read.getKnownTokenCount()).isNull();
        assertThat(read.getTokenCount()).isEqualTo(3);
        assertThat(read.getLabel()).isEqualTo("positive");
    }

    @Test
    void shouldLetAVersion1ReaderReadAVersion2Record() throws IOException {
        SentimentEvent event = TestEvents.sentiment();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<SentimentEvent>(SentimentEvent.getClassSchema()).write(event, encoder);
        encoder.flush();

        GenericRecord read = new GenericDatumReader<GenericRecord>(SentimentEvent.getClassSchema(), version1())
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));

        assertThat(read.get("token_count")).isEqualTo(5);
        assertThat(read.get("label").toString()).isEqualTo("positive");
        assertThat(read.hasField("known_token_count")).isFalse();
    }
}
