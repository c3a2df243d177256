package org.sentimentstream.stream;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of a {@link BufferedRecord} in the buffer store and its changelog topic. Layout, all
 * integers big-endian: version byte (1); topic (int length + UTF-8); partition (int); offset (long);
 * timestamp (long); buffered-at (long); key (int length, -1 for null, + bytes); value (same); header
 * count (int), then per header its key (int length + UTF-8) and value (int length, -1 for null, +
 * bytes). A new layout gets a new version byte; old entries must stay readable.
 */
final class BufferedRecordSerde implements Serde<BufferedRecord> {

    private static final byte VERSION = 1;

    @Override
    public Serializer<BufferedRecord> serializer() {
        return (topic, buffered) -> buffered == null ? null : write(buffered);
    }

    @Override
    public Deserializer<BufferedRecord> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static byte[] write(BufferedRecord buffered) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + buffered.value().length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeBytes(out, buffered.source().topic().getBytes(StandardCharsets.UTF_8));
            out.writeInt(buffered.source().partition());
            out.writeLong(buffered.source().offset());
            out.writeLong(buffered.timestamp());
            out.writeLong(buffered.bufferedAtMs());
            writeBytes(out, buffered.key());
            writeBytes(out, buffered.value());
            out.writeInt(buffered.headers().length);
            for (Header header : buffered.headers()) {
                writeBytes(out, header.key().getBytes(StandardCharsets.UTF_8));
                writeBytes(out, header.value());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write a buffered record to memory", e);
        }
        return bytes.toByteArray();
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        if (bytes == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    static BufferedRecord read(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte version = in.get();
            if (version != VERSION) {
                throw new SerializationException(
                        "Unknown buffered record version " + version + " (this build reads " + VERSION + ")");
            }
            String topic = new String(readBytes(in), StandardCharsets.UTF_8);
            int partition = in.getInt();
            long offset = in.getLong();
            long timestamp = in.getLong();
            long bufferedAt = in.getLong();
            byte[] key = readBytes(in);
            byte[] value = readBytes(in);
            int headerCount = in.getInt();
            if (headerCount < 0 || headerCount > in.remaining()) {
                throw new SerializationException("Corrupt buffered record: " + headerCount + " headers");
            }
            Header[] headers = new Header[headerCount];
            for (int i = 0; i < headerCount; i++) {
                headers[i] = new RecordHeader(new String(readBytes(in), StandardCharsets.UTF_8), readBytes(in));
            }
            if (in.hasRemaining()) {
                throw new SerializationException("Corrupt buffered record: " + in.remaining() + " trailing bytes");
            }
            return new BufferedRecord(
                    new SourcePosition(topic, partition, offset), timestamp, bufferedAt, key, value, headers);
        } catch (BufferUnderflowException e) {
            throw new SerializationException("Corrupt buffered record: truncated", e);
        }
    }

    private static byte[] readBytes(ByteBuffer in) {
        int length = in.getInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > in.remaining()) {
            throw new SerializationException(
                    "Corrupt buffered record: length " + length + " with " + in.remaining() + " bytes left");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }
}
