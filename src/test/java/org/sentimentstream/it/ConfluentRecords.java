package org.sentimentstream.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.sentimentstream.app.ServiceTopics;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.localbroker.LocalKafkaBroker;
import org.sentimentstream.registry.RegistryClientSettings;
import org.sentimentstream.registry.SchemaRegistryClient;
import org.sentimentstream.serde.CodecContext;
import org.sentimentstream.serde.RecordCodec;
import org.sentimentstream.serde.RecordDecodingException;
import org.sentimentstream.serde.WireFormat;
import org.sentimentstream.stream.Topics;

/**
 * Topics, producers' schemas and downstream decoding for the tests of the {@code confluent-avro} format
 * against a real schema registry.
 */
final class ConfluentRecords {

    private ConfluentRecords() {}

    /** Creates input, output and dead-letter topics with unique names, in confluent-avro, over this registry. */
    static Topics createTopics(LocalKafkaBroker broker, String prefix, int partitions, String registryUrl) {
        String unique = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        Topics topics = new Topics(
                unique + "-in",
                unique + "-out",
                unique + "-dlq",
                WireFormat.CONFLUENT_AVRO,
                WireFormat.CONFLUENT_AVRO,
                CodecContext.of(Map.of(RegistryClientSettings.URL_CONFIG, registryUrl)));
        try (Admin admin = broker.createAdmin()) {
            ServiceTopics.create(admin, topics, partitions, (short) 1, ItKafka.TIMEOUT);
        }
        return topics;
    }

    /** The service's settings for these topics in confluent-avro, over this registry. */
    static Map<String, Object> serviceSettings(LocalKafkaBroker broker, Topics topics, String registryUrl) {
        Map<String, Object> settings = ItKafka.serviceSettings(broker, topics, "it", null);
        settings.put("input.format", WireFormat.CONFLUENT_AVRO.configValue());
        settings.put("output.format", WireFormat.CONFLUENT_AVRO.configValue());
        settings.put(RegistryClientSettings.URL_CONFIG, registryUrl);
        return settings;
    }

    /** A registry client of its own, as another application (a producer, a downstream consumer) has. */
    static SchemaRegistryClient client(String registryUrl) {
        return new SchemaRegistryClient(
                new RegistryClientSettings(Map.of(RegistryClientSettings.URL_CONFIG, registryUrl)));
    }

    /**
     * Version 2 of a producer's text event schema, compatible with the service's (BACKWARD): the fields
     * in another order, two new optional fields, and no {@code language} or {@code attributes} (both have
     * defaults in the service's schema).
     */
    static Schema evolvedTextEvent() {
        return SchemaBuilder.record("TextEvent")
                .namespace("org.sentimentstream.avro")
                .doc("A producer's version 2: fields reordered, priority and channel added.")
                .fields()
                .name("text")
                .type()
                .stringType()
                .noDefault()
                .name("priority")
                .type()
                .optional()
                .intType()
                .name("event_time")
                .type(TextEvent.getClassSchema().getField("event_time").schema())
                .noDefault()
                .name("id")
                .type()
                .stringType()
                .noDefault()
                .name("source")
                .type()
                .optional()
                .stringType()
                .name("channel")
                .type()
                .stringType()
                .stringDefault("web")
                .endRecord();
    }

    /** A text event as a version-2 record. */
    static GenericRecord asEvolved(Schema v2, TextEvent event) {
        GenericRecord record = new GenericData.Record(v2);
        record.put("text", event.getText());
        record.put("priority", 2);
        record.put("event_time", event.getEventTime().toEpochMilli());
        record.put("id", event.getId());
        record.put("source", event.getSource());
        record.put("channel", "mobile");
        return record;
    }

    /** The Confluent wire format of a record: magic byte 0, the schema id, the Avro body. */
    static byte[] frame(int schemaId, Schema schema, GenericRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(5).put((byte) 0).putInt(schemaId).array());
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The schema id in a Confluent-framed value. */
    static int schemaId(byte[] value) {
        return ByteBuffer.wrap(value, 1, 4).getInt();
    }

    /** An output record as a downstream consumer decodes it through the registry. */
    record Result(String key, int schemaId, SentimentEvent event) {}

    /**
     * Decodes output records as a downstream consumer would: its own codec context (its own registry
     * client), writer schemas looked up by the ids in the records.
     */
    static Function<ConsumerRecord<byte[], byte[]>, Result> downstreamDecoder(String outputTopic, String registryUrl) {
        RecordCodec<SentimentEvent> codec = WireFormat.CONFLUENT_AVRO.sentimentEventCodec(
                CodecContext.of(Map.of(RegistryClientSettings.URL_CONFIG, registryUrl)), outputTopic);
        return record -> {
            try {
                return new Result(
                        new String(record.key(), StandardCharsets.UTF_8),
                        schemaId(record.value()),
                        codec.decode(record.value()));
            } catch (RecordDecodingException e) {
                throw new IllegalStateException("undecodable output record at offset " + record.offset(), e);
            }
        };
    }
}
