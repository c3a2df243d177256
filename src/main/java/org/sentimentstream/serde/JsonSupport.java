package org.sentimentstream.serde;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The strict JSON reader shared by the JSON codecs: bounded (document size, nesting depth, string,
 * number and name lengths), no duplicate keys, nothing after the object, and error messages that
 * never quote the input. Field accessors fail with a message naming the field and what was wrong.
 */
final class JsonSupport {

    /** Largest JSON document accepted, in bytes (Kafka's default maximum message size). */
    static final int MAX_DOCUMENT_BYTES = 1024 * 1024;
    /** Deepest nesting accepted; the records themselves need 2 (an object holding a map). */
    static final int MAX_NESTING_DEPTH = 16;
    /** Longest number literal accepted, in characters. */
    static final int MAX_NUMBER_LENGTH = 32;
    /** Longest field name accepted, in characters. */
    static final int MAX_NAME_LENGTH = 1024;

    private JsonSupport() {}

    static ObjectMapper newMapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxDocumentLength(MAX_DOCUMENT_BYTES)
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(MAX_DOCUMENT_BYTES)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxNameLength(MAX_NAME_LENGTH)
                        .build())
                // Error messages must not echo the content (texts may be private).
                .errorReportConfiguration(ErrorReportConfiguration.builder()
                        .maxErrorTokenLength(0)
                        .maxRawContentLength(0)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
        return new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** Parses a JSON object, or fails with a reason that names the type expected. */
    static ObjectNode parseObject(ObjectMapper mapper, byte[] bytes, String typeName) throws RecordDecodingException {
        if (bytes == null) {
            throw new RecordDecodingException("The value is null, not a JSON " + typeName);
        }
        if (bytes.length > MAX_DOCUMENT_BYTES) {
            throw new RecordDecodingException("The JSON " + typeName + " is " + bytes.length
                    + " bytes, more than the limit of " + MAX_DOCUMENT_BYTES);
        }
        String notUtf8 = UnicodeChecks.utf8DocumentProblem(bytes);
        if (notUtf8 != null) {
            throw new RecordDecodingException("The JSON " + typeName + " is not valid UTF-8: " + notUtf8);
        }
        JsonNode node;
        try {
            node = mapper.readTree(bytes);
        } catch (StreamConstraintsException e) {
            throw new RecordDecodingException(
                    "The JSON " + typeName + " exceeds a limit: " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new RecordDecodingException(
                    "Invalid JSON " + typeName + where(e.getLocation()) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new RecordDecodingException("Unreadable JSON " + typeName + ": " + e.getMessage(), e);
        }
        if (node == null || node.isMissingNode()) {
            throw new RecordDecodingException("The value is empty, not a JSON " + typeName);
        }
        if (!node.isObject()) {
            throw new RecordDecodingException("The JSON " + typeName + " must be an object, not " + kind(node));
        }
        return (ObjectNode) node;
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** A short name of a node's JSON type, for messages: {@code a number}, {@code null}, ... */
    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case NULL -> "null";
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER ->
                !node.isIntegralNumber()
                        ? "a fractional number"
                        : node.canConvertToLong() ? "a number" : "an integer beyond 64 bits";
            case BOOLEAN -> "a boolean";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    /** Typed, checked access to the fields of one JSON object. */
    static final class Fields {

        private final ObjectNode object;
        private final String typeName;

        Fields(ObjectNode object, String typeName) {
            this.object = object;
            this.typeName = typeName;
        }

        private JsonNode required(String name) throws RecordDecodingException {
            JsonNode node = object.get(name);
            if (node == null) {
                throw new RecordDecodingException("The JSON " + typeName + " lacks the required field '" + name + "'");
            }
            return node;
        }

        private RecordDecodingException wrongType(String name, String expected, JsonNode node) {
            return new RecordDecodingException(
                    "Field '" + name + "' of the JSON " + typeName + " must be " + expected + ", not " + kind(node));
        }

        String requiredText(String name) throws RecordDecodingException {
            JsonNode node = required(name);
            if (!node.isTextual()) {
                throw wrongType(name, "a string", node);
            }
            return wellFormedField(name, node.textValue());
        }

        private String wellFormedField(String name, String value) throws RecordDecodingException {
            return wellFormed("Field '" + name + "'", value);
        }

        /**
         * The string, if every surrogate in it is paired: a {@code \u005CuD800} escape alone is not
         * Unicode, and could not be written as UTF-8 again.
         */
        private String wellFormed(String what, String value) throws RecordDecodingException {
            int unpaired = UnicodeChecks.unpairedSurrogateIndex(value);
            if (unpaired >= 0) {
                throw new RecordDecodingException(what + " of the JSON " + typeName
                        + " holds an unpaired surrogate at character " + unpaired + ": not valid Unicode");
            }
            return value;
        }

        /** A nullable string: absent and null both give null. */
        String optionalText(String name) throws RecordDecodingException {
            JsonNode node = object.get(name);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isTextual()) {
                throw wrongType(name, "a string or null", node);
            }
            return wellFormedField(name, node.textValue());
        }

        Instant requiredEpochMillis(String name) throws RecordDecodingException {
            JsonNode node = required(name);
            if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                throw wrongType(name, "an integer number of milliseconds since the epoch", node);
            }
            return Instant.ofEpochMilli(node.longValue());
        }

        int requiredInt(String name) throws RecordDecodingException {
            JsonNode node = required(name);
            if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                throw wrongType(name, "an integer within 32 bits", node);
            }
            return node.intValue();
        }

        /** An integer that may be absent or null (then null), as an Avro union of null and int. */
        Integer optionalInt(String name) throws RecordDecodingException {
            JsonNode node = object.get(name);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                throw wrongType(name, "an integer within 32 bits or null", node);
            }
            return node.intValue();
        }

        boolean requiredBoolean(String name) throws RecordDecodingException {
            JsonNode node = required(name);
            if (!node.isBoolean()) {
                throw wrongType(name, "a boolean", node);
            }
            return node.booleanValue();
        }

        /** A map of strings that may be absent (then empty), as an Avro map with default {}. */
        Map<String, String> stringMapOrEmpty(String name) throws RecordDecodingException {
            JsonNode node = object.get(name);
            if (node == null) {
                return new LinkedHashMap<>();
            }
            if (!node.isObject()) {
                throw wrongType(name, "an object of strings", node);
            }
            Map<String, String> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                if (!entry.getValue().isTextual()) {
                    throw new RecordDecodingException("Field '" + name + "' of the JSON " + typeName
                            + " must hold only strings, but '" + entry.getKey() + "' is " + kind(entry.getValue()));
                }
                // Jackson itself refuses unpaired surrogates in names, so only the value is checked.
                map.put(
                        entry.getKey(),
                        wellFormed(
                                "The value of entry #" + map.size() + " of field '" + name + "'",
                                entry.getValue().textValue()));
            }
            return map;
        }

        Map<String, Float> requiredFloatMap(String name) throws RecordDecodingException {
            JsonNode node = required(name);
            if (!node.isObject()) {
                throw wrongType(name, "an object of numbers", node);
            }
            Map<String, Float> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                if (!entry.getValue().isNumber()) {
                    throw new RecordDecodingException("Field '" + name + "' of the JSON " + typeName
                            + " must hold only numbers, but '" + entry.getKey() + "' is " + kind(entry.getValue()));
                }
                map.put(entry.getKey(), entry.getValue().floatValue());
            }
            return map;
        }
    }
}
