package org.sentimentstream.serde;

import org.apache.avro.NameValidator;
import org.apache.avro.Schema;

/**
 * Parses a writer schema fetched from a registry as Confluent's client reads it ({@code AvroSchema}):
 * without checking names against Avro's rules and without validating field defaults. A writer's defaults
 * are never used to read its data (the reader's are), and a name Avro's strict parser rejects still
 * names the same fields; a registry that does not validate them can hold such schemas, and producers
 * using Confluent's serializers write with them.
 */
final class LenientAvroSchemas {

    private LenientAvroSchemas() {}

    /**
     * The schema of this text.
     *
     * @throws RuntimeException what Avro's parser throws for a text it cannot parse: {@code
     *     SchemaParseException} or another {@code AvroRuntimeException} (a duplicate field or union branch,
     *     a negative fixed size), or {@code IllegalArgumentException} (an unknown field {@code order})
     */
    static Schema parse(String text) {
        return new Schema.Parser(NameValidator.NO_VALIDATION)
                .setValidateDefaults(false)
                .parse(text);
    }
}
