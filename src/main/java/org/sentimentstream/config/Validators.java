package org.sentimentstream.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.sentimentstream.model.ModelDigest;
import org.sentimentstream.serde.FieldPath;

/** Validators for settings that Kafka's {@link ConfigDef} does not cover. */
final class Validators {

    /**
     * One of the configuration values of an enum's constants, ignoring case: the enum is the one
     * list of the values, so a new constant is a new valid value.
     */
    static <E extends Enum<E>> ConfigDef.Validator oneOf(Class<E> type, Function<E, String> configValue) {
        return oneOf(Arrays.stream(type.getEnumConstants()).map(configValue).toList());
    }

    /** One of these values, ignoring case. */
    static ConfigDef.Validator oneOf(List<String> values) {
        return ConfigDef.LambdaValidator.with(
                (name, value) -> {
                    String given = value == null ? "" : value.toString().trim();
                    if (values.stream().noneMatch(given::equalsIgnoreCase)) {
                        throw new ConfigException(name, value, "Must be one of " + String.join(", ", values));
                    }
                },
                () -> String.join(", ", values));
    }

    /** Legal characters of a Kafka topic name (and of an application id, which prefixes topic names). */
    private static final Pattern KAFKA_NAME = Pattern.compile("[a-zA-Z0-9._-]+");

    private static final int MAX_TOPIC_NAME_LENGTH = 249;

    private Validators() {}

    /** Empty, or a SHA-256 digest in hexadecimal (64 digits, either case). */
    static ConfigDef.Validator emptyOrSha256() {
        return ConfigDef.LambdaValidator.with(
                (name, value) -> {
                    String given = value == null ? "" : value.toString().trim();
                    if (!given.isEmpty() && !ModelDigest.isSha256Hex(given)) {
                        throw new ConfigException(name, value, "Must be empty or 64 hexadecimal digits (a SHA-256)");
                    }
                },
                () -> "empty, or 64 hexadecimal digits");
    }

    /** A legal Kafka topic name: 1 to 249 of {@code [a-zA-Z0-9._-]}, not {@code .} or {@code ..}. */
    static ConfigDef.Validator topicName() {
        return ConfigDef.LambdaValidator.with(
                (name, value) -> {
                    String topic = (String) value;
                    if (topic == null || topic.isEmpty()) {
                        throw new ConfigException(name, value, "A topic name must not be empty");
                    }
                    if (topic.length() > MAX_TOPIC_NAME_LENGTH
                            || !KAFKA_NAME.matcher(topic).matches()
                            || topic.equals(".")
                            || topic.equals("..")) {
                        throw new ConfigException(
                                name,
                                value,
                                "Not a legal Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -, not '.' or '..')");
                    }
                },
                () -> "a legal Kafka topic name");
    }

    /** An application id: used as the consumer group and the prefix of internal topic names. */
    static ConfigDef.Validator applicationId() {
        return ConfigDef.LambdaValidator.with(
                (name, value) -> {
                    String id = (String) value;
                    if (id == null || !KAFKA_NAME.matcher(id).matches()) {
                        throw new ConfigException(
                                name,
                                value,
                                "Must be non-empty and use only a-z A-Z 0-9 . _ - (it prefixes internal topic names)");
                    }
                },
                () -> "non-empty, [a-zA-Z0-9._-]");
    }

    /** Null (meaning: Kafka's default) or a number of at least {@code min}. */
    static ConfigDef.Validator nullOrAtLeast(long min) {
        return ConfigDef.LambdaValidator.with(
                (name, value) -> {
                    if (value != null && ((Number) value).longValue() < min) {
                        throw new ConfigException(name, value, "Value must be at least " + min);
                    }
                },
                () -> "null or [" + min + ",...]");
    }

    /** Null (unset) or a dotted field path such as {@code message.content.text} ({@link FieldPath}). */
    static ConfigDef.Validator nullOrFieldPath() {
        return ConfigDef.LambdaValidator.with(
                (name, value) -> {
                    if (value != null) {
                        try {
                            FieldPath.parse((String) value);
                        } catch (IllegalArgumentException e) {
                            throw new ConfigException(name, value, "Must be a dotted field path: " + e.getMessage());
                        }
                    }
                },
                () -> "null or a dotted field path");
    }

    /** Null (meaning: Kafka's default) or a non-blank string. */
    static ConfigDef.Validator nullOrNonBlank() {
        return ConfigDef.LambdaValidator.with(
                (name, value) -> {
                    if (value != null && ((String) value).isBlank()) {
                        throw new ConfigException(
                                name, value, "Must not be blank (leave it unset for Kafka's default)");
                    }
                },
                () -> "null or non-blank");
    }

    /**
     * Longest {@code group.instance.id}: Kafka allows 249 characters, and Kafka Streams appends {@code -<thread>}
     * (up to 4 digits here) to it for each stream thread's consumer.
     */
    static final int MAX_GROUP_INSTANCE_ID_LENGTH = 240;

    /** Null (dynamic membership), or a static member name: 1 to 240 of {@code [a-zA-Z0-9._-]}. */
    static ConfigDef.Validator nullOrGroupInstanceId() {
        return ConfigDef.LambdaValidator.with(
                (name, value) -> {
                    String id = (String) value;
                    if (id != null
                            && (id.length() > MAX_GROUP_INSTANCE_ID_LENGTH
                                    || !KAFKA_NAME.matcher(id).matches())) {
                        throw new ConfigException(
                                name,
                                value,
                                "Must be 1 to " + MAX_GROUP_INSTANCE_ID_LENGTH
                                        + " of a-z A-Z 0-9 . _ - (a pod name is), or unset for dynamic membership");
                    }
                },
                () -> "null or 1 to " + MAX_GROUP_INSTANCE_ID_LENGTH + " of a-z A-Z 0-9 . _ -");
    }

    /** Characters of a host name, an IPv4 address or an IPv6 address (with or without brackets). */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%\\[\\]-]+");

    /** A host name or an IP address to bind to (whether it is one of this host's is found out on binding). */
    static ConfigDef.Validator hostOrAddress() {
        return ConfigDef.LambdaValidator.with(
                (name, value) -> {
                    String host = value == null ? "" : ((String) value).trim();
                    if (!HOST.matcher(host).matches()) {
                        throw new ConfigException(name, value, "Must be a host name or an IP address");
                    }
                },
                () -> "a host name or IP address");
    }

    /** Empty (meaning: the bundled model) or the path of a readable regular file. */
    static ConfigDef.Validator emptyOrReadableFile() {
        return ConfigDef.LambdaValidator.with(
                (name, value) -> {
                    String path = (String) value;
                    if (path == null || path.isEmpty()) {
                        return;
                    }
                    Path file;
                    try {
                        file = Path.of(path);
                    } catch (InvalidPathException e) {
                        throw new ConfigException(name, value, "Not a valid path: " + e.getMessage());
                    }
                    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                        throw new ConfigException(name, value, "No readable file at this path");
                    }
                },
                () -> "empty, or the path of a readable file");
    }
}
