package org.sentimentstream.serde;

import java.util.Objects;
import org.apache.avro.generic.GenericRecord;

/**
 * A {@code confluent-avro} input as {@link GenericAvroDecoder} read it, for the enriched output: the record
 * read with its writer's schema, and the message it was read from (header and body), whose body has been
 * read to its end and checked, so that the enriched output can copy it instead of encoding the record again.
 *
 * @param record  the record
 * @param message the whole value, in Confluent's wire format
 */
record AvroRecordInput(GenericRecord record, byte[] message) {

    AvroRecordInput {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(message, "message");
    }
}
