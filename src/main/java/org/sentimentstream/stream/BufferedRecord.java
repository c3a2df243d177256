package org.sentimentstream.stream;

import org.apache.kafka.common.header.Header;

/**
 * An accepted input record waiting in the batch buffer: everything needed to classify it and emit its
 * result after a restart. The value is kept as the original bytes (decoded again when the batch is
 * classified), so a record that fails then still reaches the dead-letter topic untouched.
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

    /**
     * The store key: partition and offset, zero-padded so that the store's byte order is the input
     * order, and a replayed record overwrites its earlier copy instead of adding a second one.
     */
    static String storeKey(int partition, long offset) {
        return String.format("%010d-%019d", partition, offset);
    }

    String storeKey() {
        return storeKey(source.partition(), source.offset());
    }
}
