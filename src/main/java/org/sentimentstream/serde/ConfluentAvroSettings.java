package org.sentimentstream.serde;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.sentimentstream.registry.RegistryClientSettings;
import org.sentimentstream.registry.SubjectNameStrategy;

/**
 * The settings of the {@code confluent-avro} format: the registry client's (see
 * {@link RegistryClientSettings}) and the serializer's, under Confluent's names:
 * {@code auto.register.schemas} and {@code value.subject.name.strategy}.
 */
final class ConfluentAvroSettings extends AbstractConfig {

    static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";
    static final String VALUE_SUBJECT_NAME_STRATEGY_CONFIG = "value.subject.name.strategy";

    static final ConfigDef CONFIG_DEF = defineSettings();

    ConfluentAvroSettings(Map<?, ?> settings) {
        super(CONFIG_DEF, settings, false);
    }

    private static ConfigDef defineSettings() {
        ConfigDef def = RegistryClientSettings.configDef();
        return def.define(
                        AUTO_REGISTER_SCHEMAS_CONFIG,
                        Type.BOOLEAN,
                        true,
                        Importance.MEDIUM,
                        "Whether a writer of confluent-avro registers the schema it writes under its subject"
                                + " (the service: schemas/sentiment-event.avsc, at start-up; produce and loadtest:"
                                + " schemas/text-event.avsc). false: it only looks the schema up, and fails if the"
                                + " subject does not hold it.")
                .define(
                        VALUE_SUBJECT_NAME_STRATEGY_CONFIG,
                        Type.STRING,
                        SubjectNameStrategy.TOPIC_NAME.configValue(),
                        ConfigDef.LambdaValidator.with(
                                (name, value) -> strategy(name, (String) value),
                                () -> SubjectNameStrategy.configValues() + " (or Confluent's class names)"),
                        Importance.MEDIUM,
                        "Subject a confluent-avro writer registers or looks up its schema under. topic-name:"
                                + " <topic>-value; record-name: the record's full name (such as"
                                + " org.sentimentstream.avro.SentimentEvent); topic-record-name:"
                                + " <topic>-<record full name>. Confluent's class names (for example"
                                + " io.confluent.kafka.serializers.subject.RecordNameStrategy) are accepted.");
    }

    /**
     * Checks the settings for a configuration that uses the format.
     *
     * @throws ConfigException naming the setting at fault
     */
    static void check(Map<String, ?> settings) {
        new ConfluentAvroSettings(settings).registry().requireUsable("the confluent-avro format");
    }

    RegistryClientSettings registry() {
        return new RegistryClientSettings(originals());
    }

    boolean autoRegisterSchemas() {
        return getBoolean(AUTO_REGISTER_SCHEMAS_CONFIG);
    }

    SubjectNameStrategy subjectNameStrategy() {
        return strategy(VALUE_SUBJECT_NAME_STRATEGY_CONFIG, getString(VALUE_SUBJECT_NAME_STRATEGY_CONFIG));
    }

    private static SubjectNameStrategy strategy(String name, String value) {
        return SubjectNameStrategy.fromConfigValue(value)
                .orElseThrow(() -> new ConfigException(
                        name,
                        value,
                        "Must be one of " + SubjectNameStrategy.configValues()
                                + ", or the class name of Confluent's strategy"));
    }
}
