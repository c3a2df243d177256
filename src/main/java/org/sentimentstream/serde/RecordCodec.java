package org.sentimentstream.serde;

/**
 * Converts records of one type to and from the bytes of a Kafka record value, in one wire format.
 * Implementations are immutable and thread-safe.
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
     */
    byte[] encode(T record);

    /**
     * Decodes a record. Never allocates more than a small multiple of the message size, whatever the
     * message declares.
     *
     * @throws RecordDecodingException when the bytes are not a valid record; its message says why
     */
    T decode(byte[] bytes) throws RecordDecodingException;
}
