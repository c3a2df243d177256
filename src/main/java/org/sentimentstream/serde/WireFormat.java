package org.sentimentstream.serde;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;

/**
 * The wire formats of the input and output topics. This enum is the one list of them: the settings
 * {@code input.format} and {@code output.format} accept exactly these configuration values, and
 * their documentation is built from the descriptions below. A new format is a new constant with its
 * codecs.
 */
public enum WireFormat {

    /** Avro binary with Avro's single-object encoding (marker C3 01, 8-byte schema fingerprint). */
    AVRO(
            "avro",
            "Avro binary with Avro's single-object encoding (C3 01, 8-byte schema fingerprint, body);"
                    + " no schema registry",
            AvroCodec::textEvents,
            AvroCodec::sentimentEvents),

    /** The same records as UTF-8 JSON objects, field names as in the Avro schemas. */
    JSON(
            "json",
            "the same record as a UTF-8 JSON object, field names as in the Avro schema",
            JsonTextEventCodec::new,
            JsonSentimentEventCodec::new);

    private final String configValue;
    private final String description;
    private final Supplier<RecordCodec<TextEvent>> textEventCodecs;
    private final Supplier<RecordCodec<SentimentEvent>> sentimentEventCodecs;

    WireFormat(
            String configValue,
            String description,
            Supplier<RecordCodec<TextEvent>> textEventCodecs,
            Supplier<RecordCodec<SentimentEvent>> sentimentEventCodecs) {
        this.configValue = configValue;
        this.description = description;
        this.textEventCodecs = textEventCodecs;
        this.sentimentEventCodecs = sentimentEventCodecs;
    }

    /** The name of the format in the configuration, such as {@code avro}. */
    public String configValue() {
        return configValue;
    }

    /** One line for the settings' documentation. */
    public String description() {
        return description;
    }

    /** The format named by a configuration value, case-insensitively. */
    public static WireFormat fromConfigValue(String value) {
        String wanted = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (WireFormat format : values()) {
            if (format.configValue.equals(wanted)) {
                return format;
            }
        }
        throw new IllegalArgumentException("Unknown wire format '" + value + "'; expected one of " + configValues());
    }

    /** The configuration values of all formats, comma-separated. */
    public static String configValues() {
        return Arrays.stream(values()).map(WireFormat::configValue).collect(Collectors.joining(", "));
    }

    /** Each format's configuration value and description, for the settings' documentation. */
    public static String describeAll() {
        return Arrays.stream(values())
                .map(format -> format.configValue + ": " + format.description)
                .collect(Collectors.joining("; "));
    }

    /** A codec for text events (the input topic) in this format. */
    public RecordCodec<TextEvent> textEventCodec() {
        return textEventCodecs.get();
    }

    /** A codec for sentiment events (the output topic) in this format. */
    public RecordCodec<SentimentEvent> sentimentEventCodec() {
        return sentimentEventCodecs.get();
    }
}
