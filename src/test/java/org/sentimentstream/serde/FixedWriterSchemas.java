package org.sentimentstream.serde;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.sentimentstream.registry.RegisteredSchema;

/**
 * A fixed list of writer schemas by id, for the unit tests of the confluent-avro framing and schema
 * resolution. It is not a registry (no compatibility rules, no HTTP): the client's handling of a
 * registry's answers is tested against {@code registry/FakeRegistry}, and a real Apicurio Registry by the
 * integration tests.
 */
final class FixedWriterSchemas implements WriterSchemas {

    private final Map<Integer, RegisteredSchema> byId = new HashMap<>();
    private final Map<String, Integer> idsBySubject = new LinkedHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private final AtomicInteger idRequests = new AtomicInteger();
    private int nextId = 1;

    /** Adds an Avro schema; returns its id. */
    synchronized int add(Schema schema) {
        return add(RegisteredSchema.AVRO, schema.toString(), false);
    }

    synchronized int add(String type, String text, boolean references) {
        int id = nextId++;
        byId.put(id, new RegisteredSchema(id, type, text, references));
        return id;
    }

    @Override
    public synchronized RegisteredSchema byId(int id) throws RecordDecodingException {
        lookups.incrementAndGet();
        RegisteredSchema schema = byId.get(id);
        if (schema == null) {
            throw new RecordDecodingException(
                    RecordDecodingException.Kind.UNKNOWN_SCHEMA_ID, "no schema with id " + id, null);
        }
        return schema;
    }

    @Override
    public synchronized int idOf(String subject, Schema schema) {
        idRequests.incrementAndGet();
        return idsBySubject.computeIfAbsent(subject, s -> add(schema));
    }

    /** How many times a schema was asked for by id. */
    int lookups() {
        return lookups.get();
    }

    /** How many times an id was asked for by subject. */
    int idRequests() {
        return idRequests.get();
    }

    /** The subjects asked for, in order. */
    synchronized Map<String, Integer> subjects() {
        return Map.copyOf(idsBySubject);
    }
}
