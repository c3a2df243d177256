package org.sentimentstream.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;

/**
 * Avro single-object encoding of a generated record class: the marker {@code C3 01}, the 8-byte
 * little-endian CRC-64-AVRO fingerprint of the writer schema, then the Avro binary body. Encoding is
 * Avro's own {@link BinaryMessageEncoder} (the bytes of the generated {@code toByteBuffer()}).
 *
 * <p>Decoding reads the same bytes as the generated {@code fromByteBuffer()} would, but parses the
 * header itself and decodes the body through {@link BoundedBinaryDecoder}, so that a message can
 * never make the reader allocate more than its own size (Avro's {@code BinaryMessageDecoder} offers
 * no hook for that). Writer schemas are looked up by fingerprint among the known versions of the
 * schema; the body is resolved against the current (reader) schema, so older versions stay readable
 * once a second version exists.
 */
public final class AvroCodec<T extends SpecificRecord> implements RecordCodec<T> {

    /** Length of the single-object header: 2 marker bytes and an 8-byte fingerprint. */
    public static final int HEADER_LENGTH = 10;

    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;

    private final String typeName;
    private final BinaryMessageEncoder<T> encoder;
    private final Map<Long, SpecificDatumReader<T>> readersByFingerprint;

    /**
     * @param type          the generated class
     * @param readerSchema  its schema (the current version)
     * @param writerSchemas every version of the schema that may have written a message, the current
     *                      one included
     */
    public AvroCodec(Class<T> type, Schema readerSchema, Collection<Schema> writerSchemas) {
        SpecificData model = SpecificData.getForClass(type);
        this.typeName = readerSchema.getName();
        this.encoder = new BinaryMessageEncoder<>(model, readerSchema);
        Map<Long, SpecificDatumReader<T>> readers = new LinkedHashMap<>();
        for (Schema writer : writerSchemas) {
            readers.put(
                    SchemaNormalization.parsingFingerprint64(writer),
                    new SpecificDatumReader<>(writer, readerSchema, model));
        }
        if (!readers.containsKey(SchemaNormalization.parsingFingerprint64(readerSchema))) {
            throw new IllegalArgumentException("The writer schemas of " + typeName + " must include the reader schema");
        }
        this.readersByFingerprint = Map.copyOf(readers);
    }

    /** The codec of the input topic's {@link TextEvent}s. */
    public static AvroCodec<TextEvent> textEvents() {
        return new AvroCodec<>(TextEvent.class, TextEvent.getClassSchema(), List.of(TextEvent.getClassSchema()));
    }

    /** The codec of the output topic's {@link SentimentEvent}s. */
    public static AvroCodec<SentimentEvent> sentimentEvents() {
        return new AvroCodec<>(
                SentimentEvent.class, SentimentEvent.getClassSchema(), List.of(SentimentEvent.getClassSchema()));
    }

    @Override
    public WireFormat format() {
        return WireFormat.AVRO;
    }

    @Override
    public byte[] encode(T record) {
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Cannot encode a " + typeName + " in Avro: " + e.getMessage(), e);
        }
    }

    @Override
    public T decode(byte[] bytes) throws RecordDecodingException {
        if (bytes == null) {
            throw new RecordDecodingException("The value is null, not an Avro " + typeName);
        }
        if (bytes.length < HEADER_LENGTH) {
            throw new RecordDecodingException("The value is " + bytes.length
                    + " bytes, shorter than the 10-byte header of Avro single-object encoding");
        }
        if (bytes[0] != MARKER_0 || bytes[1] != MARKER_1) {
            throw new RecordDecodingException(String.format(
                    "The value does not start with the Avro single-object marker C3 01 (it starts with %02X %02X)",
                    bytes[0], bytes[1]));
        }
        long fingerprint =
                ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        SpecificDatumReader<T> reader = readersByFingerprint.get(fingerprint);
        if (reader == null) {
            throw new RecordDecodingException(String.format(
                    "Unknown Avro schema fingerprint %016x: not a known version of %s (known: %s)",
                    fingerprint, typeName, knownFingerprints()));
        }
        return AvroBody.read(reader, bytes, HEADER_LENGTH, typeName);
    }

    private String knownFingerprints() {
        return readersByFingerprint.keySet().stream()
                .map(fingerprint -> String.format("%016x", fingerprint))
                .collect(Collectors.joining(", "));
    }
}
