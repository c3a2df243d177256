package org.sentimentstream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

/**
 * The decoder every Avro format reads through reads what Avro's own encoders write, every type at its
 * extremes, and skips what a reader schema leaves out, including array and map blocks that carry their size in
 * bytes (which only Avro's blocking encoder writes).
 */
class BoundedBinaryDecoderTest {

    private static final Schema ALL_TYPES = new Schema.Parser().parse("""
            {"type": "record", "name": "All", "fields": [
              {"name": "flag", "type": "boolean"},
              {"name": "small", "type": "int"},
              {"name": "big", "type": "long"},
              {"name": "ratio", "type": "float"},
              {"name": "precise", "type": "double"},
              {"name": "raw", "type": "bytes"},
              {"name": "hash", "type": {"type": "fixed", "name": "Hash", "size": 4}},
              {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A", "B", "C"]}},
              {"name": "maybe", "type": ["null", "string"]},
              {"name": "words", "type": {"type": "array", "items": "string"}},
              {"name": "counts", "type": {"type": "map", "values": "long"}},
              {"name": "text", "type": "string"}]}
            """);

    private static final Schema ONLY_TEXT = new Schema.Parser().parse("""
            {"type": "record", "name": "All", "fields": [{"name": "text", "type": "string"}]}
            """);

    private static GenericRecord record(int small, long big, float ratio, double precise) {
        GenericRecord record = new GenericData.Record(ALL_TYPES);
        record.put("flag", true);
        record.put("small", small);
        record.put("big", big);
        record.put("ratio", ratio);
        record.put("precise", precise);
        record.put("raw", ByteBuffer.wrap(new byte[] {0, (byte) 0xff, 7}));
        record.put("hash", new GenericData.Fixed(ALL_TYPES.getField("hash").schema(), new byte[] {1, 2, 3, 4}));
        record.put("kind", new GenericData.EnumSymbol(ALL_TYPES.getField("kind").schema(), "C"));
        record.put("maybe", new Utf8("déjà vu"));
        record.put("words", List.of(new Utf8("one"), new Utf8("two"), new Utf8("three")));
        record.put("counts", Map.of(new Utf8("up"), Long.MAX_VALUE, new Utf8("down"), Long.MIN_VALUE));
        record.put("text", new Utf8("the text \uD83D\uDE00"));
        return record;
    }

    private static byte[] write(GenericRecord record, boolean blocking) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {9, 9}); // bytes before the body, which the decoder starts after
        Encoder encoder = blocking
                ? EncoderFactory.get().blockingBinaryEncoder(out, null)
                : EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static GenericRecord read(Schema reader, byte[] bytes) throws IOException {
        BoundedBinaryDecoder decoder = new BoundedBinaryDecoder(bytes, 2, bytes.length - 2);
        GenericRecord read = new GenericDatumReader<GenericRecord>(ALL_TYPES, reader).read(null, decoder);
        assertThat(decoder.remaining()).as("the whole body read").isZero();
        return read;
    }

    @Test
    void shouldReadWhatAvrosEncoderWritesForEveryTypeAtItsExtremes() throws IOException {
        for (GenericRecord original : List.of(
                record(0, 0L, 0f, 0d),
                record(Integer.MAX_VALUE, Long.MAX_VALUE, Float.MAX_VALUE, Double.MAX_VALUE),
                record(Integer.MIN_VALUE, Long.MIN_VALUE, -Float.MIN_VALUE, Double.NEGATIVE_INFINITY),
                record(-1, -64, Float.NaN, -0d))) {
            for (boolean blocking : new boolean[] {false, true}) {
                assertThat(read(ALL_TYPES, write(original, blocking)))
                        .as("written by the %s encoder", blocking ? "blocking" : "binary")
                        .isEqualTo(original);
            }
        }
    }

    @Test
    void shouldSkipFieldsTheReaderLeavesOutIncludingBlocksWithByteSizes() throws IOException {
        GenericRecord original = record(5, 6L, 7f, 8d);

        for (boolean blocking : new boolean[] {false, true}) {
            GenericRecord read = read(ONLY_TEXT, write(original, blocking));

            assertThat(read.get("text")).hasToString("the text \uD83D\uDE00");
        }
    }

    @Test
    void shouldReportAValueThatEndsInsideANumberAsTruncated() throws IOException {
        byte[] whole = write(record(1, 2L, 3f, 4d), false);
        // Cut inside the double (flag 1 byte, small 1, big 1, ratio 4, precise 8: 2 + 7 + 4 = 13).
        byte[] cut = Arrays.copyOf(whole, 13);

        assertThatThrownBy(() -> read(ALL_TYPES, cut)).isInstanceOf(EOFException.class);
    }
}
