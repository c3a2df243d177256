package org.sentimentstream.cli;

import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.streams.StreamsConfig;
import org.sentimentstream.app.StreamsProperties;
import org.sentimentstream.config.ConfigSources;
import org.sentimentstream.config.SentimentStreamConfig;

/**
 * Every setting of {@link SentimentStreamConfig} as a Markdown table, for {@code run --list-settings}; the
 * settings reference (docs/SETTINGS.md) is this table.
 */
public final class SettingsTable {

    private SettingsTable() {}

    /** All settings as a Markdown table: name, environment variable, type, default, valid values, doc. */
    public static String markdown() {
        StringBuilder table = new StringBuilder(
                "| setting | environment variable | type | default | valid values | importance | description |\n"
                        + "| --- | --- | --- | --- | --- | --- | --- |\n");
        for (ConfigDef.ConfigKey key :
                SentimentStreamConfig.configDef().configKeys().values()) {
            String defaultValue = defaultLabel(key);
            table.append("| `")
                    .append(key.name)
                    .append("` | `")
                    .append(ConfigSources.environmentVariable(key.name))
                    .append("` | ")
                    .append(key.type.toString().toLowerCase(Locale.ROOT))
                    .append(" | ")
                    .append(defaultValue)
                    .append(" | ")
                    .append(key.validator == null ? "" : key.validator.toString())
                    .append(" | ")
                    .append(key.importance.toString().toLowerCase(Locale.ROOT))
                    .append(" | ")
                    .append(key.documentation.replace("|", "\\|"))
                    .append(" |\n");
        }
        return table.toString();
    }

    /** A setting's default as the settings table shows it. */
    private static String defaultLabel(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        if (key.name.equals(SentimentStreamConfig.COMMIT_INTERVAL_MS_CONFIG)) {
            return "`" + StreamsProperties.DEFAULT_AT_LEAST_ONCE_COMMIT_INTERVAL_MS
                    + "` (at_least_once), Kafka's (exactly_once_v2)";
        }
        if (key.defaultValue == null) {
            return StreamsConfig.configDef().names().contains(key.name) ? "(Kafka's default)" : "(none)";
        }
        return isEmpty(key.defaultValue, key.type)
                ? "(empty)"
                : "`" + ConfigDef.convertToString(key.defaultValue, key.type) + "`";
    }

    private static boolean isEmpty(Object value, Type type) {
        if (value instanceof Password password) {
            return password.value().isEmpty();
        }
        return ConfigDef.convertToString(value, type).isEmpty();
    }
}
