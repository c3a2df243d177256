package org.sentimentstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sentimentstream.app.StreamsProperties;
import org.sentimentstream.cli.SettingsTable;
import org.sentimentstream.model.ExecutionProvider;
import org.sentimentstream.model.ModelOptions;
import org.sentimentstream.serde.WireFormat;

class SentimentStreamConfigTest {

    private static final Map<String, String> NO_ENV = Map.of();

    private static SentimentStreamConfig withSettings(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.putIfAbsent("bootstrap.servers", "127.0.0.1:9092");
        return new SentimentStreamConfig(all);
    }

    @Test
    void shouldApplyTheDocumentedDefaults() {
        SentimentStreamConfig config = withSettings(Map.of());

        assertThat(config.inputTopic()).isEqualTo("text-events");
        assertThat(config.outputTopic()).isEqualTo("sentiment-events");
        assertThat(config.deadLetterTopic()).isEqualTo("text-events-dlq");
        assertThat(config.inputFormat()).contains(WireFormat.AVRO);
        assertThat(config.outputFormat()).isEqualTo(WireFormat.AVRO);
        assertThat(config.batchMaxRecords()).isEqualTo(128);
        assertThat(config.batchLinger()).isEqualTo(Duration.ofMillis(20));
        assertThat(config.modelPath()).isEmpty();
        assertThat(config.modelProvider()).isEqualTo(ExecutionProvider.CPU);
        assertThat(config.modelThreads()).isEqualTo(1);
        assertThat(config.textMaxBytes()).isEqualTo(4096);
        assertThat(config.outputIncludeText()).isFalse();
        assertThat(config.applicationId()).isEqualTo("sentiment-stream");
        assertThat(config.processingGuarantee()).isEqualTo("at_least_once");
        assertThat(config.numStreamThreads()).isEqualTo(1);
        assertThat(config.commitInterval()).isEmpty();
        assertThat(config.stateDir()).isEmpty();
    }

    @Test
    void shouldRequireBootstrapServers() {
        assertThatThrownBy(() -> new SentimentStreamConfig(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bootstrap.servers");
    }

    @Test
    void shouldLetOverridesBeatEnvironmentBeatFileBeatDefaults(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sentiment.properties");
        Files.writeString(file, """
                bootstrap.servers=file:9092
                batch.max.records=10
                input.topic=file-input
                output.topic=file-output
                """);
        Map<String, String> env = Map.of(
                "SENTIMENT_BATCH_MAX_RECORDS", "20",
                "SENTIMENT_INPUT_TOPIC", "env-input",
                "PATH", "/usr/bin");
        Map<String, String> overrides = Map.of("batch.max.records", "30");

        SentimentStreamConfig config = SentimentStreamConfig.load(file, env, overrides);

        assertThat(config.batchMaxRecords()).isEqualTo(30); // override > env > file
        assertThat(config.inputTopic()).isEqualTo("env-input"); // env > file
        assertThat(config.outputTopic()).isEqualTo("file-output"); // file > default
        assertThat(config.deadLetterTopic()).isEqualTo("text-events-dlq"); // default
        assertThat(config.bootstrapServers()).containsExactly("file:9092");
        assertThat(config.passThroughSettings()).doesNotContainKey("path");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "SENTIMENT_BATCH_MAX_RECORDS, batch.max.records",
        "SENTIMENT_BOOTSTRAP_SERVERS, bootstrap.servers",
        "SENTIMENT_SASL_JAAS_CONFIG, sasl.jaas.config",
        "SENTIMENT_PRODUCER_COMPRESSION_TYPE, producer.compression.type",
        "SENTIMENT_MY__SETTING, my_setting",
    })
    void shouldMapEnvironmentVariablesToSettings(String variable, String setting) {
        assertThat(ConfigSources.settingName(variable)).contains(setting);
        assertThat(ConfigSources.environmentVariable(setting)).isEqualTo(variable);
    }

    @Test
    void shouldIgnoreEnvironmentVariablesWithoutThePrefix() {
        assertThat(ConfigSources.fromEnvironment(Map.of("HOME", "/root", "SENTIMENT_", "x", "sentiment_x", "y")))
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "batch.max.records, 0",
        "batch.max.records, 4097",
        "batch.max.records, many",
        "batch.linger.ms, 0",
        "input.format, xml",
        "output.format, protobuf",
        "model.provider, tpu",
        "model.threads, -1",
        "model.path, /no/such/model.onnx",
        "model.sha256, abc123",
        "model.sha256, zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
        "text.max.bytes, 0",
        "input.topic, 'bad topic'",
        "output.topic, ..",
        "dead.letter.topic, ''",
        "application.id, 'my app'",
        "processing.guarantee, exactly_once",
        "num.stream.threads, 0",
        "commit.interval.ms, -1",
        "output.include.text, maybe",
        "state.dir, ' '",
        "group.instance.id, ''",
        "group.instance.id, 'pod 0'",
        "group.instance.id, pod/0",
        "security.protocol, SMOKE_SIGNALS",
        "replication.factor, three",
        "metrics.port, -2",
        "metrics.port, 65536",
        "metrics.address, 'my host'",
        "metrics.address, ''",
        "model.reload.interval.ms, -1",
        "health.ready.rebalancing.max.ms, -1",
        "uncertain.min.probability, -0.1",
        "uncertain.min.probability, 1.01",
        "uncertain.min.probability, high",
        "uncertain.min.known.tokens, -1",
        "uncertain.min.known.tokens, 1.5",
        "batch.max.bytes, 1023",
        "batch.max.bytes, lots",
        "max.request.size, 32767",
        "producer.max.request.size, 1000",
        "producer.max.request.size, big",
    })
    void shouldFailWithAMessageNamingTheInvalidSetting(String setting, String value) {
        assertThatThrownBy(() -> withSettings(Map.of(setting, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(setting);
    }

    @Test
    void shouldHideTheUserInfoOfRegistryUrlsInTheEffectiveValues() {
        SentimentStreamConfig config = withSettings(Map.of(
                "schema.registry.url", "https://svc:url-secret@registry-1:8443/api,https://registry-2:8443/api"));

        assertThat(config.effectiveValues().get("schema.registry.url"))
                .hasToString("[https://[hidden]@registry-1:8443/api, https://registry-2:8443/api]");
    }

    @Test
    void shouldTrustAnyModelByDefaultAndPinADigestGivenInEitherCase() {
        String digest = "0123456789ABCDEF".repeat(4);

        assertThat(withSettings(Map.of()).modelDigest().pinned()).isEmpty();
        assertThat(withSettings(Map.of("model.sha256", digest)).modelDigest().pinned())
                .contains(digest.toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void shouldKnowKafkaSettingsWithAndWithoutClientPrefixesButNotTypos() {
        assertThat(SentimentStreamConfig.isKafkaSetting("max.poll.records")).isTrue();
        assertThat(SentimentStreamConfig.isKafkaSetting("main.consumer.max.poll.records"))
                .isTrue();
        assertThat(SentimentStreamConfig.isKafkaSetting("producer.linger.ms")).isTrue();
        assertThat(SentimentStreamConfig.isKafkaSetting("topic.segment.bytes")).isTrue();
        assertThat(SentimentStreamConfig.isKafkaSetting("max.pol.records")).isFalse();
        assertThat(SentimentStreamConfig.isKafkaSetting("producer.batch.max.records"))
                .isFalse();
    }

    @Test
    void shouldUseDynamicMembershipUnlessAGroupInstanceIdIsSet() {
        SentimentStreamConfig config = withSettings(Map.of());

        assertThat(config.groupInstanceId()).isEmpty();
        assertThat(StreamsProperties.of(config)).doesNotContainKey("group.instance.id");
    }

    @Test
    void shouldGiveKafkaStreamsTheGroupInstanceIdFromThePodNameInTheEnvironment() {
        SentimentStreamConfig config = SentimentStreamConfig.load(
                null,
                Map.of(
                        "SENTIMENT_BOOTSTRAP_SERVERS",
                        "kafka:9092",
                        "SENTIMENT_GROUP_INSTANCE_ID",
                        "sentiment-stream-2"),
                Map.of());

        assertThat(config.groupInstanceId()).contains("sentiment-stream-2");
        assertThat(StreamsProperties.of(config)).containsEntry("group.instance.id", "sentiment-stream-2");
    }

    @Test
    void shouldRefuseAGroupInstanceIdTooLongForKafkaStreamsThreadSuffix() {
        String tooLong = "p".repeat(Validators.MAX_GROUP_INSTANCE_ID_LENGTH + 1);

        assertThat(withSettings(Map.of("group.instance.id", "p".repeat(Validators.MAX_GROUP_INSTANCE_ID_LENGTH)))
                        .groupInstanceId())
                .isPresent();
        assertThatThrownBy(() -> withSettings(Map.of("group.instance.id", tooLong)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("group.instance.id");
    }

    @Test
    void shouldReadFormatsAndProviderCaseInsensitively(@TempDir Path dir) throws IOException {
        Path model = Files.writeString(dir.resolve("model.onnx"), "not really a model");

        SentimentStreamConfig config =
                withSettings(Map.of("input.format", "JSON", "model.provider", "CUDA", "model.path", model.toString()));

        assertThat(config.inputFormat()).contains(WireFormat.JSON);
        assertThat(config.modelProvider()).isEqualTo(ExecutionProvider.CUDA);
        assertThat(config.modelPath()).contains(model);
        assertThat(config.modelOptions()).isEqualTo(new ModelOptions(ExecutionProvider.CUDA, 1, 0));
    }

    @Test
    void shouldServeMetricsOnPort8080OfEveryInterfaceAndReloadEvery5SecondsByDefault() {
        SentimentStreamConfig config = withSettings(Map.of());

        assertThat(config.metricsPort()).isEqualTo(8080);
        assertThat(config.metricsAddress()).isEqualTo("0.0.0.0");
        assertThat(config.modelReloadInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.healthReadyRebalancingMax()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void shouldLeaveTheUncertainLabelOffByDefaultAndAcceptThresholds() {
        SentimentStreamConfig defaults = withSettings(Map.of());
        SentimentStreamConfig set =
                withSettings(Map.of("uncertain.min.probability", "0.7", "uncertain.min.known.tokens", "2"));

        assertThat(defaults.uncertainMinProbability()).isZero();
        assertThat(defaults.uncertainMinKnownTokens()).isZero();
        assertThat(set.uncertainMinProbability()).isEqualTo(0.7);
        assertThat(set.uncertainMinKnownTokens()).isEqualTo(2);
    }

    @Test
    void shouldRefuseSingleReplicaTopicsUnderExactlyOnceAndReplaceThreeThreadsInTenMinutesByDefault() {
        SentimentStreamConfig config = withSettings(Map.of());

        assertThat(config.topicsAllowSingleReplica()).isFalse();
        assertThat(config.streamThreadReplacementsMax()).isEqualTo(3);
        assertThat(config.streamThreadReplacementsWindow()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void shouldAcceptSingleReplicaTopicsAndOtherReplacementBudgetsWhenSet() {
        SentimentStreamConfig config = withSettings(Map.of(
                "topics.allow.single.replica", "true",
                "stream.thread.replacements.max", "0",
                "stream.thread.replacements.window.ms", "60000"));

        assertThat(config.topicsAllowSingleReplica()).isTrue();
        assertThat(config.streamThreadReplacementsMax()).isZero();
        assertThat(config.streamThreadReplacementsWindow()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void shouldRefuseBadReplacementBudgetsNamingTheSetting() {
        assertThatThrownBy(() -> withSettings(Map.of("stream.thread.replacements.max", "-1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("stream.thread.replacements.max");
        assertThatThrownBy(() -> withSettings(Map.of("stream.thread.replacements.window.ms", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("stream.thread.replacements.window.ms");
        assertThatThrownBy(() -> withSettings(Map.of("topics.allow.single.replica", "maybe")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("topics.allow.single.replica");
    }

    @Test
    void shouldAcceptAnyFreePortNoServerAndAutoProvider() {
        SentimentStreamConfig config =
                withSettings(Map.of("metrics.port", "-1", "metrics.address", "::1", "model.provider", "auto"));

        assertThat(config.metricsPort()).isEqualTo(SentimentStreamConfig.METRICS_OFF);
        assertThat(config.metricsAddress()).isEqualTo("::1");
        assertThat(config.modelProvider()).isEqualTo(ExecutionProvider.AUTO);
        assertThat(withSettings(Map.of("metrics.port", "0")).metricsPort()).isZero();
    }

    @Test
    void shouldNameTheFileThatCannotBeRead(@TempDir Path dir) {
        Path missing = dir.resolve("absent.properties");

        assertThatThrownBy(() -> SentimentStreamConfig.load(missing, NO_ENV, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void shouldDocumentEverySetting() {
        ConfigDef definitions = SentimentStreamConfig.configDef();
        String table = SettingsTable.markdown();

        assertThat(definitions.configKeys()).hasSizeGreaterThanOrEqualTo(18);
        for (ConfigDef.ConfigKey key : definitions.configKeys().values()) {
            assertThat(key.documentation).as(key.name).isNotBlank();
            assertThat(key.importance).as(key.name).isNotNull();
            assertThat(table).contains("`" + key.name + "`", ConfigSources.environmentVariable(key.name));
        }
        assertThat(definitions.names())
                .containsAll(List.of(
                        "input.topic",
                        "output.topic",
                        "dead.letter.topic",
                        "input.format",
                        "output.format",
                        "batch.max.records",
                        "batch.linger.ms",
                        "model.path",
                        "model.provider",
                        "model.threads",
                        "text.max.bytes",
                        "output.include.text",
                        "application.id",
                        "bootstrap.servers",
                        "processing.guarantee",
                        "num.stream.threads",
                        "commit.interval.ms",
                        "state.dir",
                        "schema.registry.url",
                        "basic.auth.credentials.source",
                        "basic.auth.user.info",
                        "schema.registry.ssl.truststore.location",
                        "auto.register.schemas",
                        "value.subject.name.strategy",
                        "schema.registry.retry.timeout.ms"));
    }

    @Test
    void shouldRequireARegistryUrlForTheConfluentFormatOnly() {
        assertThatThrownBy(() -> withSettings(Map.of("output.format", "confluent-avro")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url")
                .hasMessageContaining("confluent-avro");
        assertThat(withSettings(Map.of("input.format", "json")).inputFormat()).contains(WireFormat.JSON);
    }

    @Test
    void shouldTypeTheRegistrySettingsAndKeepThemFromKafkaStreams() {
        SentimentStreamConfig config = withSettings(Map.of(
                "input.format", "confluent-avro",
                "schema.registry.url", "http://127.0.0.1:8081",
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "svc:secret",
                "value.subject.name.strategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy"));

        assertThat(config.inputFormat()).contains(WireFormat.CONFLUENT_AVRO);
        assertThat(config.passThroughSettings())
                .doesNotContainKeys("schema.registry.url", "basic.auth.user.info", "value.subject.name.strategy");
        assertThat(StreamsProperties.of(config)).doesNotContainKey("basic.auth.user.info");
        assertThat(config.effectiveValues().get("basic.auth.user.info")).hasToString("[hidden]");
        assertThat(withSettings(Map.of(
                                "input.format", "confluent-avro",
                                "schema.registry.url", "http://r0:8081,https://svc:s3cret@r1:8081/api"))
                        .effectiveValues()
                        .get("schema.registry.url"))
                .asString()
                .doesNotContain("s3cret")
                .contains("https://[hidden]@r1:8081/api", "http://r0:8081");
        assertThatThrownBy(() -> withSettings(Map.of("retries.wait.ms", "soon")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("retries.wait.ms");
        assertThatThrownBy(() -> withSettings(Map.of("value.subject.name.strategy", "com.acme.Mine")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("value.subject.name.strategy");
    }

    @Test
    void shouldBoundBatchBytesAndDeriveTheRecordLimitFromTheProducersRequestSize() {
        SentimentStreamConfig defaults = withSettings(Map.of());
        assertThat(defaults.batchMaxBytes()).isEqualTo(4 * 1024 * 1024);
        assertThat(defaults.producerMaxRequestSize()).isEqualTo(1024 * 1024);

        assertThat(withSettings(Map.of("batch.max.bytes", "1024")).batchMaxBytes())
                .isEqualTo(1024);
        assertThat(withSettings(Map.of("max.request.size", "65536")).producerMaxRequestSize())
                .isEqualTo(65536);
        assertThat(withSettings(Map.of("max.request.size", "65536", "producer.max.request.size", "131072"))
                        .producerMaxRequestSize())
                .as("the producer-prefixed setting wins, as in Kafka Streams")
                .isEqualTo(131072);
    }

    @ParameterizedTest
    @CsvSource({
        "processing.exception.handler, org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler",
        "production.exception.handler, com.example.SkipEverythingHandler",
        "default.production.exception.handler, com.example.SkipEverythingHandler",
        "deserialization.exception.handler, org.apache.kafka.streams.errors.LogAndContinueExceptionHandler",
        "default.deserialization.exception.handler, org.apache.kafka.streams.errors.LogAndContinueExceptionHandler",
    })
    void shouldRefuseExceptionHandlersThatCouldCommitARecordWithNeitherResultNorDeadLetter(
            String setting, String handler) {
        assertThatThrownBy(() -> withSettings(Map.of(setting, handler)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(setting)
                .hasMessageNotContaining("\n");
    }

    @ParameterizedTest
    @CsvSource({
        "processing.exception.handler, org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler",
        "production.exception.handler, org.apache.kafka.streams.errors.DefaultProductionExceptionHandler",
        "deserialization.exception.handler, org.apache.kafka.streams.errors.LogAndFailExceptionHandler",
    })
    void shouldAcceptTheFailFastExceptionHandlersWhenSetExplicitly(String setting, String handler) {
        assertThat(StreamsProperties.of(withSettings(Map.of(setting, handler)))).containsEntry(setting, handler);
    }
}
