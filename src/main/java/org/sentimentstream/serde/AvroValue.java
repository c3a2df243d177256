package org.sentimentstream.serde;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/**
 * A datum read by Avro's generic reader as a {@link StructuredValue}: records are records, strings
 * ({@code Utf8}) strings, {@code int} and {@code long} integers. A union holds the value of its branch,
 * so an optional field ({@code ["null", "string"]}) is either null or a string.
 */
record AvroValue(Object datum) implements StructuredValue {

    @Override
    public Kind kind() {
        if (datum == null) {
            return Kind.NULL;
        }
        if (datum instanceof GenericRecord) {
            return Kind.RECORD;
        }
        if (datum instanceof CharSequence) {
            return Kind.STRING;
        }
        if (datum instanceof Long || datum instanceof Integer) {
            return Kind.INTEGER;
        }
        return Kind.OTHER;
    }

    @Override
    public StructuredValue field(String name) {
        GenericRecord record = (GenericRecord) datum;
        Schema.Field field = record.getSchema().getField(name);
        return field == null ? null : new AvroValue(record.get(field.pos()));
    }

    @Override
    public String string() {
        return datum.toString();
    }

    @Override
    public long integer() {
        return ((Number) datum).longValue();
    }

    @Override
    public String describe() {
        if (datum == null) {
            return "null";
        }
        if (datum instanceof GenericRecord) {
            return "a record";
        }
        if (datum instanceof CharSequence) {
            return "a string";
        }
        if (datum instanceof Long || datum instanceof Integer) {
            return "an integer";
        }
        if (datum instanceof Collection) {
            return "an array";
        }
        if (datum instanceof Map) {
            return "a map";
        }
        if (datum instanceof ByteBuffer) {
            return "bytes";
        }
        if (datum instanceof GenericFixed) {
            return "a fixed";
        }
        if (datum instanceof GenericEnumSymbol) {
            return "an enum symbol";
        }
        if (datum instanceof Boolean) {
            return "a boolean";
        }
        return datum instanceof Float || datum instanceof Double
                ? "a fractional number"
                : datum.getClass().getSimpleName();
    }

    @Override
    public Object unwrap() {
        return datum;
    }
}
