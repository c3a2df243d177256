package org.sentimentstream.serde;

import org.apache.avro.Schema;
import org.sentimentstream.registry.RegisteredSchema;
import org.sentimentstream.registry.RegistryErrorException;
import org.sentimentstream.registry.SchemaRegistryClient;

/** {@link WriterSchemas} from a Confluent-compatible schema registry, through its (caching) client. */
final class RegistryWriterSchemas implements WriterSchemas {

    private final SchemaRegistryClient client;
    private final boolean autoRegister;

    RegistryWriterSchemas(SchemaRegistryClient client, boolean autoRegister) {
        this.client = client;
        this.autoRegister = autoRegister;
    }

    @Override
    public RegisteredSchema byId(int id) throws RecordDecodingException {
        try {
            return client.schemaById(id);
        } catch (RegistryErrorException e) {
            if (e.isSchemaNotFound()) {
                throw new RecordDecodingException(
                        RecordDecodingException.Kind.UNKNOWN_SCHEMA_ID,
                        "The value names schema id " + id + ", which the schema registry does not have",
                        null);
            }
            if (e.isAnswerTooLarge()) {
                // The id's schema is unusable here, as an unparseable one is: its records are
                // dead-lettered, not a stopped service that meets them again at every start.
                throw new RecordDecodingException(
                        RecordDecodingException.Kind.INCOMPATIBLE_SCHEMA,
                        "The value's writer schema (id " + id + ") cannot be read: " + e.getMessage(),
                        null);
            }
            throw e;
        }
    }

    @Override
    public int idOf(String subject, Schema schema) {
        // The schema as the generated class holds it (docs, defaults and logical types included: the
        // registry's compatibility checks and downstream readers need them), not Avro's parsing
        // canonical form, which drops them.
        String text = schema.toString();
        return autoRegister
                ? client.register(subject, RegisteredSchema.AVRO, text)
                : client.lookup(subject, RegisteredSchema.AVRO, text);
    }
}
