package org.sentimentstream.serde;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Checks that input is well-formed Unicode, so that the JSON format accepts exactly the texts the
 * Avro format accepts (whose strings {@link BoundedBinaryDecoder} checks with the same rule). Jackson on its own
 * accepts some malformed UTF-8 (overlong forms such as {@code C0 80}), documents in UTF-16 or UTF-32,
 * and {@code \u005CuD800} escapes that leave a surrogate unpaired; such strings cannot be written as
 * UTF-8 again (an Avro encoder silently turns them into {@code ?}), so an id would not come out as it
 * went in.
 */
final class UnicodeChecks {

    private static final int CHUNK_CHARS = 1024;

    private UnicodeChecks() {}

    /**
     * Why the bytes are not a UTF-8 JSON document, or null when they are well-formed UTF-8 without a
     * zero byte (a JSON document in UTF-8 never holds one: control characters must be escaped, and
     * zero bytes are how UTF-16 and UTF-32 documents look).
     */
    static String utf8DocumentProblem(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return "a zero byte at offset " + i + " (is it UTF-16 or UTF-32?)";
            }
        }
        return utf8Problem(bytes);
    }

    /**
     * Why the bytes are not well-formed UTF-8 (overlong forms, encoded surrogates, code points beyond
     * U+10FFFF and cut sequences are not), or null when they are. Decodes in fixed-size chunks: no
     * allocation in proportion to the size of the input.
     */
    static String utf8Problem(byte[] bytes) {
        if (isAscii(bytes)) {
            // The common case, and well-formed UTF-8 by definition: no decoder, no buffer.
            return null;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(CHUNK_CHARS);
        CoderResult result;
        do {
            out.clear();
            result = decoder.decode(in, out, true);
        } while (result.isOverflow());
        if (result.isError()) {
            return "a malformed sequence of " + result.length() + " byte(s) at offset " + in.position();
        }
        out.clear();
        decoder.flush(out);
        return null;
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** Index of the first surrogate char of the string that is not part of a pair, or -1 if none. */
    static int unpairedSurrogateIndex(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
