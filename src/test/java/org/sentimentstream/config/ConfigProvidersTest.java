package org.sentimentstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.DirectoryConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sentimentstream.app.StreamsProperties;
import org.sentimentstream.registry.RegistryClientSettings;

/**
 * Secrets from files and the environment: Kafka's config providers ({@code config.providers}) resolve
 * {@code ${file:...}}, {@code ${directory:...}} and {@code ${env:...}} references in every setting, the
 * Kafka client settings passed through and the schema registry's credentials alike, whether the
 * references come from a properties file or from {@code SENTIMENT_*} variables (a Kubernetes Secret
 * mounted as files: deploy/kubernetes).
 */
class ConfigProvidersTest {

    @TempDir
    Path directory;

    private Path secrets;
    private Path kafkaProperties;

    @BeforeEach
    void writeSecrets() throws IOException {
        secrets = Files.createDirectory(directory.resolve("secrets"));
        Files.writeString(secrets.resolve("registry-user-info"), "svc:dir-secret", StandardCharsets.UTF_8);
        kafkaProperties = Files.writeString(directory.resolve("kafka.properties"), "password=file-secret\n");
    }

    private Map<String, String> providers() {
        Map<String, String> settings = new HashMap<>();
        settings.put("bootstrap.servers", "127.0.0.1:9092");
        settings.put("config.providers", "file,directory,env");
        settings.put("config.providers.file.class", FileConfigProvider.class.getName());
        settings.put("config.providers.directory.class", DirectoryConfigProvider.class.getName());
        settings.put("config.providers.directory.param.allowed.paths", secrets.toString());
        settings.put("config.providers.env.class", EnvVarConfigProvider.class.getName());
        return settings;
    }

    private String jaas(String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"svc\" password=\""
                + password + "\";";
    }

    @Test
    void shouldResolveFileDirectoryAndEnvironmentReferencesInKafkaAndRegistrySettings() {
        Map<String, String> settings = providers();
        settings.put("sasl.jaas.config", jaas("${file:" + kafkaProperties + ":password}"));
        settings.put("ssl.truststore.password", "${env:PATH}");
        settings.putAll(registryWithUserInfo("${directory:" + secrets + ":registry-user-info}"));

        SentimentStreamConfig config = new SentimentStreamConfig(settings);
        Properties streams = StreamsProperties.of(config);

        assertThat(streams.get("sasl.jaas.config")).hasToString(jaas("file-secret"));
        assertThat(streams.get("ssl.truststore.password")).hasToString(System.getenv("PATH"));
        assertThat(new RegistryClientSettings(config.originals()).endpoints())
                .singleElement()
                .satisfies(endpoint -> assertThat(endpoint.authorization()).contains(basic("svc:dir-secret")));
    }

    @Test
    void shouldResolveReferencesGivenAsEnvironmentVariables() {
        Map<String, String> environment = new HashMap<>();
        providers().forEach((name, value) -> environment.put(ConfigSources.environmentVariable(name), value));
        environment.put("SENTIMENT_SASL_JAAS_CONFIG", jaas("${file:" + kafkaProperties + ":password}"));

        SentimentStreamConfig config = SentimentStreamConfig.load(null, environment, Map.of());

        assertThat(StreamsProperties.of(config).get("sasl.jaas.config")).hasToString(jaas("file-secret"));
        assertThat(config.passThroughSettings().values())
                .noneMatch(value -> value.toString().contains("${"));
    }

    @Test
    void shouldFailAtStartUpNamingTheFileWhenAReferencedSecretIsMissing() {
        Map<String, String> settings = providers();
        settings.put("sasl.jaas.config", jaas("${file:" + directory.resolve("absent.properties") + ":password}"));

        assertThatThrownBy(() -> new SentimentStreamConfig(settings))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("absent.properties")
                .hasMessageNotContaining("file-secret");
    }

    @Test
    void shouldNotReadFilesOutsideTheDirectoryProvidersAllowedPaths() {
        Map<String, String> settings = providers();
        settings.putAll(registryWithUserInfo("${directory:" + directory + ":kafka.properties}"));

        SentimentStreamConfig config = new SentimentStreamConfig(settings);

        assertThat(config.originals().get("basic.auth.user.info"))
                .as("a reference outside allowed.paths is left unresolved")
                .hasToString("${directory:" + directory + ":kafka.properties}");
    }

    private static Map<String, String> registryWithUserInfo(String userInfo) {
        return Map.of(
                "input.format", "confluent-avro",
                "schema.registry.url", "https://registry.example:8443/apis/ccompat/v7",
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", userInfo);
    }

    private static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }
}
