package org.sentimentstream.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.sentimentstream.avro.TextEvent;

/**
 * Writes a text event in the shape a {@link FieldMapping} reads, for the producers of the command line
 * ({@code produce}, {@code loadtest}, {@code demo}): the text at the text path, the id (a string) and the event
 * time at theirs when the mapping has them, nothing else. In {@code json} an object (the time an ISO-8601
 * string); in {@code confluent-avro} a record of a schema made from the paths (the time a
 * {@code timestamp-millis} long), registered (or looked up) under the topic's subject on the first encode. So
 * what these commands write is what the service, given the same settings, reads.
 */
public final class FieldMappedEncoder {

    /** The name and namespace of the root record of the {@code confluent-avro} schema. */
    static final String RECORD_NAME = "MappedTextEvent";

    static final String NAMESPACE = "org.sentimentstream.produced";

    private enum Leaf {
        TEXT,
        ID,
        TIME
    }

    private final WireFormat format;
    private final Map<String, Object> tree;
    private final ObjectMapper json = new ObjectMapper();
    private final Schema schema;
    private final ToIntFunction<Schema> schemaIds;
    private GenericDatumWriter<GenericRecord> writer;
    private int schemaId = -1;

    private FieldMappedEncoder(WireFormat format, Map<String, Object> tree, ToIntFunction<Schema> schemaIds) {
        this.format = format;
        this.tree = tree;
        this.schema = format == WireFormat.CONFLUENT_AVRO ? recordSchema(RECORD_NAME, tree, "") : null;
        this.schemaIds = schemaIds;
    }

    /**
     * An encoder of this mapping's shape in this format.
     *
     * @throws IllegalArgumentException when the format cannot hold field paths, or one path runs through
     *                                  another's value (no record can have both)
     */
    public static FieldMappedEncoder create(
            WireFormat format, FieldMapping mapping, CodecContext context, String topic) {
        if (format != WireFormat.CONFLUENT_AVRO) {
            return over(format, mapping, schema -> -1);
        }
        ConfluentAvroSupport support = context.shared(ConfluentAvroSupport.class, ConfluentAvroSupport::new);
        return over(format, mapping, schema -> support.idOf(support.subject(topic, schema), schema));
    }

    /** An encoder that gets the id of its {@code confluent-avro} schema from {@code schemaIds}. */
    static FieldMappedEncoder over(WireFormat format, FieldMapping mapping, ToIntFunction<Schema> schemaIds) {
        if (!InputShape.supportsFields(format)) {
            throw new IllegalArgumentException(
                    "Field paths need json or confluent-avro input, not " + format.configValue());
        }
        Map<String, Object> tree = new LinkedHashMap<>();
        add(tree, mapping.text(), Leaf.TEXT, FieldMapping.TEXT_FIELD_SETTING);
        add(tree, mapping.id(), Leaf.ID, FieldMapping.ID_FIELD_SETTING);
        add(tree, mapping.time(), Leaf.TIME, FieldMapping.TIME_FIELD_SETTING);
        try {
            return new FieldMappedEncoder(format, tree, schemaIds);
        } catch (org.apache.avro.SchemaParseException e) {
            throw new IllegalArgumentException(
                    "The field paths cannot be written as an Avro record: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void add(Map<String, Object> tree, FieldPath path, Leaf leaf, String setting) {
        if (path == null) {
            return;
        }
        Map<String, Object> node = tree;
        List<String> segments = path.segments();
        for (int i = 0; i < segments.size() - 1; i++) {
            Object child = node.computeIfAbsent(segments.get(i), s -> new LinkedHashMap<String, Object>());
            if (!(child instanceof Map)) {
                throw new IllegalArgumentException(setting + " " + path + " runs through the value of another path");
            }
            node = (Map<String, Object>) child;
        }
        if (node.putIfAbsent(segments.get(segments.size() - 1), leaf) != null) {
            throw new IllegalArgumentException(setting + " " + path + " is also, or runs through, another path");
        }
    }

    /** The {@code confluent-avro} schema of the records (null for {@code json}). */
    Schema schema() {
        return schema;
    }

    /** The event's text, id and time in the mapped shape, in the format. */
    public byte[] encode(TextEvent event) {
        if (format == WireFormat.JSON) {
            try {
                return json.writeValueAsBytes(jsonObject(tree, event));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("Cannot write the mapped JSON object: " + e.getMessage(), e);
            }
        }
        synchronized (this) {
            if (writer == null) {
                schemaId = schemaIds.applyAsInt(schema);
                writer = new GenericDatumWriter<>(schema, GenericData.get());
            }
        }
        return ConfluentAvroCodec.encode(schemaId, writer, avroRecord(schema, tree, event), schema.getFullName());
    }

    @SuppressWarnings("unchecked")
    private ObjectNode jsonObject(Map<String, Object> node, TextEvent event) {
        ObjectNode object = json.createObjectNode();
        node.forEach((name, child) -> {
            if (child instanceof Map) {
                object.set(name, jsonObject((Map<String, Object>) child, event));
            } else {
                switch ((Leaf) child) {
                    case TEXT -> object.put(name, event.getText());
                    case ID -> object.put(name, event.getId());
                    case TIME -> object.put(name, event.getEventTime().toString());
                }
            }
        });
        return object;
    }

    @SuppressWarnings("unchecked")
    private static GenericRecord avroRecord(Schema recordSchema, Map<String, Object> node, TextEvent event) {
        GenericRecord record = new GenericData.Record(recordSchema);
        node.forEach((name, child) -> {
            if (child instanceof Map) {
                record.put(name, avroRecord(recordSchema.getField(name).schema(), (Map<String, Object>) child, event));
            } else {
                record.put(
                        name,
                        switch ((Leaf) child) {
                            case TEXT -> event.getText();
                            case ID -> event.getId();
                            case TIME -> event.getEventTime().toEpochMilli();
                        });
            }
        });
        return record;
    }

    /** A record per object on the paths, named after its path (records need unique names). */
    @SuppressWarnings("unchecked")
    private static Schema recordSchema(String name, Map<String, Object> node, String path) {
        List<Schema.Field> fields = new ArrayList<>();
        node.forEach((field, child) -> {
            Schema type;
            if (child instanceof Map) {
                String childPath = path.isEmpty() ? field : path + "." + field;
                type = recordSchema("Path_" + childPath.replace('.', '_'), (Map<String, Object>) child, childPath);
            } else if (child == Leaf.TIME) {
                type = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
            } else {
                type = Schema.create(Schema.Type.STRING);
            }
            fields.add(new Schema.Field(field, type));
        });
        Schema schema = Schema.createRecord(
                name, "Written by sentiment-stream's command line in the shape of input.*.field", NAMESPACE, false);
        schema.setFields(fields);
        return schema;
    }
}
