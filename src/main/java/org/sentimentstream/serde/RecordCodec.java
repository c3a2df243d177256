package org.sentimentstream.serde;

/**
 * Converts records of one type to and from the bytes of a Kafka record value, in one wire format.
 * Implementations are thread-safe.
 *
 * @param <T> the record type
 */
public interface RecordCodec<T> {

    /** The wire format this codec writes and reads. */
    WireFormat format();

    /**
     * Encodes a record.
     *
     * @throws IllegalArgumentException when the record cannot be encoded (for example a required
     *                                  field is null)
     * @throws org.sentimentstream.registry.RegistryException when a registry format cannot register or
     *                                  look up its schema (only until {@link #prepareEncoding()} has
     *                                  succeeded once)
     */
    byte[] encode(T record);

    /**
     * Decodes a record. Never allocates more than a small multiple of the message size, whatever the
     * message declares.
     *
     * @throws RecordDecodingException when the bytes are not a valid record; its message says why, and
     *                                 its kind names the class of problem
     * @throws org.sentimentstream.registry.RegistryException when a registry format cannot reach its
     *                                 registry (after its retries) to learn a schema id: the record is not
     *                                 at fault, so it is not a decoding problem
     */
    T decode(byte[] bytes) throws RecordDecodingException;

    /**
     * Does now what {@link #encode} needs before its first record, so that a writer can fail at start-up
     * rather than on its first record: a registry format registers (or looks up) the schema it writes.
     * Nothing for the other formats.
     *
     * @throws org.sentimentstream.registry.RegistryException when the schema cannot be registered or found
     */
    default void prepareEncoding() {}
}
