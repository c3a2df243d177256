package org.sentimentstream.stream;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.serde.CodecContext;
import org.sentimentstream.serde.CodecSerdes;
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
 * @param inputFormat  wire format of the input (and dead-letter) topic
 * @param outputFormat wire format of the output topic
 * @param codecs       settings and shared objects of the formats' codecs
 */
public record Topics(
        String input,
        String output,
        String deadLetter,
        WireFormat inputFormat,
        WireFormat outputFormat,
        CodecContext codecs) {

    public Topics {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(deadLetter, "deadLetter");
        Objects.requireNonNull(inputFormat, "inputFormat");
        Objects.requireNonNull(outputFormat, "outputFormat");
        Objects.requireNonNull(codecs, "codecs");
        if (input.equals(output) || input.equals(deadLetter) || output.equals(deadLetter)) {
            throw new IllegalArgumentException("The input, output and dead-letter topics must differ: " + input + ", "
                    + output + ", " + deadLetter);
        }
    }

    /** Topics in formats that need no settings (avro, json). */
    public Topics(String input, String output, String deadLetter, WireFormat inputFormat, WireFormat outputFormat) {
        this(input, output, deadLetter, inputFormat, outputFormat, CodecContext.withoutSettings());
    }

    /** The default topic names, in Avro. */
    public static Topics defaults() {
        return new Topics(
                SentimentStreamConfig.DEFAULT_INPUT_TOPIC,
                SentimentStreamConfig.DEFAULT_OUTPUT_TOPIC,
                SentimentStreamConfig.DEFAULT_DEAD_LETTER_TOPIC,
                WireFormat.AVRO,
                WireFormat.AVRO);
    }

    /** The topics of a configuration, with a new codec context over its settings. */
    public static Topics from(SentimentStreamConfig config) {
        return new Topics(
                config.inputTopic(),
                config.outputTopic(),
                config.deadLetterTopic(),
                config.inputFormat(),
                config.outputFormat(),
                CodecContext.of(config.originals()));
    }

    /** The same topic names and codec context with other formats. */
    public Topics withFormats(WireFormat newInputFormat, WireFormat newOutputFormat) {
        return new Topics(input, output, deadLetter, newInputFormat, newOutputFormat, codecs);
    }

    /** A new codec of the input topic's text events. */
    public RecordCodec<TextEvent> inputCodec() {
        return inputCodec(input);
    }

    /** A new codec of text events in the input format, for another topic (a registry format names its subject after it). */
    public RecordCodec<TextEvent> inputCodec(String topic) {
        return inputFormat.textEventCodec(codecs, topic);
    }

    /** A new codec of the output topic's sentiment events. */
    public RecordCodec<SentimentEvent> outputCodec() {
        return outputFormat.sentimentEventCodec(codecs, output);
    }

    /** A serde of the input topic's values, for producers and tests. */
    public Serde<TextEvent> inputSerde() {
        return CodecSerdes.serde(inputCodec());
    }

    /** A serde of the output topic's values, for consumers and tests. */
    public Serde<SentimentEvent> outputSerde() {
        return CodecSerdes.serde(outputCodec());
    }
}
