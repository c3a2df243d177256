package org.sentimentstream.serde;

import org.apache.avro.Schema;
import org.sentimentstream.registry.RegisteredSchema;

/**
 * What the {@code confluent-avro} codecs need from a schema registry: writer schemas by id, and the id
 * of the schema they write under a subject. {@link RegistryWriterSchemas} asks a real registry; unit tests
 * of the framing and of schema resolution give a fixed list.
 */
interface WriterSchemas {

    /**
     * The schema registered with this id.
     *
     * @throws RecordDecodingException of kind {@code UNKNOWN_SCHEMA_ID} when the registry has none
     * @throws org.sentimentstream.registry.RegistryException when the registry cannot be reached
     */
    RegisteredSchema byId(int id) throws RecordDecodingException;

    /**
     * The id of this schema under this subject: registered there first when the settings allow it,
     * else looked up.
     *
     * @throws org.sentimentstream.registry.RegistryException when it is refused or cannot be found
     */
    int idOf(String subject, Schema schema);
}
