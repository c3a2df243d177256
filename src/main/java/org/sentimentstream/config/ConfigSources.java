package org.sentimentstream.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reads settings from their three sources and merges them, later sources winning: a properties file,
 * then environment variables, then command-line overrides.
 *
 * <p>Environment variables: every variable whose name starts with {@value #ENV_PREFIX} is a setting.
 * The setting's name is the rest of the variable's name in lower case, with each {@code _} read as
 * {@code .} and each {@code __} read as a literal {@code _}: {@code SENTIMENT_BATCH_MAX_RECORDS} sets
 * {@code batch.max.records}, {@code SENTIMENT_SASL_JAAS_CONFIG} sets {@code sasl.jaas.config},
 * {@code SENTIMENT_PRODUCER_COMPRESSION_TYPE} sets {@code producer.compression.type}.
 */
public final class ConfigSources {

    /** Prefix of the environment variables that are settings. */
    public static final String ENV_PREFIX = "SENTIMENT_";

    private ConfigSources() {}

    /**
     * Merges the sources: defaults (applied later by the config) &lt; file &lt; environment &lt;
     * overrides.
     *
     * @param propertiesFile a Java properties file (UTF-8), or null for none
     * @param environment    environment variables (usually {@code System.getenv()})
     * @param overrides      settings given on the command line
     * @throws ConfigException when the file cannot be read
     */
    public static Map<String, Object> merge(
            Path propertiesFile, Map<String, String> environment, Map<String, String> overrides) {
        Map<String, Object> merged = new LinkedHashMap<>();
        if (propertiesFile != null) {
            merged.putAll(readPropertiesFile(propertiesFile));
        }
        merged.putAll(fromEnvironment(environment));
        merged.putAll(overrides);
        return merged;
    }

    /** The settings of a properties file, as strings. */
    public static Map<String, String> readPropertiesFile(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("Cannot read the configuration file " + file + ": " + e);
        }
        Map<String, String> settings = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            settings.put(name, properties.getProperty(name));
        }
        return settings;
    }

    /** The settings given by {@value #ENV_PREFIX} environment variables. */
    public static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> settings = new TreeMap<>();
        environment.forEach((variable, value) -> settingName(variable).ifPresent(name -> settings.put(name, value)));
        return settings;
    }

    /** The setting an environment variable sets, if it is one. */
    public static Optional<String> settingName(String variable) {
        if (!variable.startsWith(ENV_PREFIX) || variable.length() == ENV_PREFIX.length()) {
            return Optional.empty();
        }
        String rest = variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
        StringBuilder name = new StringBuilder(rest.length());
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '_' && i + 1 < rest.length() && rest.charAt(i + 1) == '_') {
                name.append('_');
                i++;
            } else {
                name.append(c == '_' ? '.' : c);
            }
        }
        return Optional.of(name.toString());
    }

    /** The environment variable that sets a setting: the inverse of {@link #settingName(String)}. */
    public static String environmentVariable(String setting) {
        return ENV_PREFIX + setting.toUpperCase(Locale.ROOT).replace("_", "__").replace('.', '_');
    }
}
