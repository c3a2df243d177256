package org.sentimentstream.serde;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.apache.avro.io.Decoder;
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
 * Strings must also be valid UTF-8 (Avro's own decoder silently replaces bad bytes). It reads the
 * message's array itself, with Avro's encoding rules (zig-zag varints of at most 5 and 10 bytes,
 * little-endian floats): Avro's direct decoder over a {@code ByteArrayInputStream} made a synchronized
 * call per byte, most of the decoding's cost (docs/PERFORMANCE.md, "After profiling").
 */
final class BoundedBinaryDecoder extends Decoder {

    private final byte[] message;
    private final int limit;
    private int position;

    BoundedBinaryDecoder(byte[] message, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, message.length);
        this.message = message;
        this.position = offset;
        this.limit = offset + length;
    }

    /** Bytes of the message not read yet. */
    int remaining() {
        return limit - position;
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
        long count = readLong();
        if (count < 0) {
            if (count == Long.MIN_VALUE) {
                throw new DeclaredSizeException(
                        what + " has an item count of " + count + ", which has no absolute value");
            }
            checkedLength(readLong(), what + " size");
            count = -count;
        }
        return checkedCount(count, what);
    }

    private byte[] readLengthPrefixed(String what) throws IOException {
        int length = checkedLength(readLong(), what);
        byte[] bytes = Arrays.copyOfRange(message, position, position + length);
        position += length;
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

    /** The next byte, or EOFException at the end of the message (a truncated value). */
    private int next() throws EOFException {
        if (position >= limit) {
            throw new EOFException();
        }
        return message[position++] & 0xff;
    }

    /** Advances over bytes whose count has been checked against {@link #remaining()}. */
    private void skip(int length) {
        position += length;
    }

    @Override
    public void readNull() {
        // A null takes no bytes.
    }

    @Override
    public boolean readBoolean() throws IOException {
        return next() == 1;
    }

    /** A zig-zag varint of at most 5 bytes, as Avro's decoders read it. */
    @Override
    public int readInt() throws IOException {
        int n = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            int b = next();
            n |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (n >>> 1) ^ -(n & 1);
            }
        }
        throw new DeclaredSizeException("Invalid int encoding: more than 5 bytes");
    }

    /** A zig-zag varint of at most 10 bytes, as Avro's decoders read it. */
    @Override
    public long readLong() throws IOException {
        long n = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            long b = next();
            n |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (n >>> 1) ^ -(n & 1);
            }
        }
        throw new DeclaredSizeException("Invalid long encoding: more than 10 bytes");
    }

    @Override
    public float readFloat() throws IOException {
        return Float.intBitsToFloat((int) readLittleEndian(Float.BYTES));
    }

    @Override
    public double readDouble() throws IOException {
        return Double.longBitsToDouble(readLittleEndian(Double.BYTES));
    }

    private long readLittleEndian(int bytes) throws IOException {
        if (remaining() < bytes) {
            position = limit;
            throw new EOFException();
        }
        long bits = 0;
        for (int i = 0; i < bytes; i++) {
            bits |= (long) (message[position++] & 0xff) << (8 * i);
        }
        return bits;
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
        skip(checkedLength(readLong(), "a string"));
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        return ByteBuffer.wrap(readLengthPrefixed("a bytes field"));
    }

    @Override
    public void skipBytes() throws IOException {
        skip(checkedLength(readLong(), "a bytes field"));
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        checkedLength(length, "a fixed field");
        System.arraycopy(message, position, bytes, start, length);
        position += length;
    }

    @Override
    public void skipFixed(int length) throws IOException {
        skip(checkedLength(length, "a fixed field"));
    }

    @Override
    public int readEnum() throws IOException {
        return readInt();
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
        return skipItems("an array block");
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
        return skipItems("a map block");
    }

    @Override
    public int readIndex() throws IOException {
        return readInt();
    }

    /**
     * Skips the blocks of an array or map that carry their size in bytes (a negative item count followed by
     * the size), as Avro's decoders do; returns the item count of the first block without one (0 at the end),
     * whose items the reader then skips one by one.
     */
    private long skipItems(String what) throws IOException {
        long count = readLong();
        while (count < 0) {
            skip(checkedLength(readLong(), what + " size"));
            count = readLong();
        }
        return checkedCount(count, what);
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
