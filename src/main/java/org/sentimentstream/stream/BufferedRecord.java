package org.sentimentstream.stream;

import org.apache.kafka.common.header.Header;

/**
 * An accepted input record waiting in the batch buffer: the durable copy in the buffer's changelog,
 * everything needed to classify it and emit its result after a restart. The value is kept as the
 * original bytes, so that a record that fails later still reaches the dead-letter topic untouched; while
 * the task runs, the decoded and tokenized record is held beside it in memory, and the bytes are decoded
 * again only after a restart restored them.
 *
 * @param source       where the record was read from
 * @param timestamp    the input record's timestamp (the output keeps it)
 * @param bufferedAtMs wall-clock time at which it was buffered (for the linger)
 * @param key          the input key bytes, possibly null
 * @param value        the input value bytes
 * @param headers      the input headers (the output keeps them)
 */
record BufferedRecord(
        SourcePosition source, long timestamp, long bufferedAtMs, byte[] key, byte[] value, Header[] headers) {

    private static final int PARTITION_DIGITS = 10;
    private static final int OFFSET_DIGITS = 19;

    /**
     * The store key: partition and offset, zero-padded ({@code %010d-%019d}) so that the store's byte
     * order is the input order, and a replayed record overwrites its earlier copy instead of adding a
     * second one. Written digit by digit: this runs for every buffered record.
     */
    static String storeKey(int partition, long offset) {
        if (partition < 0 || offset < 0) {
            throw new IllegalArgumentException(
                    "partition and offset must not be negative: " + partition + ", " + offset);
        }
        char[] key = new char[PARTITION_DIGITS + 1 + OFFSET_DIGITS];
        writeDigits(key, 0, PARTITION_DIGITS, partition);
        key[PARTITION_DIGITS] = '-';
        writeDigits(key, PARTITION_DIGITS + 1, OFFSET_DIGITS, offset);
        return new String(key);
    }

    private static void writeDigits(char[] out, int from, int width, long value) {
        long rest = value;
        for (int i = from + width - 1; i >= from; i--) {
            out[i] = (char) ('0' + rest % 10);
            rest /= 10;
        }
    }

    String storeKey() {
        return storeKey(source.partition(), source.offset());
    }

    /** The same record, buffered at another time. */
    BufferedRecord bufferedAt(long atMs) {
        return new BufferedRecord(source, timestamp, atMs, key, value, headers);
    }
}
