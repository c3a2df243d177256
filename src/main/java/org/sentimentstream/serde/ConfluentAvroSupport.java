package org.sentimentstream.serde;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.sentimentstream.registry.BoundedCache;
import org.sentimentstream.registry.RegisteredSchema;
import org.sentimentstream.registry.RegistryClientSettings;
import org.sentimentstream.registry.SchemaRegistryClient;
import org.sentimentstream.registry.SubjectNameStrategy;

/**
 * What the {@code confluent-avro} codecs of one process share: the registry (one client, its caches) and
 * the readers resolved per writer schema id, so that a writer schema is fetched, parsed and checked once
 * per process however many codecs (one per stream task and processor) read it. Resolutions are kept for
 * at most {@code max.schemas.per.subject} (reader, writer id) pairs, the least recently used dropped.
 */
final class ConfluentAvroSupport {

    private static final int MAX_PROBLEMS_SHOWN = 3;

    private final WriterSchemas schemas;
    private final SubjectNameStrategy subjectNameStrategy;
    private final BoundedCache<ReaderKey, Resolution> resolutions;

    private record ReaderKey(Schema reader, int writerId) {}

    /** A reader resolved from one writer schema to the reader schema, or why there is none. */
    record Resolution(SpecificDatumReader<?> reader, String incompatibility) {}

    /** The registry-backed support of a configuration (its {@code confluent-avro} settings). */
    ConfluentAvroSupport(Map<String, Object> settings) {
        ConfluentAvroSettings config = new ConfluentAvroSettings(settings);
        this.schemas =
                new RegistryWriterSchemas(new SchemaRegistryClient(config.registry()), config.autoRegisterSchemas());
        this.subjectNameStrategy = config.subjectNameStrategy();
        this.resolutions = new BoundedCache<>(config.registry().cacheCapacity());
    }

    /** Support over given writer schemas (unit tests of framing and resolution). */
    ConfluentAvroSupport(WriterSchemas schemas, SubjectNameStrategy subjectNameStrategy) {
        this.schemas = schemas;
        this.subjectNameStrategy = subjectNameStrategy;
        this.resolutions = new BoundedCache<>(RegistryClientSettings.DEFAULT_MAX_SCHEMAS_PER_SUBJECT);
    }

    /** The subject the schema of this record type is written under, on this topic. */
    String subject(String topic, Schema schema) {
        return subjectNameStrategy.valueSubject(topic, schema.getFullName());
    }

    /** The registry's writer schemas (for the generic readers of {@link GenericAvroDecoder}). */
    WriterSchemas schemas() {
        return schemas;
    }

    int idOf(String subject, Schema schema) {
        return schemas.idOf(subject, schema);
    }

    /**
     * The reader of messages written with schema {@code writerId} into the reader schema.
     *
     * @throws RecordDecodingException UNKNOWN_SCHEMA_ID or INCOMPATIBLE_SCHEMA
     */
    @SuppressWarnings("unchecked")
    <T> SpecificDatumReader<T> reader(int writerId, Schema reader, SpecificData model, String typeName)
            throws RecordDecodingException {
        ReaderKey key = new ReaderKey(reader, writerId);
        Resolution resolution = resolutions.get(key);
        if (resolution == null) {
            try {
                resolution = resolve(schemas.byId(writerId), reader, model, typeName);
            } catch (RecordDecodingException e) {
                if (e.kind() != RecordDecodingException.Kind.INCOMPATIBLE_SCHEMA) {
                    throw e; // an unknown id is remembered (or not) by the registry client
                }
                resolution = new Resolution(null, e.getMessage());
            }
            resolutions.put(key, resolution);
        }
        if (resolution.reader() == null) {
            throw new RecordDecodingException(
                    RecordDecodingException.Kind.INCOMPATIBLE_SCHEMA, resolution.incompatibility(), null);
        }
        return (SpecificDatumReader<T>) resolution.reader();
    }

    private static Resolution resolve(RegisteredSchema registered, Schema reader, SpecificData model, String typeName) {
        String prefix = "The value's writer schema (id " + registered.id() + ") ";
        if (!registered.schemaType().equalsIgnoreCase(RegisteredSchema.AVRO)) {
            return new Resolution(null, prefix + "is a " + registered.schemaType() + " schema, not Avro");
        }
        if (registered.hasReferences()) {
            return new Resolution(
                    null, prefix + "references schemas of other subjects, which this service does not resolve");
        }
        Schema writer;
        SchemaCompatibility.SchemaPairCompatibility compatibility;
        try {
            writer = LenientAvroSchemas.parse(registered.schema());
            compatibility = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        } catch (AvroRuntimeException | IllegalArgumentException e) {
            // The registry's text, not this service, is at fault: the records written with it are
            // dead-lettered (and the answer is kept), never a stopped stream thread.
            return new Resolution(null, prefix + "is not a valid Avro schema: " + e.getMessage());
        }
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            List<SchemaCompatibility.Incompatibility> problems =
                    compatibility.getResult().getIncompatibilities();
            String shown = problems.stream()
                    .limit(MAX_PROBLEMS_SHOWN)
                    .map(problem -> problem.getType() + " at " + problem.getLocation() + ": " + problem.getMessage())
                    .collect(Collectors.joining("; "));
            return new Resolution(
                    null,
                    prefix + "(" + writer.getFullName() + ") cannot be read as " + typeName + ": " + shown
                            + (problems.size() > MAX_PROBLEMS_SHOWN
                                    ? " (and " + (problems.size() - MAX_PROBLEMS_SHOWN) + " more)"
                                    : ""));
        }
        return new Resolution(new SpecificDatumReader<>(writer, reader, model), null);
    }
}
