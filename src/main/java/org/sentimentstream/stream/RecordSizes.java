package org.sentimentstream.stream;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;

/**
 * Sizes of records as the producer counts them, for the record limit: an input record's key, value and
 * headers must fit, together with what the service adds, into the producer's {@code max.request.size}.
 */
public final class RecordSizes {

    /**
     * Bytes kept free below {@code max.request.size} for what the service adds to an input record: the buffer's
     * changelog entry (a 30-byte key, the source topic, partition, offset, timestamps and length fields: under
     * 1 KiB with the longest topic name) or a dead letter's {@code sentiment.*} headers (under 3 KiB: the message is
     * cut at {@link DeadLetters#MAX_MESSAGE_CHARS}), and the producer's record and batch framing (under 100 bytes).
     */
    static final int RESERVED_BYTES = 8 * 1024;

    /** Framing counted per header: its length fields in the changelog entry or as Kafka varints. */
    private static final int PER_HEADER_BYTES = 10;

    private RecordSizes() {}

    /** The largest input record (key, value and headers) accepted under this {@code max.request.size}. */
    public static int recordMaxBytes(int maxRequestSize) {
        return maxRequestSize - RESERVED_BYTES;
    }

    /** Bytes of a record's key, value and headers (names in UTF-8), with the framing of each header. */
    static long of(byte[] key, byte[] value, Header[] headers) {
        long bytes = length(key) + (long) length(value);
        for (Header header : headers) {
            bytes += header.key().getBytes(StandardCharsets.UTF_8).length
                    + (long) length(header.value())
                    + PER_HEADER_BYTES;
        }
        return bytes;
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }
}
