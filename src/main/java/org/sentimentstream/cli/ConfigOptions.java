package org.sentimentstream.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sentimentstream.app.OAuthBearerUrls;
import org.sentimentstream.config.ConfigSources;
import org.sentimentstream.config.SentimentStreamConfig;
import picocli.CommandLine.Option;

/**
 * The configuration options shared by the commands that talk to Kafka. Settings come from a
 * properties file, then {@code SENTIMENT_*} environment variables, then {@code --set} and
 * {@code --bootstrap-servers}; later ones win.
 */
final class ConfigOptions {

    @Option(
            names = {"-b", "--bootstrap-servers"},
            paramLabel = "HOST:PORT[,...]",
            description = "Kafka brokers (the setting bootstrap.servers).")
    private String bootstrapServers;

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "A properties file of settings (run --list-settings lists every setting).")
    private Path configFile;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Sets one setting, over the file and the environment; repeatable.")
    private Map<String, String> overrides = new LinkedHashMap<>();

    /** The validated configuration. */
    SentimentStreamConfig load() {
        return load(Map.of(), Map.of());
    }

    /**
     * The validated configuration. A SASL/OAUTHBEARER token endpoint it names is allowed for this JVM
     * ({@link OAuthBearerUrls}) before any Kafka client is made.
     *
     * @param defaults settings under everything the user gave (file, environment, command line)
     * @param forced   settings over everything the user gave
     * @throws org.apache.kafka.common.config.ConfigException naming the first bad setting
     */
    SentimentStreamConfig load(Map<String, String> defaults, Map<String, String> forced) {
        if (configFile != null && !Files.isReadable(configFile)) {
            throw new UsageException("--config: cannot read the file " + configFile);
        }
        Map<String, String> commandLine = new LinkedHashMap<>(overrides == null ? Map.of() : overrides);
        if (bootstrapServers != null) {
            commandLine.put(SentimentStreamConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        }
        commandLine.putAll(forced);
        Map<String, Object> settings = new LinkedHashMap<>(defaults);
        settings.putAll(ConfigSources.merge(configFile, System.getenv(), commandLine));
        SentimentStreamConfig config = new SentimentStreamConfig(settings);
        OAuthBearerUrls.allowConfiguredTokenEndpoints(config);
        return config;
    }
}
