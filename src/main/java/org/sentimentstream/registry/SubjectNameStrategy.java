package org.sentimentstream.registry;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How the subject a value schema is registered under is named, as Confluent's serializers name it
 * (setting {@code value.subject.name.strategy}). The setting takes the short name or the class name
 * of Confluent's strategy, so that a client configuration can be copied unchanged.
 */
public enum SubjectNameStrategy {
    /** {@code <topic>-value}: one schema (and its versions) per topic. Confluent's default. */
    TOPIC_NAME("topic-name", "io.confluent.kafka.serializers.subject.TopicNameStrategy"),
    /** The record's full name: the same record type shares its versions across topics. */
    RECORD_NAME("record-name", "io.confluent.kafka.serializers.subject.RecordNameStrategy"),
    /** {@code <topic>-<record full name>}: several record types per topic, versioned per topic. */
    TOPIC_RECORD_NAME("topic-record-name", "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy");

    private final String configValue;
    private final String confluentClass;

    SubjectNameStrategy(String configValue, String confluentClass) {
        this.configValue = configValue;
        this.confluentClass = confluentClass;
    }

    /** The short name in the configuration, such as {@code topic-name}. */
    public String configValue() {
        return configValue;
    }

    /** The subject of a value schema: the record's full name, written to this topic. */
    public String valueSubject(String topic, String recordFullName) {
        return switch (this) {
            case TOPIC_NAME -> topic + "-value";
            case RECORD_NAME -> recordFullName;
            case TOPIC_RECORD_NAME -> topic + "-" + recordFullName;
        };
    }

    /** The strategy named by a short name, a Confluent class name or its simple name (case-insensitive). */
    public static Optional<SubjectNameStrategy> fromConfigValue(String value) {
        String wanted = value == null ? "" : value.trim();
        return Arrays.stream(values())
                .filter(strategy -> strategy.configValue.equalsIgnoreCase(wanted)
                        || strategy.confluentClass.equals(wanted)
                        || simpleName(strategy.confluentClass).equalsIgnoreCase(wanted))
                .findFirst();
    }

    /** The short names, comma-separated. */
    public static String configValues() {
        return Arrays.stream(values()).map(SubjectNameStrategy::configValue).collect(Collectors.joining(", "));
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    }
}
