package org.sentimentstream.serde;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka {@link Serde}s over {@link RecordCodec}s, for producers, consumers and tests. */
public final class CodecSerdes {

    private CodecSerdes() {}

    /**
     * A serde that encodes and decodes with the codec. A null value stays null (a tombstone); a value
     * that cannot be decoded raises a {@link SerializationException} whose message names the topic and
     * the reason.
     */
    public static <T> Serde<T> serde(RecordCodec<T> codec) {
        Serializer<T> serializer = (topic, record) -> record == null ? null : codec.encode(record);
        Deserializer<T> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return codec.decode(bytes);
            } catch (RecordDecodingException e) {
                throw new SerializationException("Cannot decode a record of topic " + topic + ": " + e.getMessage(), e);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
