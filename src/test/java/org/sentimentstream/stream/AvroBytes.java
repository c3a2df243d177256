package org.sentimentstream.stream;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.sentimentstream.serde.AvroCodec;
import org.sentimentstream.serde.TestEvents;
import org.sentimentstream.serde.WireFormat;

/**
 * Hand-written Avro single-object bytes of a {@code TextEvent}, so that tests can declare what an
 * encoder never would: a string longer than the message, a billion map entries, a union branch that
 * does not exist. Field order of TextEvent: id, text, event_time, source, language, attributes.
 */
final class AvroBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Starts with the single-object header (marker and fingerprint) of the current TextEvent schema. */
    static AvroBytes textEvent() {
        AvroBytes bytes = new AvroBytes();
        byte[] encoded = WireFormat.AVRO.textEventCodec().encode(TestEvents.text("1", "hi"));
        bytes.out.writeBytes(Arrays.copyOf(encoded, AvroCodec.HEADER_LENGTH));
        return bytes;
    }

    /** An Avro long or int: zig-zag, then 7 bits per byte, low bits first. */
    AvroBytes varLong(long value) {
        long zigZag = (value << 1) ^ (value >> 63);
        while ((zigZag & ~0x7FL) != 0) {
            out.write((int) ((zigZag & 0x7F) | 0x80));
            zigZag >>>= 7;
        }
        out.write((int) zigZag);
        return this;
    }

    /** A string or bytes field: its length, then its bytes (which need not be UTF-8). */
    AvroBytes string(byte[] utf8) {
        varLong(utf8.length);
        out.writeBytes(utf8);
        return this;
    }

    AvroBytes string(String value) {
        return string(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Bytes as they are. */
    AvroBytes raw(int... values) {
        for (int value : values) {
            out.write(value);
        }
        return this;
    }

    /** id, text and event_time, as the codec writes them. */
    AvroBytes requiredFields(String id, String text) {
        return string(id).string(text).varLong(TestEvents.EVENT_TIME.toEpochMilli());
    }

    /** source and language null (union branch 0). */
    AvroBytes nullSourceAndLanguage() {
        return varLong(0).varLong(0);
    }

    /** An empty map (attributes). */
    AvroBytes emptyMap() {
        return varLong(0);
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
