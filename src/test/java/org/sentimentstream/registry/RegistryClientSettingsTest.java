package org.sentimentstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryClientSettingsTest {

    @TempDir
    Path dir;

    private static RegistryClientSettings settings(String... keyValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return new RegistryClientSettings(map);
    }

    @Test
    void shouldTakeBasicAuthFromEachUrlsUserInfoByDefaultAndNeverSendItInTheUrl() {
        RegistryClientSettings settings =
                settings("schema.registry.url", "https://alice:s3cr%3At@r1.example:8081/, http://r2.example:8081/api");

        assertThat(settings.endpoints())
                .containsExactly(
                        new RegistryClientSettings.Endpoint(
                                URI.create("https://r1.example:8081"), Optional.of(basic("alice:s3cr:t"))),
                        new RegistryClientSettings.Endpoint(
                                URI.create("http://r2.example:8081/api"), Optional.empty()));
    }

    @Test
    void shouldSendUserInfoToEveryUrlWithTheUserInfoSource() {
        RegistryClientSettings settings = settings(
                "schema.registry.url", "http://r1:8081,http://r2:8081",
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "bob:pw");

        assertThat(settings.endpoints())
                .extracting(RegistryClientSettings.Endpoint::authorization)
                .containsOnly(Optional.of(basic("bob:pw")));
    }

    @Test
    void shouldReadConfluentsOlderNameOfTheUserInfo() {
        RegistryClientSettings settings = settings(
                "schema.registry.url", "http://r1:8081",
                "basic.auth.credentials.source", "USER_INFO",
                "schema.registry.basic.auth.user.info", "carol:pw");

        assertThat(settings.endpoints().get(0).authorization()).contains(basic("carol:pw"));
    }

    @Test
    void shouldRequireUserInfoWhenItIsTheSource() {
        RegistryClientSettings settings =
                settings("schema.registry.url", "http://r1:8081", "basic.auth.credentials.source", "USER_INFO");

        assertThatThrownBy(() -> settings.requireUsable("the test"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.user.info")
                .hasMessageNotContaining("pw");
    }

    @Test
    void shouldRefuseSaslInheritWithAMessageThatSaysSo() {
        assertThatThrownBy(() -> settings("basic.auth.credentials.source", "SASL_INHERIT"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.credentials.source")
                .hasMessageContaining("SASL_INHERIT is not supported");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://r1:21", "r1:8081", "http://", "http://r1:8081/?x=1"})
    void shouldRefuseWhatIsNotAnHttpUrl(String url) {
        assertThatThrownBy(() -> settings("schema.registry.url", url))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
    }

    @Test
    void shouldNeverShowTheUserInfoOfABadUrl() {
        assertThatThrownBy(() -> settings("schema.registry.url", "ftp://alice:topsecret@r1:21"))
                .isInstanceOf(ConfigException.class)
                .hasMessageNotContaining("topsecret");
    }

    @Test
    void shouldRequireAUrlForAFormatThatNeedsTheRegistry() {
        assertThatThrownBy(() -> settings().requireUsable("the confluent-avro format"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url")
                .hasMessageContaining("confluent-avro");
    }

    @Test
    void shouldRefuseToTurnOffHostNameVerification() {
        RegistryClientSettings settings = settings(
                "schema.registry.url", "https://r1:8081",
                "schema.registry.ssl.endpoint.identification.algorithm", "");

        assertThatThrownBy(() -> settings.requireUsable("the test"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.ssl.endpoint.identification.algorithm");
    }

    @Test
    void shouldNameTheSslSettingsWhenATrustStoreCannotBeLoaded() {
        RegistryClientSettings settings = settings(
                "schema.registry.url", "https://r1:8081",
                "schema.registry.ssl.truststore.location",
                        dir.resolve("missing.jks").toString(),
                "schema.registry.ssl.truststore.password", "changeit");

        assertThatThrownBy(() -> settings.requireUsable("the test"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.ssl.");
    }

    @Test
    void shouldRememberUnknownIdsForAMinuteByDefaultUnderConfluentsName() {
        assertThat(settings().missingIdCacheTtl()).hasSeconds(60);
        assertThat(settings("missing.id.cache.ttl.sec", "0").missingIdCacheTtl())
                .isZero();
        assertThatThrownBy(() -> settings("missing.id.cache.ttl.sec", "-1"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("missing.id.cache.ttl.sec");
    }

    @Test
    void shouldBoundEachCacheByConfluentsCacheCapacitySetting() {
        assertThat(settings().cacheCapacity()).isEqualTo(1000);
        assertThat(settings("max.schemas.per.subject", "50").cacheCapacity()).isEqualTo(50);
        assertThatThrownBy(() -> settings("max.schemas.per.subject", "0"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("max.schemas.per.subject");
    }

    @Test
    void shouldAcceptConfluentsSubjectStrategyClassNames() {
        assertThat(SubjectNameStrategy.fromConfigValue("io.confluent.kafka.serializers.subject.RecordNameStrategy"))
                .contains(SubjectNameStrategy.RECORD_NAME);
        assertThat(SubjectNameStrategy.fromConfigValue("TopicRecordNameStrategy"))
                .contains(SubjectNameStrategy.TOPIC_RECORD_NAME);
        assertThat(SubjectNameStrategy.fromConfigValue("topic-name")).contains(SubjectNameStrategy.TOPIC_NAME);
        assertThat(SubjectNameStrategy.fromConfigValue("com.acme.MyStrategy")).isEmpty();
    }

    private static String basic(String userInfo) {
        return "Basic "
                + Base64.getEncoder().encodeToString(userInfo.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
