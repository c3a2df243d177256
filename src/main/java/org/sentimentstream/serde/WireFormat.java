package org.sentimentstream.serde;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;

/** The wire formats of the input and output topics. */
public enum WireFormat {

    /** Avro binary with Avro's single-object encoding (marker C3 01, 8-byte schema fingerprint). */
    AVRO("avro"),

    /** The same records as UTF-8 JSON objects, field names as in the Avro schemas. */
    JSON("json");

    private final String configValue;

    WireFormat(String configValue) {
        this.configValue = configValue;
    }

    /** The name of the format in the configuration ({@code avro} or {@code json}). */
    public String configValue() {
        return configValue;
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

    /** A codec for text events (the input topic) in this format. */
    public RecordCodec<TextEvent> textEventCodec() {
        return switch (this) {
            case AVRO -> AvroCodec.textEvents();
            case JSON -> new JsonTextEventCodec();
        };
    }

    /** A codec for sentiment events (the output topic) in this format. */
    public RecordCodec<SentimentEvent> sentimentEventCodec() {
        return switch (this) {
            case AVRO -> AvroCodec.sentimentEvents();
            case JSON -> new JsonSentimentEventCodec();
        };
    }
}
