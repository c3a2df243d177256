package org.sentimentstream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;

class AvroCodecTest {

    private final AvroCodec<TextEvent> codec = AvroCodec.textEvents();

    @Test
    void shouldEncodeTheSameBytesAsTheGeneratedToByteBuffer() throws IOException {
        TextEvent event = TestEvents.fullText();

        byte[] encoded = codec.encode(event);

        assertThat(encoded).isEqualTo(toArray(event.toByteBuffer()));
        assertThat(Arrays.copyOf(encoded, 2)).containsExactly(0xC3, 0x01);
    }

    @Test
    void shouldDecodeWhatTheGeneratedClassWrites() throws Exception {
        TextEvent event = TestEvents.fullText();

        TextEvent decoded = codec.decode(toArray(event.toByteBuffer()));

        assertThat(decoded).isEqualTo(event);
        assertThat(TextEvent.fromByteBuffer(ByteBuffer.wrap(codec.encode(decoded))))
                .isEqualTo(event);
    }

    @Test
    void shouldRoundTripSentimentEvents() throws Exception {
        AvroCodec<SentimentEvent> sentiments = AvroCodec.sentimentEvents();
        SentimentEvent event = TestEvents.sentiment();

        assertThat(sentiments.decode(sentiments.encode(event))).isEqualTo(event);
    }

    @Test
    void shouldRefuseAStringLongerThanTheMessageBeforeAllocatingIt() throws IOException {
        byte[] hostile = message(encoder -> {
            encoder.writeLong(2_000_000_000L); // id: a 2 GB string ...
            encoder.writeFixed(new byte[] {'x'}); // ... backed by one byte
        });

        assertThatThrownBy(() -> codec.decode(hostile))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("declares 2000000000 bytes but only 1 remain");
    }

    @Test
    void shouldRefuseAMapWithMoreEntriesThanTheMessageHasBytes() throws IOException {
        byte[] hostile = message(encoder -> {
            encoder.writeString("id-1");
            encoder.writeString("hello");
            encoder.writeLong(1_700_000_000_000L);
            encoder.writeIndex(0); // source: null
            encoder.writeIndex(0); // language: null
            encoder.writeLong(1_000_000_000L); // attributes: a billion entries ...
            encoder.writeString("k"); // ... of which one is there
        });

        assertThatThrownBy(() -> codec.decode(hostile))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("declares 1000000000 items");
    }

    @Test
    void shouldReadAMapBlockWrittenWithANegativeCountAndItsByteSize() throws Exception {
        byte[] message = message(encoder -> {
            encoder.writeString("id-1");
            encoder.writeString("hello");
            encoder.writeLong(1_700_000_000_000L);
            encoder.writeIndex(0);
            encoder.writeIndex(0);
            encoder.writeLong(-1); // attributes: a block of one entry ...
            encoder.writeLong(4); // ... of 4 bytes
            encoder.writeString("k");
            encoder.writeString("v");
            encoder.writeLong(0);
        });

        assertThat(codec.decode(message).getAttributes()).isEqualTo(Map.of("k", "v"));
    }

    @Test
    void shouldRefuseAMapCountWithoutAnAbsoluteValueThatAvroWouldReadAsEmpty() throws IOException {
        byte[] hostile = message(encoder -> {
            encoder.writeString("id-1");
            encoder.writeString("hello");
            encoder.writeLong(1_700_000_000_000L);
            encoder.writeIndex(0);
            encoder.writeIndex(0);
            encoder.writeLong(Long.MIN_VALUE); // attributes: -2^63 entries, which Avro's decoder reads as 0 ...
            encoder.writeLong(0); // ... in a block of 0 bytes, and nothing after: the record would look complete
        });

        assertThatThrownBy(() -> codec.decode(hostile))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("has no absolute value");
    }

    @Test
    void shouldRefuseANegativeMapBlockSize() throws IOException {
        byte[] hostile = message(encoder -> {
            encoder.writeString("id-1");
            encoder.writeString("hello");
            encoder.writeLong(1_700_000_000_000L);
            encoder.writeIndex(0);
            encoder.writeIndex(0);
            encoder.writeLong(-1);
            encoder.writeLong(-4);
            encoder.writeString("k");
            encoder.writeString("v");
            encoder.writeLong(0);
        });

        assertThatThrownBy(() -> codec.decode(hostile))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("a map size has a negative length");
    }

    @Test
    void shouldRefuseANegativeStringLength() throws IOException {
        byte[] hostile = message(encoder -> encoder.writeLong(-5));

        assertThatThrownBy(() -> codec.decode(hostile))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("negative length");
    }

    @Test
    void shouldRefuseATruncatedMessage() {
        byte[] full = codec.encode(TestEvents.fullText());
        byte[] truncated = Arrays.copyOf(full, full.length - 3);

        assertThatThrownBy(() -> codec.decode(truncated))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageMatching("(?s).*(truncated|remain).*");
    }

    @Test
    void shouldRefuseTrailingBytes() {
        byte[] full = codec.encode(TestEvents.fullText());
        byte[] padded = Arrays.copyOf(full, full.length + 2);

        assertThatThrownBy(() -> codec.decode(padded))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("2 unexpected bytes after the end of the record");
    }

    @Test
    void shouldRefuseBytesWithoutTheSingleObjectMarker() {
        byte[] json = "{\"id\":\"1\",\"text\":\"hello there\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decode(json))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("marker C3 01")
                .hasMessageContaining("7B 22");
    }

    @Test
    void shouldRefuseAMessageShorterThanTheHeader() {
        assertThatThrownBy(() -> codec.decode(new byte[] {(byte) 0xC3, 0x01, 0x00}))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("3 bytes, shorter than the 10-byte header");
    }

    @Test
    void shouldRefuseAnUnknownSchemaFingerprint() {
        byte[] sentiment = AvroCodec.sentimentEvents().encode(TestEvents.sentiment());

        assertThatThrownBy(() -> codec.decode(sentiment))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("Unknown Avro schema fingerprint")
                .hasMessageContaining("TextEvent");
    }

    @Test
    void shouldRefuseInvalidUtf8() throws IOException {
        byte[] hostile = message(encoder -> {
            encoder.writeString("id-1");
            encoder.writeBytes(new byte[] {'a', (byte) 0xFF, 'b'}); // text: not UTF-8
            encoder.writeLong(1_700_000_000_000L);
            encoder.writeIndex(0);
            encoder.writeIndex(0);
            encoder.writeMapStart();
            encoder.writeMapEnd();
        });

        assertThatThrownBy(() -> codec.decode(hostile))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void shouldRefuseNull() {
        assertThatThrownBy(() -> codec.decode(null))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("null");
    }

    @Test
    void shouldReadAMessageWrittenWithAnOlderKnownSchemaVersion() throws Exception {
        Schema older = new Schema.Parser().parse("""
                {"type":"record","name":"TextEvent","namespace":"org.sentimentstream.avro","fields":[
                  {"name":"id","type":"string"},
                  {"name":"text","type":"string"},
                  {"name":"event_time","type":{"type":"long","logicalType":"timestamp-millis"}}]}
                """);
        GenericRecord record = new GenericData.Record(older);
        record.put("id", "old-1");
        record.put("text", "written by an old producer");
        record.put("event_time", 1_700_000_000_000L);
        byte[] bytes = toArray(new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(record));
        AvroCodec<TextEvent> evolving = new AvroCodec<>(
                TextEvent.class, TextEvent.getClassSchema(), List.of(older, TextEvent.getClassSchema()));

        TextEvent decoded = evolving.decode(bytes);

        assertThat(decoded.getId()).isEqualTo("old-1");
        assertThat(decoded.getEventTime()).isEqualTo(TestEvents.EVENT_TIME);
        assertThat(decoded.getSource()).isNull();
        assertThat(decoded.getAttributes()).isEqualTo(Map.of());
    }

    private interface BodyWriter {
        void write(BinaryEncoder encoder) throws IOException;
    }

    /** The header of a real TextEvent followed by a hand-written body. */
    private byte[] message(BodyWriter body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(codec.encode(TestEvents.fullText()), 0, AvroCodec.HEADER_LENGTH);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        body.write(encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
