package org.sentimentstream.serde;

import com.fasterxml.jackson.databind.JsonNode;

/** A JSON node as a {@link StructuredValue}: objects are records, integral numbers within 64 bits integers. */
record JsonValue(JsonNode node) implements StructuredValue {

    @Override
    public Kind kind() {
        if (node.isObject()) {
            return Kind.RECORD;
        }
        if (node.isTextual()) {
            return Kind.STRING;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return Kind.INTEGER;
        }
        return node.isNull() ? Kind.NULL : Kind.OTHER;
    }

    @Override
    public StructuredValue field(String name) {
        JsonNode child = node.get(name);
        return child == null ? null : new JsonValue(child);
    }

    @Override
    public String string() {
        return node.textValue();
    }

    @Override
    public long integer() {
        return node.longValue();
    }

    @Override
    public String describe() {
        return JsonSupport.kind(node);
    }

    @Override
    public Object unwrap() {
        return node;
    }
}
