package org.sentimentstream.serde;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;

/**
 * The wire formats of the input and output topics. This enum is the one list of them: the settings
 * {@code input.format} and {@code output.format} accept exactly these configuration values, their
 * documentation is built from the descriptions below, and the settings a format needs (its
 * {@link #settings()}) join the service's settings. A new format is a new constant with its codecs and
 * their settings.
 */
public enum WireFormat {

    /** Avro binary with Avro's single-object encoding (marker C3 01, 8-byte schema fingerprint). */
    AVRO(
            "avro",
            "Avro binary with Avro's single-object encoding (C3 01, 8-byte schema fingerprint, body);"
                    + " no schema registry",
            new ConfigDef(),
            settings -> {},
            (context, topic) -> AvroCodec.textEvents(),
            (context, topic) -> AvroCodec.sentimentEvents()),

    /** The same records as UTF-8 JSON objects, field names as in the Avro schemas. */
    JSON(
            "json",
            "the same record as a UTF-8 JSON object, field names as in the Avro schema",
            new ConfigDef(),
            settings -> {},
            (context, topic) -> new JsonTextEventCodec(),
            (context, topic) -> new JsonSentimentEventCodec()),

    /**
     * The Confluent Schema Registry wire format: magic byte 0, 4-byte schema id, Avro binary; writer
     * schemas come from a registry with the Confluent REST API and are resolved against the service's.
     */
    CONFLUENT_AVRO(
            "confluent-avro",
            "Avro through a schema registry in Confluent's wire format (magic byte 00, 4-byte schema id, body),"
                    + " as Confluent's KafkaAvroSerializer writes it; needs schema.registry.url, and reads"
                    + " every compatible version of the schema",
            ConfluentAvroSettings.CONFIG_DEF,
            ConfluentAvroSettings::check,
            ConfluentAvroCodec::textEvents,
            ConfluentAvroCodec::sentimentEvents);

    /** Makes a codec of one record type for one topic. */
    @FunctionalInterface
    interface CodecFactory<T> {
        RecordCodec<T> create(CodecContext context, String topic);
    }

    private final String configValue;
    private final String description;
    private final ConfigDef settings;
    private final Consumer<Map<String, ?>> settingsCheck;
    private final CodecFactory<TextEvent> textEventCodecs;
    private final CodecFactory<SentimentEvent> sentimentEventCodecs;

    WireFormat(
            String configValue,
            String description,
            ConfigDef settings,
            Consumer<Map<String, ?>> settingsCheck,
            CodecFactory<TextEvent> textEventCodecs,
            CodecFactory<SentimentEvent> sentimentEventCodecs) {
        this.configValue = configValue;
        this.description = description;
        this.settings = settings;
        this.settingsCheck = settingsCheck;
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

    /** The definitions of the settings this format reads (none for most), to merge into the service's. */
    public ConfigDef settings() {
        return new ConfigDef(settings);
    }

    /**
     * Checks the settings of a configuration that uses this format, beyond what each definition checks
     * alone (for example that a registry URL is given).
     *
     * @throws org.apache.kafka.common.config.ConfigException naming the setting at fault
     */
    public void checkSettings(Map<String, ?> configuration) {
        settingsCheck.accept(configuration);
    }

    /** Whether this format needs settings (a schema registry's) to make its codecs. */
    public boolean needsSettings() {
        return !settings.names().isEmpty();
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

    /**
     * A codec for text events on this topic, in this format.
     *
     * @param context the settings and the objects shared by the process's codecs
     * @param topic   the topic the events are written to or read from (a registry format names its
     *                subject after it)
     */
    public RecordCodec<TextEvent> textEventCodec(CodecContext context, String topic) {
        return textEventCodecs.create(context, topic);
    }

    /** A codec for sentiment events on this topic, in this format (see {@link #textEventCodec(CodecContext, String)}). */
    public RecordCodec<SentimentEvent> sentimentEventCodec(CodecContext context, String topic) {
        return sentimentEventCodecs.create(context, topic);
    }

    /**
     * A codec for text events in a format that needs no settings (avro, json).
     *
     * @throws IllegalStateException for a format that needs settings and a topic
     */
    public RecordCodec<TextEvent> textEventCodec() {
        return textEventCodec(standaloneContext(), null);
    }

    /** A codec for sentiment events in a format that needs no settings (avro, json); see {@link #textEventCodec()}. */
    public RecordCodec<SentimentEvent> sentimentEventCodec() {
        return sentimentEventCodec(standaloneContext(), null);
    }

    private CodecContext standaloneContext() {
        if (needsSettings()) {
            throw new IllegalStateException("The " + configValue + " format needs its settings and a topic");
        }
        return CodecContext.withoutSettings();
    }
}
