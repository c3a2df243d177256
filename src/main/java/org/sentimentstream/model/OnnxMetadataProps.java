package org.sentimentstream.model;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the {@code metadata_props} of an ONNX file straight from its protocol-buffers bytes
 * ({@code ModelProto} field 14, entries of {@code StringStringEntryProto} with key 1 and value 2),
 * skipping every other field.
 *
 * <p>ONNX Runtime Java's {@code OnnxModelMetadata.getCustomMetadata()} cannot be used for this: it
 * builds Java strings with JNI {@code NewStringUTF}, which expects modified UTF-8, so any character
 * outside the Basic Multilingual Plane (the emoji of the vocabulary) comes back garbled and the rest of
 * the value is lost (measured with ONNX Runtime 1.24.2).
 */
final class OnnxMetadataProps {

    private static final int MODEL_METADATA_PROPS = 14;
    private static final int ENTRY_KEY = 1;
    private static final int ENTRY_VALUE = 2;

    private static final int WIRE_VARINT = 0;
    private static final int WIRE_FIXED64 = 1;
    private static final int WIRE_LENGTH_DELIMITED = 2;
    private static final int WIRE_FIXED32 = 5;

    private OnnxMetadataProps() {}

    /**
     * @throws InvalidModelException when the bytes are not a well-formed message, a key or value is not
     *                               UTF-8, or a key appears twice
     */
    static Map<String, String> read(byte[] model, String source) {
        Map<String, String> properties = new LinkedHashMap<>();
        Reader reader = new Reader(model, 0, model.length, source);
        while (reader.hasMore()) {
            long tag = reader.varint();
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if (field == MODEL_METADATA_PROPS && wireType == WIRE_LENGTH_DELIMITED) {
                int length = reader.length();
                readEntry(new Reader(model, reader.position, reader.position + length, source), properties, source);
                reader.skip(length);
            } else {
                reader.skipField(wireType);
            }
        }
        return properties;
    }

    private static void readEntry(Reader entry, Map<String, String> properties, String source) {
        String key = "";
        String value = "";
        while (entry.hasMore()) {
            long tag = entry.varint();
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if ((field == ENTRY_KEY || field == ENTRY_VALUE) && wireType == WIRE_LENGTH_DELIMITED) {
                String text = entry.utf8(entry.length());
                if (field == ENTRY_KEY) {
                    key = text;
                } else {
                    value = text;
                }
            } else {
                entry.skipField(wireType);
            }
        }
        if (properties.put(key, value) != null) {
            throw new InvalidModelException(source, "metadata property " + key + " appears more than once");
        }
    }

    /** A cursor over one message's bytes. */
    private static final class Reader {
        private final byte[] bytes;
        private final int end;
        private final String source;
        private int position;

        Reader(byte[] bytes, int start, int end, String source) {
            this.bytes = bytes;
            this.position = start;
            this.end = end;
            this.source = source;
        }

        boolean hasMore() {
            return position < end;
        }

        long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (position >= end) {
                    throw malformed();
                }
                byte b = bytes[position++];
                result |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw malformed();
        }

        int length() {
            long length = varint();
            if (length < 0 || length > end - position) {
                throw malformed();
            }
            return (int) length;
        }

        void skip(int count) {
            if (count > end - position) {
                throw malformed();
            }
            position += count;
        }

        void skipField(int wireType) {
            switch (wireType) {
                case WIRE_VARINT -> varint();
                case WIRE_FIXED64 -> skip(8);
                case WIRE_LENGTH_DELIMITED -> skip(length());
                case WIRE_FIXED32 -> skip(4);
                default -> throw malformed();
            }
        }

        String utf8(int length) {
            try {
                String text = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes, position, length))
                        .toString();
                position += length;
                return text;
            } catch (CharacterCodingException e) {
                throw new InvalidModelException(source, "a metadata property is not valid UTF-8", e);
            }
        }

        private InvalidModelException malformed() {
            return new InvalidModelException(source, "the file is not a well-formed ONNX protocol-buffers message");
        }
    }
}
