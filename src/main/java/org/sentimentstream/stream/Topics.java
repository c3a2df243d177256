package org.sentimentstream.stream;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.serde.CodecContext;
import org.sentimentstream.serde.CodecSerdes;
import org.sentimentstream.serde.FieldMappedEncoder;
import org.sentimentstream.serde.FieldMapping;
import org.sentimentstream.serde.InputDecoder;
import org.sentimentstream.serde.InputShape;
import org.sentimentstream.serde.OutputMode;
import org.sentimentstream.serde.OutputWriter;
import org.sentimentstream.serde.RecordCodec;
import org.sentimentstream.serde.WireFormat;

/**
 * The service's topics and their wire formats, in one place for the topology, the command line and
 * the tests. The dead-letter topic holds the input's original bytes, so it has the input's format.
 * The codecs of the topics are made from {@code codecs}, which holds the settings of the formats and
 * what their codecs share (one schema registry client per context): one context per process.
 *
 * @param input        topic of the text events
 * @param output       topic of the sentiment events
 * @param deadLetter   topic of the records that could not be classified
 * @param inputFormat  wire format of the input (and dead-letter) topic; null for plain-text input, which has none
 * @param outputFormat wire format of the output topic
 * @param codecs       settings and shared objects of the formats' codecs
 * @param inputShape   what the input values hold: text events (the default), plain text, or records
 *                     mapped by field paths
 * @param outputMode   what the output values are: sentiment events (the default), or the input enriched
 */
public record Topics(
        String input,
        String output,
        String deadLetter,
        WireFormat inputFormat,
        WireFormat outputFormat,
        CodecContext codecs,
        InputShape inputShape,
        OutputMode outputMode) {

    public Topics {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(deadLetter, "deadLetter");
        Objects.requireNonNull(outputFormat, "outputFormat");
        Objects.requireNonNull(codecs, "codecs");
        Objects.requireNonNull(inputShape, "inputShape");
        Objects.requireNonNull(outputMode, "outputMode");
        if (inputShape.plainText() != (inputFormat == null)) {
            throw new IllegalArgumentException("Plain-text input has no wire format, and every other input has one");
        }
        if (outputMode == OutputMode.ENRICHED && (!inputShape.enrichable() || inputFormat != outputFormat)) {
            throw new IllegalArgumentException(
                    "An enriched output needs input records mapped by field paths, in the output's format");
        }
        if (input.equals(output) || input.equals(deadLetter) || output.equals(deadLetter)) {
            throw new IllegalArgumentException("The input, output and dead-letter topics must differ: " + input + ", "
                    + output + ", " + deadLetter);
        }
    }

    /** Topics of text events in these formats, written as sentiment events. */
    public Topics(
            String input,
            String output,
            String deadLetter,
            WireFormat inputFormat,
            WireFormat outputFormat,
            CodecContext codecs) {
        this(input, output, deadLetter, inputFormat, outputFormat, codecs, InputShape.TEXT_EVENTS, OutputMode.EVENT);
    }

    /** Topics in formats that need no settings (avro, json). */
    public Topics(String input, String output, String deadLetter, WireFormat inputFormat, WireFormat outputFormat) {
        this(input, output, deadLetter, inputFormat, outputFormat, CodecContext.withoutSettings());
    }

    /** The default topic names, in Avro (the configuration's defaults: app's StreamSettingsTest keeps them equal). */
    public static Topics defaults() {
        return new Topics("text-events", "sentiment-events", "text-events-dlq", WireFormat.AVRO, WireFormat.AVRO);
    }

    /** The same topic names and codec context with other formats. */
    public Topics withFormats(WireFormat newInputFormat, WireFormat newOutputFormat) {
        return new Topics(input, output, deadLetter, newInputFormat, newOutputFormat, codecs, inputShape, outputMode);
    }

    /** The same topics with another input shape and output mode (and the input format, null for plain text). */
    public Topics withShapes(WireFormat newInputFormat, InputShape newInputShape, OutputMode newOutputMode) {
        return new Topics(
                input, output, deadLetter, newInputFormat, outputFormat, codecs, newInputShape, newOutputMode);
    }

    /** A new decoder of the input topic's values, in its shape. */
    public InputDecoder inputDecoder() {
        return inputShape.decoder(inputFormat, codecs, input);
    }

    /** A new codec of the input topic's text events. */
    public RecordCodec<TextEvent> inputCodec() {
        return inputCodec(input);
    }

    /**
     * A new codec of text events in the input format, for another topic (a registry format names its subject after it).
     *
     * @throws IllegalStateException for plain-text input, which has no record format
     */
    public RecordCodec<TextEvent> inputCodec(String topic) {
        if (inputFormat == null) {
            throw new IllegalStateException("Plain-text input has no record codec: its values are the texts");
        }
        return inputFormat.textEventCodec(codecs, topic);
    }

    /** A new codec of the output topic's sentiment events. */
    public RecordCodec<SentimentEvent> outputCodec() {
        return outputFormat.sentimentEventCodec(codecs, output);
    }

    /** A new writer of the output topic's values, in the output mode. */
    public OutputWriter outputWriter() {
        return OutputWriter.create(outputMode, outputFormat, codecs, output);
    }

    /**
     * A decoder of the enriched output's records (any JSON object or registry Avro record with a
     * {@code sentiment.label}), for {@code consume}: its value is the record.
     */
    public InputDecoder enrichedOutputDecoder() {
        return InputShape.fields(FieldMapping.text("sentiment.label")).decoder(outputFormat, codecs, output);
    }

    /** A serde of the input topic's values, for producers and tests (not for plain-text input: see {@link #inputSerializer}). */
    public Serde<TextEvent> inputSerde() {
        return CodecSerdes.serde(inputCodec());
    }

    /**
     * A serializer of text events for the input topic, for producers ({@code produce}, {@code loadtest},
     * {@code demo}): in the input format, for plain-text input the text alone (the producer puts the id in
     * the key), and for input mapped by field paths an object or record with the text, id and time at their
     * paths and nothing else ({@link FieldMappedEncoder}).
     */
    public Serializer<TextEvent> inputSerializer(String topic) {
        if (inputShape.plainText()) {
            return (t, event) -> event == null ? null : event.getText().getBytes(StandardCharsets.UTF_8);
        }
        if (inputShape.fields() != null) {
            FieldMappedEncoder encoder = FieldMappedEncoder.create(inputFormat, inputShape.fields(), codecs, topic);
            return (t, event) -> event == null ? null : encoder.encode(event);
        }
        return CodecSerdes.serde(inputCodec(topic)).serializer();
    }

    /** The input format's configuration value ({@code text} for plain text), for messages. */
    public String inputFormatName() {
        return inputShape.plainText() ? InputShape.PLAIN_TEXT_FORMAT : inputFormat.configValue();
    }

    /** A serde of the output topic's values, for consumers and tests. */
    public Serde<SentimentEvent> outputSerde() {
        return CodecSerdes.serde(outputCodec());
    }
}
