package org.sentimentstream.serde;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * An Avro binary decoder over one in-memory message that refuses every length or item count larger
 * than the bytes left in the message, before allocating anything for it. A string, a byte array or a
 * map entry takes at least one byte on the wire, so an honest message never declares more than that;
 * a hostile one (a few bytes declaring a 2 GiB string or a billion map entries) fails here instead of
 * making the reader allocate what it declares. Arrays of zero-byte items (nulls) longer than the
 * message are refused too; no schema of this project has them.
 *
 * <p>This does not depend on Avro's JVM-wide limits ({@code org.apache.avro.limits.*} system
 * properties), which Avro 1.12.1 reads once when its {@code SystemLimitException} class is loaded.
 * Strings must also be valid UTF-8 (Avro's own decoder silently replaces bad bytes).
 */
final class BoundedBinaryDecoder extends Decoder {

    private final ByteArrayInputStream source;
    private final Decoder in;

    BoundedBinaryDecoder(byte[] message, int offset, int length) {
        this.source = new ByteArrayInputStream(message, offset, length);
        // The direct decoder reads no further ahead than it needs, so source.available() is exactly
        // the number of bytes not yet consumed.
        this.in = DecoderFactory.get().directBinaryDecoder(source, null);
    }

    /** Bytes of the message not read yet. */
    int remaining() {
        return source.available();
    }

    private int checkedLength(long declared, String what) throws IOException {
        if (declared < 0) {
            throw new DeclaredSizeException(what + " has a negative length (" + declared + ")");
        }
        int remaining = remaining();
        if (declared > remaining) {
            throw new DeclaredSizeException(
                    what + " declares " + declared + " bytes but only " + remaining + " remain in the message");
        }
        return (int) declared;
    }

    private long checkedCount(long declared, String what) throws IOException {
        if (declared < 0) {
            throw new DeclaredSizeException(what + " has a negative item count (" + declared + ")");
        }
        int remaining = remaining();
        if (declared > remaining) {
            throw new DeclaredSizeException(
                    what + " declares " + declared + " items but only " + remaining + " bytes remain in the message");
        }
        return declared;
    }

    /**
     * Reads the item count of an array or map block. A negative count is followed by the block's size
     * in bytes, and its absolute value is the count. Read here rather than by Avro's decoder, which
     * turns a count of {@code Long.MIN_VALUE} (whose absolute value does not exist) into 0, silently
     * ending the collection.
     */
    private long readItemCount(String what) throws IOException {
        long count = in.readLong();
        if (count < 0) {
            if (count == Long.MIN_VALUE) {
                throw new DeclaredSizeException(
                        what + " has an item count of " + count + ", which has no absolute value");
            }
            checkedLength(in.readLong(), what + " size");
            count = -count;
        }
        return checkedCount(count, what);
    }

    private byte[] readLengthPrefixed(String what) throws IOException {
        int length = checkedLength(in.readLong(), what);
        byte[] bytes = new byte[length];
        in.readFixed(bytes, 0, length);
        return bytes;
    }

    /** Fails unless the bytes are well-formed UTF-8 (checked in fixed-size chunks, without decoding them all). */
    private static byte[] strictUtf8(byte[] bytes) throws IOException {
        String problem = UnicodeChecks.utf8Problem(bytes);
        if (problem != null) {
            throw new DeclaredSizeException("a string is not valid UTF-8: " + problem);
        }
        return bytes;
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        return new Utf8(strictUtf8(readLengthPrefixed("a string")));
    }

    @Override
    public String readString() throws IOException {
        return new String(strictUtf8(readLengthPrefixed("a string")), StandardCharsets.UTF_8);
    }

    @Override
    public void skipString() throws IOException {
        in.skipFixed(checkedLength(in.readLong(), "a string"));
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        return ByteBuffer.wrap(readLengthPrefixed("a bytes field"));
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipFixed(checkedLength(in.readLong(), "a bytes field"));
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        checkedLength(length, "a fixed field");
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(checkedLength(length, "a fixed field"));
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public long readArrayStart() throws IOException {
        return readItemCount("an array");
    }

    @Override
    public long arrayNext() throws IOException {
        return readItemCount("an array block");
    }

    @Override
    public long skipArray() throws IOException {
        return checkedCount(in.skipArray(), "an array block");
    }

    @Override
    public long readMapStart() throws IOException {
        return readItemCount("a map");
    }

    @Override
    public long mapNext() throws IOException {
        return readItemCount("a map block");
    }

    @Override
    public long skipMap() throws IOException {
        return checkedCount(in.skipMap(), "a map block");
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }

    /** A length, count or encoding in the message that cannot be honest. */
    static final class DeclaredSizeException extends IOException {

        private static final long serialVersionUID = 1L;

        DeclaredSizeException(String message) {
            super(message);
        }

        DeclaredSizeException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
