package org.sentimentstream.serde;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the service writes to the output topic for each classified input (setting {@code output.mode}). */
public enum OutputMode {

    /** A sentiment event (schemas/sentiment-event.avsc) in the output format: the default. */
    EVENT("event", "a SentimentEvent (schemas/sentiment-event.avsc) in output.format"),

    /** The input record itself with a {@code sentiment} field added. */
    ENRICHED(
            "enriched",
            "the input record itself with a 'sentiment' field added (label, probabilities, model_name, model_version,"
                    + " classified_at): for json the input object, for confluent-avro a schema derived from each input"
                    + " schema and registered under the output subject; needs input.text.field and output.format ="
                    + " input.format");

    private final String configValue;
    private final String description;

    OutputMode(String configValue, String description) {
        this.configValue = configValue;
        this.description = description;
    }

    public String configValue() {
        return configValue;
    }

    /** The mode of a configuration value, case-insensitively. */
    public static OutputMode fromConfigValue(String value) {
        String wanted = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(mode -> mode.configValue.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown output mode '" + value + "'"));
    }

    /** Each mode's configuration value and description, for the setting's documentation. */
    public static String describeAll() {
        return Arrays.stream(values())
                .map(mode -> mode.configValue + ": " + mode.description)
                .collect(Collectors.joining("; "));
    }
}
