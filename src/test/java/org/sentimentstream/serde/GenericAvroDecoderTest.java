package org.sentimentstream.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.registry.SubjectNameStrategy;

/**
 * Any Avro record in the registry, read with its writer's schema and mapped by field path: a review schema
 * that is not TextEvent (nested records, optional unions, arrays, maps, enums, bytes, doubles), what goes
 * wrong at the path, schemas that are not records, and the enriched output's derived schema.
 */
class GenericAvroDecoderTest {

    static final Schema REVIEW = new Schema.Parser().parse("""
            {"type": "record", "name": "Review", "namespace": "shop.reviews", "fields": [
              {"name": "review_id", "type": "long"},
              {"name": "product", "type": {"type": "record", "name": "Product", "fields": [
                {"name": "sku", "type": "string"},
                {"name": "price", "type": "double"}]}},
              {"name": "content", "type": {"type": "record", "name": "Content", "fields": [
                {"name": "title", "type": ["null", "string"], "default": null},
                {"name": "body", "type": ["null", "string"], "default": null}]}},
              {"name": "stars", "type": {"type": "enum", "name": "Stars", "symbols": ["ONE", "TWO", "FIVE"]}},
              {"name": "tags", "type": {"type": "array", "items": "string"}},
              {"name": "scores", "type": {"type": "map", "values": "int"}},
              {"name": "raw", "type": "bytes"},
              {"name": "written", "type": {"type": "long", "logicalType": "timestamp-millis"}}]}
            """);

    private static final RecordCoordinates WHERE =
            new RecordCoordinates("reviews", 3, 17, 1_700_000_000_000L, "rk".getBytes(StandardCharsets.UTF_8));

    private final FixedWriterSchemas schemas = new FixedWriterSchemas();

    static GenericRecord review(String body) {
        GenericRecord product =
                new GenericData.Record(REVIEW.getField("product").schema());
        product.put("sku", "sku-1");
        product.put("price", 9.5);
        GenericRecord content =
                new GenericData.Record(REVIEW.getField("content").schema());
        content.put("title", "t");
        content.put("body", body);
        GenericRecord review = new GenericData.Record(REVIEW);
        review.put("review_id", 42L);
        review.put("product", product);
        review.put("content", content);
        review.put("stars", new GenericData.EnumSymbol(REVIEW.getField("stars").schema(), "FIVE"));
        review.put("tags", List.of("a", "b"));
        review.put("scores", Map.of("useful", 3));
        review.put("raw", ByteBuffer.wrap(new byte[] {1, 2}));
        review.put("written", 1_600_000_000_000L);
        return review;
    }

    static byte[] encode(int id, GenericRecord record) {
        return ConfluentAvroCodec.encode(id, new GenericDatumWriter<>(record.getSchema()), record, "test");
    }

    private DecodedInput decode(FieldMapping mapping, byte[] value) throws RecordDecodingException {
        return GenericAvroDecoder.over(schemas, mapping).decode(value, WHERE);
    }

    private RecordDecodingException.Kind refusal(FieldMapping mapping, byte[] value) {
        try {
            decode(mapping, value);
        } catch (RecordDecodingException e) {
            assertThat(e.getMessage()).doesNotContain("secret");
            return e.kind();
        }
        throw new AssertionError("decoded");
    }

    @Test
    void shouldReadTheTextIdAndTimeAtNestedPathsWithTheWritersSchema() throws Exception {
        int id = schemas.add(REVIEW);

        DecodedInput input =
                decode(FieldMapping.of("content.body", "review_id", "written"), encode(id, review("I love it")));

        TextEvent event = input.event();
        assertThat(event.getText()).isEqualTo("I love it");
        assertThat(event.getId()).isEqualTo("42");
        assertThat(event.getEventTime()).isEqualTo(Instant.ofEpochMilli(1_600_000_000_000L));
        assertThat(input.value())
                .isInstanceOfSatisfying(
                        AvroRecordInput.class,
                        in -> assertThat(in.record().get("review_id")).isEqualTo(42L));
    }

    @Test
    void shouldFallBackToTheKeyAndTimestampWithoutIdAndTimePaths() throws Exception {
        int id = schemas.add(REVIEW);

        TextEvent event = decode(FieldMapping.text("content.body"), encode(id, review("good")))
                .event();

        assertThat(event.getId()).isEqualTo("rk");
        assertThat(event.getEventTime()).isEqualTo(Instant.ofEpochMilli(WHERE.timestamp()));
    }

    @Test
    void shouldRefuseEachBadPathWithItsOwnKind() {
        int id = schemas.add(REVIEW);
        byte[] value = encode(id, review("secret text"));

        assertThat(refusal(FieldMapping.text("content.summary"), value))
                .isEqualTo(RecordDecodingException.Kind.FIELD_MISSING);
        assertThat(refusal(FieldMapping.text("content.body"), encode(id, review(null))))
                .isEqualTo(RecordDecodingException.Kind.FIELD_MISSING);
        assertThat(refusal(FieldMapping.text("tags.0"), value))
                .isEqualTo(RecordDecodingException.Kind.FIELD_WRONG_TYPE);
        assertThat(refusal(FieldMapping.text("scores.useful"), value))
                .isEqualTo(RecordDecodingException.Kind.FIELD_WRONG_TYPE);
        assertThat(refusal(FieldMapping.text("product.price"), value))
                .isEqualTo(RecordDecodingException.Kind.FIELD_WRONG_TYPE);
        assertThat(refusal(FieldMapping.text("stars"), value)).isEqualTo(RecordDecodingException.Kind.FIELD_WRONG_TYPE);
        assertThat(refusal(FieldMapping.text("raw"), value)).isEqualTo(RecordDecodingException.Kind.FIELD_WRONG_TYPE);
        assertThat(refusal(FieldMapping.text("content.body.more"), value))
                .isEqualTo(RecordDecodingException.Kind.FIELD_WRONG_TYPE);
        assertThat(refusal(FieldMapping.of("content.body", "product", null), value))
                .isEqualTo(RecordDecodingException.Kind.FIELD_WRONG_TYPE);
    }

    @Test
    void shouldRefuseWriterSchemasThatAreNotRecordsOrNotAvro() {
        int string = schemas.add(Schema.create(Schema.Type.STRING));
        int array = schemas.add(Schema.createArray(REVIEW));
        int json = schemas.add("JSON", "{\"type\":\"object\"}", false);
        int references = schemas.add("AVRO", REVIEW.toString(), true);
        int broken = schemas.add("AVRO", "{\"type\":\"record\",\"name\":\"X\",\"fields\":[{\"name\":\"a\"}]}", false);

        for (int id : List.of(string, array, json, references, broken)) {
            byte[] value = new byte[] {0, 0, 0, 0, (byte) id, 2, 'h', 'i'};
            assertThat(refusal(FieldMapping.text("body"), value))
                    .as("schema %d", id)
                    .isEqualTo(RecordDecodingException.Kind.INCOMPATIBLE_SCHEMA);
        }
        assertThat(refusal(FieldMapping.text("body"), new byte[] {0, 0, 0, 0, 99, 2}))
                .isEqualTo(RecordDecodingException.Kind.UNKNOWN_SCHEMA_ID);
        assertThat(refusal(FieldMapping.text("body"), new byte[] {1, 0, 0, 0, 1, 2}))
                .isEqualTo(RecordDecodingException.Kind.MALFORMED);
    }

    @Test
    void shouldReadAWriterSchemaWithAnInvalidDefaultLeniently() throws Exception {
        int id = schemas.add(
                "AVRO",
                "{\"type\":\"record\",\"name\":\"my-ticket\",\"fields\":[{\"name\":\"body\",\"type\":\"string\"},"
                        + "{\"name\":\"n\",\"type\":\"int\",\"default\":\"not a number\"}]}",
                false);

        DecodedInput input =
                decode(FieldMapping.text("body"), new byte[] {0, 0, 0, 0, (byte) id, 8, 'g', 'o', 'o', 'd', 2});

        assertThat(input.event().getText()).isEqualTo("good");
    }

    @Test
    void shouldRefuseBodiesThatLieAboutTheirLengthsOrNestTooDeep() {
        int id = schemas.add(REVIEW);
        byte[] valid = encode(id, review("good"));
        byte[] truncated = java.util.Arrays.copyOf(valid, valid.length - 3);
        byte[] hugeLength = new byte[] {0, 0, 0, 0, (byte) id, 84, (byte) 0xfe, (byte) 0xff, (byte) 0xff, 0x0f};
        Schema nested = new Schema.Parser()
                .parse("{\"type\":\"record\",\"name\":\"Node\",\"fields\":[{\"name\":\"text\",\"type\":\"string\"},"
                        + "{\"name\":\"child\",\"type\":[\"null\",\"Node\"],\"default\":null}]}");
        int nestedId = schemas.add(nested);
        byte[] deep = new byte[5 + 100_000 * 2];
        deep[4] = (byte) nestedId;
        for (int i = 5; i < deep.length; i += 2) {
            deep[i] = 0; // an empty text
            deep[i + 1] = 2; // union branch 1: another Node
        }

        assertThat(refusal(FieldMapping.text("content.body"), truncated))
                .isEqualTo(RecordDecodingException.Kind.MALFORMED);
        assertThat(refusal(FieldMapping.text("content.body"), hugeLength))
                .isEqualTo(RecordDecodingException.Kind.MALFORMED);
        assertThat(refusal(FieldMapping.text("text"), deep))
                .as("a recursive schema: a message could nest as deep as its bytes allow")
                .isEqualTo(RecordDecodingException.Kind.INCOMPATIBLE_SCHEMA);
    }

    /** The project's sample result, with the version and time the enriched-output assertions name. */
    private static final SentimentEvent RESULT = SentimentEvent.newBuilder(TestEvents.sentiment())
            .setModelVersion("7")
            .setClassifiedAt(Instant.ofEpochMilli(123))
            .build();

    private byte[] enrich(byte[] value) throws RecordDecodingException {
        DecodedInput input = decode(FieldMapping.text("content.body"), value);
        ConfluentAvroSupport support = new ConfluentAvroSupport(schemas, SubjectNameStrategy.TOPIC_NAME);
        return new AvroEnrichedWriter(support, "reviews-enriched").write(input, RESULT);
    }

    private GenericRecord readBack(byte[] out) throws RecordDecodingException {
        return ((AvroRecordInput) GenericAvroDecoder.over(schemas, FieldMapping.text("content.body"))
                        .decode(out, WHERE)
                        .value())
                .record();
    }

    @Test
    void shouldEnrichWithASchemaDerivedFromTheInputsAndRegisteredUnderTheOutputSubject() throws Exception {
        int id = schemas.add(REVIEW);

        byte[] out = enrich(encode(id, review("good")));

        int outId = schemas.subjects().get("reviews-enriched-value");
        assertThat(ConfluentAvroCodec.schemaId(out)).isEqualTo(outId);
        GenericRecord read = readBack(out);
        assertThat(read.getSchema().getFullName()).isEqualTo("shop.reviews.Review");
        assertThat(read.get("review_id")).isEqualTo(42L);
        assertThat(((GenericRecord) read.get("product")).get("sku")).hasToString("sku-1");
        GenericRecord sentiment = (GenericRecord) read.get("sentiment");
        assertThat(sentiment.get("label")).hasToString("positive");
        assertThat(sentiment.get("model_version")).hasToString("7");
        assertThat(sentiment.get("classified_at")).isEqualTo(123L);
        assertThat(sentiment.getSchema().getFields())
                .extracting(Schema.Field::name)
                .containsExactly("label", "probabilities", "model_name", "model_version", "classified_at");
    }

    @Test
    void shouldCopyTheInputsBodyByteForByteAndAppendOnlyTheSentiment() throws Exception {
        int id = schemas.add(REVIEW);
        byte[] value = encode(id, review("good"));

        byte[] out = enrich(value);

        int outId = schemas.subjects().get("reviews-enriched-value");
        GenericRecord expected = new GenericData.Record(AvroEnrichedWriter.deriveSchema(REVIEW));
        GenericRecord original = review("good");
        REVIEW.getFields().forEach(field -> expected.put(field.name(), original.get(field.name())));
        expected.put("sentiment", readBack(out).get("sentiment"));
        assertThat(java.util.Arrays.copyOfRange(out, ConfluentAvroCodec.HEADER_LENGTH, value.length))
                .as("the input's body, as it arrived")
                .isEqualTo(java.util.Arrays.copyOfRange(value, ConfluentAvroCodec.HEADER_LENGTH, value.length));
        assertThat(out)
                .as("the same bytes as the record with the sentiment added, encoded whole")
                .isEqualTo(encode(outId, expected));
    }

    @Test
    void shouldPutTheSentimentInPlaceOfAnInputFieldOfThatName() throws Exception {
        Schema withSentiment = new Schema.Parser()
                .parse(REVIEW.toString()
                        .replace(
                                "{\"name\":\"written\"",
                                "{\"name\":\"sentiment\",\"type\":\"string\"},{\"name\":\"written\""));
        GenericRecord record = new GenericData.Record(withSentiment);
        GenericRecord original = review("good");
        REVIEW.getFields().forEach(field -> record.put(field.name(), original.get(field.name())));
        record.put("sentiment", "the input's own");

        GenericRecord read = readBack(enrich(encode(schemas.add(withSentiment), record)));

        assertThat(read.getSchema().getFields())
                .extracting(Schema.Field::name)
                .as("the input's fields, the sentiment replaced and written last")
                .containsExactly(
                        "review_id", "product", "content", "stars", "tags", "scores", "raw", "written", "sentiment");
        assertThat(((GenericRecord) read.get("sentiment")).get("label")).hasToString("positive");
        assertThat(read.get("written")).isEqualTo(1_600_000_000_000L);
        assertThat(((GenericRecord) read.get("content")).get("body")).hasToString("good");
    }

    @Test
    void shouldDeriveSchemasThatEvolveAsTheInputsDo() {
        Schema v2 = new Schema.Parser()
                .parse(
                        REVIEW.toString()
                                .replace(
                                        "{\"name\":\"written\"",
                                        "{\"name\":\"locale\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"written\""));
        assertThat(v2.getField("locale")).isNotNull();

        Schema derivedV1 = AvroEnrichedWriter.deriveSchema(REVIEW);
        Schema derivedV2 = AvroEnrichedWriter.deriveSchema(v2);

        assertThat(org.apache.avro.SchemaCompatibility.checkReaderWriterCompatibility(derivedV2, derivedV1)
                        .getType())
                .isEqualTo(org.apache.avro.SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        assertThat(org.apache.avro.SchemaCompatibility.checkReaderWriterCompatibility(derivedV1, derivedV2)
                        .getType())
                .isEqualTo(org.apache.avro.SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        assertThat(derivedV1.getField("sentiment").defaultVal()).isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
    }
}
