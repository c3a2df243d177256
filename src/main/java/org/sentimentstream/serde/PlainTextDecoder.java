package org.sentimentstream.serde;

import java.nio.charset.StandardCharsets;

/**
 * Values that are only UTF-8 text, as console producers and {@code kcat} write them: the whole value is
 * the text; the id comes from the key (or the record's coordinates), the event time from the record's
 * timestamp ({@link FieldExtractor#plainText}). A value that is not well-formed UTF-8 is
 * {@code MALFORMED}.
 */
final class PlainTextDecoder implements InputDecoder {

    @Override
    public DecodedInput decode(byte[] value, RecordCoordinates where) throws RecordDecodingException {
        String problem = UnicodeChecks.utf8Problem(value);
        if (problem != null) {
            throw new RecordDecodingException("The plain-text value is not valid UTF-8: " + problem);
        }
        return new DecodedInput(FieldExtractor.plainText(new String(value, StandardCharsets.UTF_8), where), null);
    }
}
