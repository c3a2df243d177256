package org.sentimentstream.stream;

import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Where an input record was read from.
 *
 * @param topic     input topic
 * @param partition partition of the record
 * @param offset    offset of the record
 */
record SourcePosition(String topic, int partition, long offset) {

    static SourcePosition of(RecordMetadata metadata) {
        return new SourcePosition(metadata.topic(), metadata.partition(), metadata.offset());
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
