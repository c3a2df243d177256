package org.sentimentstream.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;

/**
 * The Confluent Schema Registry wire format of a generated record class: the magic byte {@code 00}, the
 * writer schema's registry id (4 bytes, big-endian), then the Avro binary body.
 *
 * <p>Decoding looks the id up in the registry (once per process: {@link ConfluentAvroSupport} caches the
 * reader resolved per id) and resolves the writer schema against this codec's reader schema with Avro's
 * schema resolution, so a producer may evolve its schema compatibly (add an optional field, reorder
 * fields). The body is read through {@link BoundedBinaryDecoder}, as {@link AvroCodec} reads it. A wrong
 * magic byte or a short value is {@code MALFORMED}; an id the registry does not have is
 * {@code UNKNOWN_SCHEMA_ID}; a writer schema that cannot be resolved (or is not Avro) is
 * {@code INCOMPATIBLE_SCHEMA}. A registry that cannot be reached is none of these: the registry client's
 * exception propagates, after its retries.
 *
 * <p>Encoding writes the reader schema's id under the subject of the configured naming strategy for this
 * codec's topic: registered (or looked up) on the first encode or at {@link #prepareEncoding()}, then
 * cached.
 */
final class ConfluentAvroCodec<T extends SpecificRecord> implements RecordCodec<T> {

    /** The first byte of every message in the Confluent wire format. */
    static final byte MAGIC_BYTE = 0;
    /** The magic byte and the 4-byte schema id. */
    static final int HEADER_LENGTH = 5;

    private static final byte[] NO_BYTES = new byte[0];

    private final Schema readerSchema;
    private final String typeName;
    private final SpecificData model;
    private final SpecificDatumWriter<T> writer;
    private final String topic;
    private final ConfluentAvroSupport support;
    private volatile int writerId = -1;

    ConfluentAvroCodec(Class<T> type, Schema readerSchema, String topic, ConfluentAvroSupport support) {
        this.readerSchema = readerSchema;
        this.typeName = readerSchema.getName();
        this.model = SpecificData.getForClass(type);
        this.writer = new SpecificDatumWriter<>(readerSchema, model);
        this.topic = topic;
        this.support = support;
    }

    /** The codec of {@link TextEvent}s on this topic. */
    static ConfluentAvroCodec<TextEvent> textEvents(CodecContext context, String topic) {
        return new ConfluentAvroCodec<>(TextEvent.class, TextEvent.getClassSchema(), topic, support(context));
    }

    /** The codec of {@link SentimentEvent}s on this topic. */
    static ConfluentAvroCodec<SentimentEvent> sentimentEvents(CodecContext context, String topic) {
        return new ConfluentAvroCodec<>(SentimentEvent.class, SentimentEvent.getClassSchema(), topic, support(context));
    }

    private static ConfluentAvroSupport support(CodecContext context) {
        return context.shared(ConfluentAvroSupport.class, ConfluentAvroSupport::new);
    }

    @Override
    public WireFormat format() {
        return WireFormat.CONFLUENT_AVRO;
    }

    /** The subject this codec's schema is written under. */
    String subject() {
        return support.subject(topic, readerSchema);
    }

    @Override
    public void prepareEncoding() {
        writerId();
    }

    private int writerId() {
        int id = writerId;
        if (id < 0) {
            synchronized (this) {
                if (writerId < 0) {
                    writerId = support.idOf(subject(), readerSchema);
                }
                id = writerId;
            }
        }
        return id;
    }

    @Override
    public byte[] encode(T record) {
        return encode(writerId(), writer, record, typeName);
    }

    /** A datum in the wire format: magic byte, schema id, Avro binary body. */
    static <D> byte[] encode(int id, DatumWriter<D> writer, D datum, String typeName) {
        return encode(id, NO_BYTES, 0, writer, datum, typeName);
    }

    /**
     * A value in the wire format whose body is bytes already encoded ({@code head} from {@code from} on) followed
     * by a datum: magic byte, schema id, the bytes, the datum's Avro binary encoding.
     */
    static <D> byte[] encode(int id, byte[] head, int from, DatumWriter<D> writer, D datum, String typeName) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(HEADER_LENGTH + head.length - from + 128);
        out.write(MAGIC_BYTE);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
        out.write(head, from, head.length - from);
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(datum, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Cannot encode a " + typeName + " in Avro: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    @Override
    public T decode(byte[] bytes) throws RecordDecodingException {
        if (bytes == null) {
            throw new RecordDecodingException("The value is null, not an Avro " + typeName);
        }
        int id = schemaId(bytes);
        SpecificDatumReader<T> reader = support.reader(id, readerSchema, model, typeName);
        return AvroBody.read(reader, bytes, HEADER_LENGTH, typeName);
    }

    /**
     * The schema id in the header of a value in Confluent's wire format.
     *
     * @throws RecordDecodingException MALFORMED for a short value or another magic byte, UNKNOWN_SCHEMA_ID
     *                                 for a negative id
     */
    static int schemaId(byte[] bytes) throws RecordDecodingException {
        if (bytes.length < HEADER_LENGTH) {
            throw new RecordDecodingException("The value is " + bytes.length
                    + " bytes, shorter than the 5-byte header of the Confluent wire format (magic byte, schema id)");
        }
        if (bytes[0] != MAGIC_BYTE) {
            throw new RecordDecodingException(String.format(
                    "The value does not start with the Confluent wire format's magic byte 00 (it starts with %02X)",
                    bytes[0]));
        }
        int id = ((bytes[1] & 0xff) << 24) | ((bytes[2] & 0xff) << 16) | ((bytes[3] & 0xff) << 8) | (bytes[4] & 0xff);
        if (id < 0) {
            throw new RecordDecodingException(
                    RecordDecodingException.Kind.UNKNOWN_SCHEMA_ID,
                    "The value names schema id " + id + "; registry ids are never negative",
                    null);
        }
        return id;
    }
}
