package org.sentimentstream.serde;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.sentimentstream.registry.RegisteredSchema;

/**
 * Any Avro record in Confluent's wire format, its text (and id and time) found by field path: the writer
 * schema comes from the registry by the id in the header and the body is read with it (no reader schema,
 * so any record schema is readable), through {@link BoundedBinaryDecoder}; the {@link FieldExtractor} then
 * maps the generic record. The decoded value is an {@link AvroRecordInput} (the record and the message it was
 * read from), which the enriched output writes back. A writer schema that is not a record, not Avro, references other subjects or
 * does not parse, or is recursive (values could nest without bound) is {@code INCOMPATIBLE_SCHEMA}; schemas are parsed leniently (no name checks, defaults
 * not validated), as Confluent's client reads them, and each id is parsed once per process.
 */
final class GenericAvroDecoder implements InputDecoder {

    private final FieldExtractor extractor;
    private final Readers readers;

    private GenericAvroDecoder(FieldMapping mapping, Readers readers) {
        this.extractor = new FieldExtractor(mapping);
        this.readers = readers;
    }

    static GenericAvroDecoder create(FieldMapping mapping, CodecContext context) {
        ConfluentAvroSupport support = context.shared(ConfluentAvroSupport.class, ConfluentAvroSupport::new);
        Readers readers = context.shared(Readers.class, settings -> new Readers(support.schemas()));
        return new GenericAvroDecoder(mapping, readers);
    }

    /** A decoder over given writer schemas (unit tests). */
    static GenericAvroDecoder over(WriterSchemas schemas, FieldMapping mapping) {
        return new GenericAvroDecoder(mapping, new Readers(schemas));
    }

    @Override
    public DecodedInput decode(byte[] value, RecordCoordinates where) throws RecordDecodingException {
        int id = ConfluentAvroCodec.schemaId(value);
        Readers.Resolved resolved = readers.reader(id);
        GenericRecord record =
                AvroBody.read(resolved.reader(), value, ConfluentAvroCodec.HEADER_LENGTH, resolved.name());
        return new DecodedInput(extractor.extract(new AvroValue(record), where), new AvroRecordInput(record, value));
    }

    /** The generic readers of the process, one per writer schema id. */
    static final class Readers {

        /** Deepest nesting of records, arrays and maps accepted in a writer schema. */
        static final int MAX_NESTING = 32;

        private final WriterSchemas schemas;
        private final Map<Integer, Resolved> byId = new ConcurrentHashMap<>();

        /** The reader of a record writer schema (which {@link #resolve} checks), or null with the problem. */
        record Resolved(GenericDatumReader<GenericRecord> reader, String name, String problem) {}

        Readers(WriterSchemas schemas) {
            this.schemas = schemas;
        }

        Resolved reader(int id) throws RecordDecodingException {
            Resolved resolved = byId.get(id);
            if (resolved == null) {
                resolved = resolve(schemas.byId(id));
                byId.putIfAbsent(id, resolved);
            }
            if (resolved.reader() == null) {
                throw new RecordDecodingException(
                        RecordDecodingException.Kind.INCOMPATIBLE_SCHEMA, resolved.problem(), null);
            }
            return resolved;
        }

        /** The writer schema of an id, parsed leniently, or null with the problem. */
        static Resolved resolve(RegisteredSchema registered) {
            String prefix = "The value's writer schema (id " + registered.id() + ") ";
            if (!registered.schemaType().equalsIgnoreCase(RegisteredSchema.AVRO)) {
                return new Resolved(null, null, prefix + "is a " + registered.schemaType() + " schema, not Avro");
            }
            if (registered.hasReferences()) {
                return new Resolved(
                        null,
                        null,
                        prefix + "references schemas of other subjects, which this service does not resolve");
            }
            Schema writer;
            try {
                writer = LenientAvroSchemas.parse(registered.schema());
            } catch (RuntimeException e) {
                // What Avro's parser throws for a text it cannot parse (LenientAvroSchemas.parse).
                return new Resolved(null, null, prefix + "is not a valid Avro schema: " + e.getMessage());
            }
            if (writer.getType() != Schema.Type.RECORD) {
                return new Resolved(
                        null,
                        null,
                        prefix + "is " + writer.getType().getName() + ", not a record: there are no fields to read");
            }
            String nesting = nestingProblem(writer, new ArrayDeque<>());
            if (nesting != null) {
                return new Resolved(null, null, prefix + nesting);
            }
            return new Resolved(
                    new GenericDatumReader<>(writer, writer, GenericData.get()), writer.getFullName(), null);
        }

        /**
         * Why the schema could nest values without bound or deeper than {@link #MAX_NESTING}, or null. A
         * recursive record (a tree, a linked list) lets a message nest as deep as its bytes allow, which Avro's
         * reader follows by recursion (a stack overflow, not an exception); so such schemas are refused, and so
         * are absurdly deep ones.
         */
        private static String nestingProblem(Schema schema, Deque<String> path) {
            if (path.size() > MAX_NESTING) {
                return "nests deeper than " + MAX_NESTING + " levels";
            }
            switch (schema.getType()) {
                case RECORD -> {
                    if (path.contains(schema.getFullName())) {
                        return "is recursive (" + schema.getFullName()
                                + " contains itself): values could nest without bound";
                    }
                    path.push(schema.getFullName());
                    for (Schema.Field field : schema.getFields()) {
                        String problem = nestingProblem(field.schema(), path);
                        if (problem != null) {
                            return problem;
                        }
                    }
                    path.pop();
                    return null;
                }
                case UNION -> {
                    for (Schema branch : schema.getTypes()) {
                        String problem = nestingProblem(branch, path);
                        if (problem != null) {
                            return problem;
                        }
                    }
                    return null;
                }
                case ARRAY -> {
                    return nestedProblem(schema.getElementType(), path);
                }
                case MAP -> {
                    return nestedProblem(schema.getValueType(), path);
                }
                default -> {
                    return null;
                }
            }
        }

        private static String nestedProblem(Schema inner, Deque<String> path) {
            path.push("[]");
            String problem = nestingProblem(inner, path);
            path.pop();
            return problem;
        }
    }
}
