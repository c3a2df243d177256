package org.sentimentstream.serde;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Any JSON object, its text (and id and time) found by field path: parsed with the bounds of
 * {@link JsonSupport} (size, nesting, strings, numbers, duplicate keys), then mapped by the
 * {@link FieldExtractor}. The parsed object is kept for an enriched output.
 */
final class JsonFieldDecoder implements InputDecoder {

    private static final String TYPE = "object";
    private final ObjectMapper mapper = JsonSupport.newMapper();
    private final FieldExtractor extractor;

    JsonFieldDecoder(FieldMapping mapping) {
        this.extractor = new FieldExtractor(mapping);
    }

    @Override
    public DecodedInput decode(byte[] value, RecordCoordinates where) throws RecordDecodingException {
        ObjectNode object = JsonSupport.parseObject(mapper, value, TYPE);
        return new DecodedInput(extractor.extract(new JsonValue(object), where), object);
    }
}
