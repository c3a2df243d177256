package org.sentimentstream.serde;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import org.sentimentstream.avro.TextEvent;

/**
 * The one place that knows what the input settings' field paths mean, for every format: it maps a decoded
 * value (any JSON object, any Avro record, or a plain text) and its record's coordinates to the
 * {@link TextEvent} the classifier needs.
 *
 * <ul>
 *   <li>The text must be a string at its path. A path that meets no field (or null) is
 *       {@code FIELD_MISSING}; one that meets another type on the way or at its end (an array, a number)
 *       is {@code FIELD_WRONG_TYPE}.
 *   <li>The id is a string or an integer at its path; when there is no id path, or the field is absent
 *       or null, the id is the record's key (UTF-8; a key that is not valid UTF-8 becomes {@code hex:}
 *       and its bytes in lowercase hexadecimal), and without a key {@code topic-partition-offset}.
 *   <li>The event time is an integer (milliseconds since the epoch) or an ISO-8601 instant string at its
 *       path; when there is none, the record's timestamp.
 * </ul>
 */
public final class FieldExtractor {

    private final FieldMapping mapping;

    public FieldExtractor(FieldMapping mapping) {
        this.mapping = mapping;
    }

    /** The event of a structured value. */
    TextEvent extract(StructuredValue root, RecordCoordinates where) throws RecordDecodingException {
        StructuredValue text = find(root, mapping.text(), FieldMapping.TEXT_FIELD_SETTING);
        if (text == null) {
            throw missing(mapping.text(), FieldMapping.TEXT_FIELD_SETTING);
        }
        if (text.kind() != StructuredValue.Kind.STRING) {
            throw wrongType(mapping.text().toString(), FieldMapping.TEXT_FIELD_SETTING, "a string", text);
        }
        return event(wellFormed(text.string(), FieldMapping.TEXT_FIELD_SETTING), id(root, where), time(root, where));
    }

    /** The event of a plain text value: id from the key or the coordinates, time from the timestamp. */
    static TextEvent plainText(String text, RecordCoordinates where) {
        return event(text, fallbackId(where), Instant.ofEpochMilli(where.timestamp()));
    }

    private static TextEvent event(String text, String id, Instant time) {
        return TextEvent.newBuilder()
                .setId(id)
                .setText(text)
                .setEventTime(time)
                .setAttributes(new LinkedHashMap<>())
                .build();
    }

    private String id(StructuredValue root, RecordCoordinates where) throws RecordDecodingException {
        StructuredValue id = mapping.id() == null ? null : find(root, mapping.id(), FieldMapping.ID_FIELD_SETTING);
        if (id == null) {
            return fallbackId(where);
        }
        return switch (id.kind()) {
            case STRING -> wellFormed(id.string(), FieldMapping.ID_FIELD_SETTING);
            case INTEGER -> Long.toString(id.integer());
            default ->
                throw wrongType(mapping.id().toString(), FieldMapping.ID_FIELD_SETTING, "a string or an integer", id);
        };
    }

    private Instant time(StructuredValue root, RecordCoordinates where) throws RecordDecodingException {
        StructuredValue time =
                mapping.time() == null ? null : find(root, mapping.time(), FieldMapping.TIME_FIELD_SETTING);
        if (time == null) {
            return Instant.ofEpochMilli(where.timestamp());
        }
        String expected = "an integer of milliseconds since the epoch or an ISO-8601 instant";
        if (time.kind() == StructuredValue.Kind.INTEGER) {
            return Instant.ofEpochMilli(time.integer());
        }
        if (time.kind() == StructuredValue.Kind.STRING) {
            try {
                return Instant.parse(time.string());
            } catch (DateTimeParseException e) {
                throw new RecordDecodingException(
                        RecordDecodingException.Kind.FIELD_WRONG_TYPE,
                        "Field '" + mapping.time() + "' (" + FieldMapping.TIME_FIELD_SETTING + ") must be " + expected
                                + ", not a string of another form",
                        null);
            }
        }
        throw wrongType(mapping.time().toString(), FieldMapping.TIME_FIELD_SETTING, expected, time);
    }

    /**
     * The value at the path, or null when a field on it is absent or null.
     *
     * @throws RecordDecodingException FIELD_WRONG_TYPE when the path meets a value that is not a record
     *                                 before its end
     */
    private static StructuredValue find(StructuredValue root, FieldPath path, String setting)
            throws RecordDecodingException {
        StructuredValue current = root;
        for (int i = 0; i < path.segments().size(); i++) {
            if (current.kind() == StructuredValue.Kind.NULL) {
                return null;
            }
            if (current.kind() != StructuredValue.Kind.RECORD) {
                String at = i == 0 ? "the value itself" : "field '" + path.prefix(i - 1) + "'";
                throw new RecordDecodingException(
                        RecordDecodingException.Kind.FIELD_WRONG_TYPE,
                        "Path '" + path + "' (" + setting + ") cannot be followed: " + at + " is " + current.describe()
                                + ", not a record",
                        null);
            }
            current = current.field(path.segments().get(i));
            if (current == null) {
                return null;
            }
        }
        return current.kind() == StructuredValue.Kind.NULL ? null : current;
    }

    /** The id of a record whose value names none: its key, or its coordinates when it has no key. */
    static String fallbackId(RecordCoordinates where) {
        byte[] key = where.key();
        if (key == null || key.length == 0) {
            return where.positionId();
        }
        if (UnicodeChecks.utf8Problem(key) == null) {
            return new String(key, StandardCharsets.UTF_8);
        }
        return "hex:" + HexFormat.of().formatHex(key);
    }

    private static String wellFormed(String value, String setting) throws RecordDecodingException {
        int unpaired = UnicodeChecks.unpairedSurrogateIndex(value);
        if (unpaired >= 0) {
            throw new RecordDecodingException("The field of " + setting + " holds an unpaired surrogate at character "
                    + unpaired + ": not valid Unicode");
        }
        return value;
    }

    private static RecordDecodingException missing(FieldPath path, String setting) {
        return new RecordDecodingException(
                RecordDecodingException.Kind.FIELD_MISSING,
                "The value has no field '" + path + "' (" + setting + "), or it is null",
                null);
    }

    private static RecordDecodingException wrongType(
            String path, String setting, String expected, StructuredValue found) {
        return new RecordDecodingException(
                RecordDecodingException.Kind.FIELD_WRONG_TYPE,
                "Field '" + path + "' (" + setting + ") must be " + expected + ", not " + found.describe(),
                null);
    }
}
