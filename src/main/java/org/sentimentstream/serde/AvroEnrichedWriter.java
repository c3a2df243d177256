package org.sentimentstream.serde;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.sentimentstream.avro.SentimentEvent;

/**
 * The enriched {@code confluent-avro} output: each input record written again with an optional
 * {@value #FIELD} field added, under a schema derived from its writer schema (its fields, then
 * {@code sentiment: ["null", org.sentimentstream.enriched.Sentiment]} with default null; a field of that name
 * in the input is replaced). The derived schema is registered (or looked up) under the output topic's subject
 * once per input schema and cached. An input schema that evolves compatibly (a field added with a default)
 * gives a derived schema that evolves the same way, so the output subject accepts it under the registry's
 * compatibility rule.
 *
 * <p>Avro's binary encoding of a record is its fields' encodings in order, so when the input has no field of
 * that name the derived schema's fields start with the input's, and the output's body is the input's body as
 * it arrived (read to its end and checked by the decoder) followed by the added field: the input is copied,
 * not encoded again. An input with its own {@value #FIELD} field is written from its decoded record.
 *
 * <p>The added record holds only the label, the probabilities, the model's name and version and the time of
 * classification: not every field of {@link SentimentEvent}, which may grow.
 */
final class AvroEnrichedWriter implements OutputWriter {

    /** The name of the added field. */
    static final String FIELD = "sentiment";

    /** The schema of the added record. */
    static final Schema SENTIMENT = SchemaBuilder.record("Sentiment")
            .namespace("org.sentimentstream.enriched")
            .doc("The classification added by sentiment-stream (output.mode=enriched).")
            .fields()
            .requiredString("label")
            .name("probabilities")
            .type()
            .map()
            .values()
            .floatType()
            .noDefault()
            .requiredString("model_name")
            .requiredString("model_version")
            .name("classified_at")
            .type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG)))
            .noDefault()
            .endRecord();

    /** The added field's type: optional, so that the output subject accepts records without it. */
    private static final Schema OPTIONAL_SENTIMENT = Schema.createUnion(Schema.create(Schema.Type.NULL), SENTIMENT);

    /** Writes the added field after a copied input body (its union branch, then the record). */
    private static final GenericDatumWriter<GenericRecord> APPENDED =
            new GenericDatumWriter<>(OPTIONAL_SENTIMENT, GenericData.get());

    private final ConfluentAvroSupport support;
    private final String topic;
    private final Map<Schema, Derived> derived = new ConcurrentHashMap<>();

    /**
     * The output schema of an input schema, its id, and its writer.
     *
     * @param appendsToInput whether its fields are the input's, then {@value #FIELD} (the input has no field of
     *                       that name), so that the input's body can be copied
     */
    private record Derived(Schema schema, int id, GenericDatumWriter<GenericRecord> writer, boolean appendsToInput) {}

    AvroEnrichedWriter(ConfluentAvroSupport support, String topic) {
        this.support = support;
        this.topic = topic;
    }

    static AvroEnrichedWriter create(CodecContext context, String topic) {
        return new AvroEnrichedWriter(context.shared(ConfluentAvroSupport.class, ConfluentAvroSupport::new), topic);
    }

    @Override
    public byte[] write(DecodedInput input, SentimentEvent result) {
        if (!(input.value() instanceof AvroRecordInput in)) {
            throw new IllegalArgumentException("An enriched Avro output needs an Avro record input");
        }
        GenericRecord record = in.record();
        Derived target = derived.computeIfAbsent(record.getSchema(), this::derive);
        GenericData.Record sentiment = new GenericData.Record(SENTIMENT);
        sentiment.put("label", result.getLabel());
        sentiment.put("probabilities", result.getProbabilities());
        sentiment.put("model_name", result.getModelName());
        sentiment.put("model_version", result.getModelVersion());
        sentiment.put("classified_at", result.getClassifiedAt().toEpochMilli());
        String typeName = target.schema().getFullName();
        if (target.appendsToInput()) {
            return ConfluentAvroCodec.encode(
                    target.id(), in.message(), ConfluentAvroCodec.HEADER_LENGTH, APPENDED, sentiment, typeName);
        }
        GenericData.Record out = new GenericData.Record(target.schema());
        for (Schema.Field field : target.schema().getFields()) {
            if (!field.name().equals(FIELD)) {
                out.put(field.pos(), record.get(field.name()));
            }
        }
        out.put(FIELD, sentiment);
        return ConfluentAvroCodec.encode(target.id(), target.writer(), out, typeName);
    }

    private Derived derive(Schema input) {
        Schema schema = deriveSchema(input);
        int id = support.idOf(support.subject(topic, schema), schema);
        return new Derived(
                schema, id, new GenericDatumWriter<>(schema, GenericData.get()), input.getField(FIELD) == null);
    }

    /** The input record's schema with the optional {@value #FIELD} field last. */
    static Schema deriveSchema(Schema input) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : input.getFields()) {
            if (!field.name().equals(FIELD)) {
                fields.add(new Schema.Field(field, field.schema()));
            }
        }
        fields.add(new Schema.Field(
                FIELD, OPTIONAL_SENTIMENT, "The classification by sentiment-stream", JsonProperties.NULL_VALUE));
        Schema schema = Schema.createRecord(input.getName(), input.getDoc(), input.getNamespace(), false, fields);
        input.getObjectProps().forEach(schema::addProp);
        return schema;
    }
}
