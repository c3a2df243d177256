package org.sentimentstream.stream;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.serde.CodecSerdes;
import org.sentimentstream.serde.RecordCodec;
import org.sentimentstream.serde.WireFormat;

/**
 * The service's topics and their wire formats, in one place for the topology, the command line and
 * the tests. The dead-letter topic holds the input's original bytes, so it has the input's format.
 *
 * @param input        topic of the text events
 * @param output       topic of the sentiment events
 * @param deadLetter   topic of the records that could not be classified
 * @param inputFormat  wire format of the input (and dead-letter) topic
 * @param outputFormat wire format of the output topic
 */
public record Topics(String input, String output, String deadLetter, WireFormat inputFormat, WireFormat outputFormat) {

    public Topics {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(deadLetter, "deadLetter");
        Objects.requireNonNull(inputFormat, "inputFormat");
        Objects.requireNonNull(outputFormat, "outputFormat");
        if (input.equals(output) || input.equals(deadLetter) || output.equals(deadLetter)) {
            throw new IllegalArgumentException("The input, output and dead-letter topics must differ: " + input + ", "
                    + output + ", " + deadLetter);
        }
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

    /** The topics of a configuration. */
    public static Topics from(SentimentStreamConfig config) {
        return new Topics(
                config.inputTopic(),
                config.outputTopic(),
                config.deadLetterTopic(),
                config.inputFormat(),
                config.outputFormat());
    }

    /** The same topic names with other formats. */
    public Topics withFormats(WireFormat newInputFormat, WireFormat newOutputFormat) {
        return new Topics(input, output, deadLetter, newInputFormat, newOutputFormat);
    }

    /** A new codec of the input topic's text events. */
    public RecordCodec<TextEvent> inputCodec() {
        return inputFormat.textEventCodec();
    }

    /** A new codec of the output topic's sentiment events. */
    public RecordCodec<SentimentEvent> outputCodec() {
        return outputFormat.sentimentEventCodec();
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
