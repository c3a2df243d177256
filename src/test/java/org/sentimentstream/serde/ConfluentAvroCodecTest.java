package org.sentimentstream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.registry.RegisteredSchema;
import org.sentimentstream.registry.SubjectNameStrategy;

/** The Confluent wire format's framing and Avro schema resolution, over a fixed list of writer schemas. */
class ConfluentAvroCodecTest {

    private final FixedWriterSchemas schemas = new FixedWriterSchemas();
    private final ConfluentAvroSupport support = new ConfluentAvroSupport(schemas, SubjectNameStrategy.TOPIC_NAME);
    private final ConfluentAvroCodec<TextEvent> codec = codec("text-events");

    private ConfluentAvroCodec<TextEvent> codec(String topic) {
        return new ConfluentAvroCodec<>(TextEvent.class, TextEvent.getClassSchema(), topic, support);
    }

    @Test
    void shouldFrameTheAvroBodyWithMagicByteZeroAndTheBigEndianSchemaId() throws IOException {
        for (int i = 0; i < 257; i++) {
            schemas.add(TextEvent.getClassSchema()); // ids 1..257: the codec's own schema gets 258
        }
        TextEvent event = TestEvents.fullText();

        byte[] encoded = codec.encode(event);

        assertThat(Arrays.copyOf(encoded, 5)).containsExactly(0x00, 0x00, 0x00, 0x01, 0x02);
        assertThat(Arrays.copyOfRange(encoded, 5, encoded.length)).isEqualTo(avroBody(event));
    }

    @Test
    void shouldDecodeWhatItEncodes() throws Exception {
        TextEvent event = TestEvents.fullText();

        assertThat(codec.decode(codec.encode(event))).isEqualTo(event);
    }

    @Test
    void shouldRegisterItsSchemaUnderTheTopicsSubjectOnceAndReuseTheId() {
        codec.prepareEncoding();
        codec.encode(TestEvents.text("1", "a"));
        codec.encode(TestEvents.text("2", "b"));

        assertThat(schemas.subjects()).containsOnlyKeys("text-events-value");
        assertThat(schemas.idRequests()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({
        "topic-name, sentiment-events-value",
        "record-name, org.sentimentstream.avro.SentimentEvent",
        "topic-record-name, sentiment-events-org.sentimentstream.avro.SentimentEvent"
    })
    void shouldNameTheSubjectByTheConfiguredStrategy(String strategy, String subject) {
        ConfluentAvroSupport named = new ConfluentAvroSupport(
                schemas, SubjectNameStrategy.fromConfigValue(strategy).orElseThrow());
        ConfluentAvroCodec<SentimentEvent> output = new ConfluentAvroCodec<>(
                SentimentEvent.class, SentimentEvent.getClassSchema(), "sentiment-events", named);

        output.prepareEncoding();

        assertThat(schemas.subjects()).containsOnlyKeys(subject);
    }

    @Test
    void shouldReadAnEvolvedWriterSchemaWithAnAddedOptionalFieldAndReorderedFields() throws Exception {
        Schema v2 = SchemaBuilder.record("TextEvent")
                .namespace("org.sentimentstream.avro")
                .fields()
                .name("text")
                .type()
                .stringType()
                .noDefault()
                .name("id")
                .type()
                .stringType()
                .noDefault()
                .name("priority")
                .type()
                .optional()
                .intType()
                .name("event_time")
                .type(TextEvent.getClassSchema().getField("event_time").schema())
                .noDefault()
                .endRecord();
        int id = schemas.add(v2);
        GenericRecord record = new GenericData.Record(v2);
        record.put("text", "i love this phone");
        record.put("id", "v2-1");
        record.put("priority", 3);
        record.put("event_time", TestEvents.EVENT_TIME.toEpochMilli());

        TextEvent decoded = codec.decode(framed(id, v2, record));

        assertThat(decoded.getId()).isEqualTo("v2-1");
        assertThat(decoded.getText()).isEqualTo("i love this phone");
        assertThat(decoded.getEventTime()).isEqualTo(TestEvents.EVENT_TIME);
        assertThat(decoded.getSource())
                .as("a field the writer lacks takes its default")
                .isNull();
        assertThat(decoded.getAttributes()).isEmpty();
    }

    @Test
    void shouldRefuseAValueThatDoesNotStartWithTheMagicByte() {
        byte[] value = codec.encode(TestEvents.text("1", "good"));
        value[0] = (byte) 0xC3;

        assertDecodingFails(value, RecordDecodingException.Kind.MALFORMED, "magic byte 00 (it starts with C3)");
    }

    @Test
    void shouldRefuseAValueShorterThanTheHeader() {
        assertDecodingFails(new byte[] {0, 0, 0}, RecordDecodingException.Kind.MALFORMED, "shorter than the 5-byte");
    }

    @Test
    void shouldNameAnIdThatTheRegistryDoesNotHaveAsUnknown() {
        byte[] value = codec.encode(TestEvents.text("1", "good"));
        value[4] = 99;

        assertDecodingFails(value, RecordDecodingException.Kind.UNKNOWN_SCHEMA_ID, "99");
    }

    @Test
    void shouldNameANegativeIdAsUnknownWithoutAskingTheRegistry() {
        byte[] value = {0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE, 2, 'a'};

        assertDecodingFails(value, RecordDecodingException.Kind.UNKNOWN_SCHEMA_ID, "-2");
        assertThat(schemas.lookups()).isZero();
    }

    @Test
    void shouldNameAWriterSchemaThatCannotBeResolvedAsIncompatible() throws IOException {
        Schema other = SchemaBuilder.record("TextEvent")
                .namespace("org.sentimentstream.avro")
                .fields()
                .requiredString("id")
                .requiredInt("text")
                .endRecord();
        int id = schemas.add(other);
        GenericRecord record = new GenericData.Record(other);
        record.put("id", "x");
        record.put("text", 7);

        assertDecodingFails(
                framed(id, other, record),
                RecordDecodingException.Kind.INCOMPATIBLE_SCHEMA,
                "cannot be read as TextEvent");
    }

    @Test
    void shouldNameANonAvroWriterSchemaAsIncompatible() {
        int id = schemas.add("PROTOBUF", "syntax = \"proto3\"; message TextEvent { string id = 1; }", false);

        assertDecodingFails(header(id), RecordDecodingException.Kind.INCOMPATIBLE_SCHEMA, "PROTOBUF schema, not Avro");
    }

    @Test
    void shouldNameAWriterSchemaWithReferencesAsIncompatible() {
        int id = schemas.add(RegisteredSchema.AVRO, TextEvent.getClassSchema().toString(), true);

        assertDecodingFails(header(id), RecordDecodingException.Kind.INCOMPATIBLE_SCHEMA, "references");
    }

    @Test
    void shouldReadAWriterSchemaWithAnInvalidFieldDefaultAsConfluentsClientDoes() throws Exception {
        // A registry that does not validate defaults can hold this; Avro's strict parser throws
        // AvroTypeException for it, which used to escape the codec and stop the stream thread.
        String invalidDefault = TextEvent.getClassSchema()
                .toString()
                .replace("\"default\":{}", "\"default\":[]"); // a list as the default of a map
        assertThat(invalidDefault).contains("\"default\":[]");
        int id = schemas.add(RegisteredSchema.AVRO, invalidDefault, false);
        TextEvent event = TestEvents.fullText();

        TextEvent decoded = codec.decode(withId(codec.encode(event), id));

        assertThat(decoded).isEqualTo(event);
    }

    @Test
    void shouldReadAWriterSchemaWithAFieldNameAvrosStrictParserRejects() throws Exception {
        String text = TextEvent.getClassSchema().toString();
        String withDashedField =
                text.substring(0, text.lastIndexOf(']')) + ",{\"name\":\"reply-to\",\"type\":\"string\"}]}";
        Schema writer = LenientAvroSchemas.parse(withDashedField);
        int id = schemas.add(RegisteredSchema.AVRO, withDashedField, false);
        GenericRecord record = new GenericData.Record(writer);
        record.put("id", "dash-1");
        record.put("text", "i love this phone");
        record.put("event_time", TestEvents.EVENT_TIME.toEpochMilli());
        record.put("attributes", Map.of());
        record.put("reply-to", "someone");

        TextEvent decoded = codec.decode(framed(id, writer, record));

        assertThat(decoded.getId()).isEqualTo("dash-1");
        assertThat(decoded.getText()).isEqualTo("i love this phone");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"name\":\"id\",\"type\":\"string\",\"order\":\"sideways\"} | SIDEWAYS",
                "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"id\",\"type\":\"string\"} | Duplicate field"
            })
    void shouldNameAWriterSchemaAvroCannotParseAsIncompatibleOnceAndRememberIt(String fields, String problem) {
        String unparseable = "{\"type\":\"record\",\"name\":\"TextEvent\",\"fields\":[" + fields + "]}";
        int id = schemas.add(RegisteredSchema.AVRO, unparseable, false);

        assertDecodingFails(header(id), RecordDecodingException.Kind.INCOMPATIBLE_SCHEMA, problem);
        assertDecodingFails(header(id), RecordDecodingException.Kind.INCOMPATIBLE_SCHEMA, problem);
        assertThat(schemas.lookups()).as("the failure is remembered").isEqualTo(1);
    }

    @Test
    void shouldRefuseATruncatedBodyAndTrailingBytesAsMalformed() {
        byte[] value = codec.encode(TestEvents.fullText());

        assertDecodingFails(
                Arrays.copyOf(value, value.length - 3), RecordDecodingException.Kind.MALFORMED, "TextEvent");
        assertDecodingFails(
                Arrays.copyOf(value, value.length + 2),
                RecordDecodingException.Kind.MALFORMED,
                "2 unexpected bytes after the end");
    }

    @Test
    void shouldRefuseADeclaredLengthLargerThanTheMessageBeforeAllocatingIt() {
        int id = schemas.add(TextEvent.getClassSchema());
        // id "a", then a text declaring 1 GiB (zig-zag varint of 2^30 = 0x80 0x80 0x80 0x80 0x08).
        byte[] value = concat(header(id), new byte[] {2, 'a', (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 8});

        assertDecodingFails(value, RecordDecodingException.Kind.MALFORMED, "remain in the message");
    }

    @Test
    void shouldResolveEachWriterSchemaOncePerProcessAcrossCodecs() throws Exception {
        byte[] value = codec.encode(TestEvents.text("1", "good"));
        ConfluentAvroCodec<TextEvent> another = codec("text-events");

        for (int i = 0; i < 50; i++) {
            codec.decode(value);
            another.decode(value);
        }

        assertThat(schemas.lookups()).isEqualTo(1);
    }

    @Test
    void shouldMakeCodecsThatShareOneSupportPerContext() {
        CodecContext context = CodecContext.of(Map.of("schema.registry.url", "http://127.0.0.1:1"));

        ConfluentAvroSupport first = context.shared(ConfluentAvroSupport.class, ConfluentAvroSupport::new);
        RecordCodec<TextEvent> input = WireFormat.CONFLUENT_AVRO.textEventCodec(context, "in");
        RecordCodec<SentimentEvent> output = WireFormat.CONFLUENT_AVRO.sentimentEventCodec(context, "out");

        assertThat(context.shared(ConfluentAvroSupport.class, ConfluentAvroSupport::new))
                .isSameAs(first);
        assertThat(input.format()).isEqualTo(WireFormat.CONFLUENT_AVRO);
        assertThat(output.format()).isEqualTo(WireFormat.CONFLUENT_AVRO);
    }

    private void assertDecodingFails(byte[] value, RecordDecodingException.Kind kind, String message) {
        assertThatThrownBy(() -> codec.decode(value))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((RecordDecodingException) e).kind()).isEqualTo(kind));
    }

    private static byte[] withId(byte[] framed, int id) {
        byte[] copy = framed.clone();
        ByteBuffer.wrap(copy).putInt(1, id);
        return copy;
    }

    private static byte[] header(int id) {
        return ByteBuffer.allocate(5).put((byte) 0).putInt(id).array();
    }

    private static byte[] framed(int id, Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header(id));
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] avroBody(TextEvent event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new SpecificDatumWriter<>(TextEvent.class).write(event, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
