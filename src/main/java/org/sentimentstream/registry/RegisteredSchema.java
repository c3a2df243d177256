package org.sentimentstream.registry;

import java.util.Objects;

/**
 * A schema as the registry holds it.
 *
 * @param id            its global id, the one in the Confluent wire format
 * @param schemaType    AVRO, PROTOBUF or JSON (the registry leaves it out for Avro)
 * @param schema        the schema's text
 * @param hasReferences whether it references schemas of other subjects
 */
public record RegisteredSchema(int id, String schemaType, String schema, boolean hasReferences) {

    /** The type the registry means when it names none. */
    public static final String AVRO = "AVRO";

    public RegisteredSchema {
        Objects.requireNonNull(schemaType, "schemaType");
        Objects.requireNonNull(schema, "schema");
    }
}
