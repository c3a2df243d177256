package org.sentimentstream.serde;

/**
 * A decoded input value in a form that does not depend on its wire format (a JSON object, an Avro
 * record), as {@link FieldExtractor} walks it: a value is a record of named fields, a string, an integer,
 * null, or something else (named for messages). Each format adapts its own tree; the extractor owns what a
 * path means.
 */
interface StructuredValue {

    /** The kinds of value a path can meet. */
    enum Kind {
        RECORD,
        STRING,
        INTEGER,
        NULL,
        OTHER
    }

    Kind kind();

    /** The field of a record, or null when the record has no such field (only for {@link Kind#RECORD}). */
    StructuredValue field(String name);

    /** The string (only for {@link Kind#STRING}). */
    String string();

    /** The integer (only for {@link Kind#INTEGER}). */
    long integer();

    /** The value's type in words, for messages ({@code an array}, {@code a boolean}); never its content. */
    String describe();

    /** The format's own decoded value (a Jackson node, an Avro datum), for enriched output. */
    Object unwrap();
}
