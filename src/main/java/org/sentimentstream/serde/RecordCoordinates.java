package org.sentimentstream.serde;

/**
 * What an input decoder may need of a record besides its value: where it was read and its key and
 * timestamp, for the fallbacks of an id or event time that the value does not carry.
 *
 * @param topic     input topic
 * @param partition partition of the record
 * @param offset    offset of the record
 * @param timestamp the record's timestamp, milliseconds since the epoch
 * @param key       the key bytes, possibly null
 */
public record RecordCoordinates(String topic, int partition, long offset, long timestamp, byte[] key) {

    /** {@code topic-partition-offset}: the id of a record whose value and key carry none. */
    public String positionId() {
        return topic + "-" + partition + "-" + offset;
    }
}
