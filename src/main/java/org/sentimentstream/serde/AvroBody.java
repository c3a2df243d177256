package org.sentimentstream.serde;

import java.io.EOFException;
import java.io.IOException;
import org.apache.avro.io.DatumReader;

/**
 * Reads the Avro binary body of a message (after its format's header) through
 * {@link BoundedBinaryDecoder}, with the same checks and messages for every Avro format: declared
 * lengths bounded by the message, strict UTF-8, nothing after the record.
 */
final class AvroBody {

    private AvroBody() {}

    static <T> T read(DatumReader<T> reader, byte[] bytes, int offset, String typeName) throws RecordDecodingException {
        BoundedBinaryDecoder decoder = new BoundedBinaryDecoder(bytes, offset, bytes.length - offset);
        T record;
        try {
            record = reader.read(null, decoder);
        } catch (EOFException e) {
            throw new RecordDecodingException(
                    "The Avro " + typeName + " is truncated: the value ends inside the record", e);
        } catch (BoundedBinaryDecoder.DeclaredSizeException e) {
            // Found by the decoder's own checks: the message says it all.
            throw new RecordDecodingException("Malformed Avro " + typeName + ": " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw new RecordDecodingException("Malformed Avro " + typeName + ": " + describe(e), e);
        }
        int trailing = decoder.remaining();
        if (trailing > 0) {
            throw new RecordDecodingException(
                    "Malformed Avro " + typeName + ": " + trailing + " unexpected bytes after the end of the record");
        }
        return record;
    }

    private static String describe(Exception e) {
        return e.getMessage() == null
                ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
