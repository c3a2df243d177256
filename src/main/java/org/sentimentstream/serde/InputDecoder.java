package org.sentimentstream.serde;

/**
 * Reads the value of an input record into what the service classifies. The record's coordinates, key and
 * timestamp are there for the id and event time that a value may not carry ({@link FieldExtractor}).
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface InputDecoder {

    /**
     * Decodes one value (never null: a tombstone is rejected before).
     *
     * @throws RecordDecodingException when the value cannot be read or lacks its text; its kind names the
     *                                 class of problem, its message never quotes the text
     * @throws org.sentimentstream.registry.RegistryException when a registry format cannot reach its
     *                                 registry: the record is not at fault
     */
    DecodedInput decode(byte[] value, RecordCoordinates where) throws RecordDecodingException;

    /** The decoder of today's text events: the codec's record, with nothing to enrich. */
    static InputDecoder of(RecordCodec<org.sentimentstream.avro.TextEvent> codec) {
        return (value, where) -> new DecodedInput(codec.decode(value), null);
    }
}
