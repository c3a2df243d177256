package org.sentimentstream.serde;

import java.util.Objects;

/**
 * Where the text, and optionally the id and the event time, live in a structured input value (settings
 * {@value #TEXT_FIELD_SETTING}, {@value #ID_FIELD_SETTING}, {@value #TIME_FIELD_SETTING}).
 *
 * @param text path of the text to classify
 * @param id   path of the id, or null: the id then comes from the key or the record's coordinates
 * @param time path of the event time, or null: the record's timestamp is the event time
 */
public record FieldMapping(FieldPath text, FieldPath id, FieldPath time) {

    public static final String TEXT_FIELD_SETTING = "input.text.field";
    public static final String ID_FIELD_SETTING = "input.id.field";
    public static final String TIME_FIELD_SETTING = "input.time.field";

    public FieldMapping {
        Objects.requireNonNull(text, "text");
    }

    /** A mapping of the text alone. */
    public static FieldMapping text(String path) {
        return new FieldMapping(FieldPath.parse(path), null, null);
    }

    /** The mapping of these (possibly null or empty) id and time paths besides the text's. */
    public static FieldMapping of(String textPath, String idPath, String timePath) {
        return new FieldMapping(FieldPath.parse(textPath), pathOrNull(idPath), pathOrNull(timePath));
    }

    private static FieldPath pathOrNull(String path) {
        return path == null || path.isEmpty() ? null : FieldPath.parse(path);
    }
}
