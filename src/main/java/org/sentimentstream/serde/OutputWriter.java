package org.sentimentstream.serde;

import org.sentimentstream.avro.SentimentEvent;

/**
 * Writes the output value of a classified input: the sentiment event in the output format, or the input
 * record with the classification added ({@link OutputMode}). Implementations are thread-safe.
 */
public interface OutputWriter {

    /**
     * The output value.
     *
     * @param input  the decoded input (an enriched output writes its value back)
     * @param result the classification
     * @throws IllegalArgumentException when the value cannot be written
     * @throws org.sentimentstream.registry.RegistryException when a registry format cannot register its schema
     */
    byte[] write(DecodedInput input, SentimentEvent result);

    /** Does what the first write needs (registering a fixed schema) now, so that start-up fails instead. */
    default void prepareEncoding() {}

    /** The writer of sentiment events in this codec's format. */
    static OutputWriter of(RecordCodec<SentimentEvent> codec) {
        return new OutputWriter() {
            @Override
            public byte[] write(DecodedInput input, SentimentEvent result) {
                return codec.encode(result);
            }

            @Override
            public void prepareEncoding() {
                codec.prepareEncoding();
            }
        };
    }

    /**
     * The writer of an output mode in a format.
     *
     * @param topic the output topic (a registry format names its subject after it)
     */
    static OutputWriter create(OutputMode mode, WireFormat format, CodecContext context, String topic) {
        if (mode == OutputMode.EVENT) {
            return of(format.sentimentEventCodec(context, topic));
        }
        return switch (format) {
            case JSON -> new JsonEnrichedWriter();
            case CONFLUENT_AVRO -> AvroEnrichedWriter.create(context, topic);
            default ->
                throw new IllegalArgumentException(
                        "An enriched output needs json or confluent-avro, not " + format.configValue());
        };
    }
}
