package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.registry.RegistryClientSettings;
import org.sentimentstream.registry.RegistryErrorException;
import org.sentimentstream.registry.RegistryTlsException;
import org.sentimentstream.registry.SchemaRegistryClient;
import org.sentimentstream.serde.CodecContext;
import org.sentimentstream.serde.RecordCodec;
import org.sentimentstream.serde.TestEvents;
import org.sentimentstream.serde.WireFormat;

/**
 * The registry client's security settings, in Confluent's form, against a real registry that serves HTTPS
 * with its own certificate and requires basic auth: a codec made from the settings (as the service makes
 * them) registers and reads schemas; wrong credentials and an untrusted certificate fail clearly, at once.
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RegistrySecurityIT {

    private static final String USER = "svc-sentiment";
    private static final String PASSWORD = "pw-" + Long.toHexString(System.nanoTime());

    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension(
            registry -> registry.withTls(keyStore(registry.directory()), TestCertificates.STORE_PASSWORD)
                    .withBasicAuth(USER, PASSWORD));

    @Test
    void shouldRegisterAndReadSchemasOverHttpsWithBasicAuthFromTheSettings() throws Exception {
        Map<String, Object> settings = secured(REGISTRY.registry().httpsUrl());
        settings.put(RegistryClientSettings.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO");
        settings.put(RegistryClientSettings.USER_INFO_CONFIG, USER + ":" + PASSWORD);
        RecordCodec<TextEvent> producer = WireFormat.CONFLUENT_AVRO.textEventCodec(CodecContext.of(settings), "sec-in");
        RecordCodec<TextEvent> consumer = WireFormat.CONFLUENT_AVRO.textEventCodec(CodecContext.of(settings), "sec-in");
        TextEvent event = TestEvents.fullText();

        byte[] value = producer.encode(event);

        assertThat(consumer.decode(value)).isEqualTo(event);
    }

    @Test
    void shouldTakeTheCredentialsFromTheUrlByDefault() {
        String url = REGISTRY.registry().httpsUrl().replace("https://", "https://" + USER + ":" + PASSWORD + "@");
        SchemaRegistryClient client = new SchemaRegistryClient(new RegistryClientSettings(secured(url)));

        int id = client.register(
                "sec-url-value", "AVRO", TextEvent.getClassSchema().toString());

        assertThat(client.schemaById(id).schema())
                .isEqualTo(TextEvent.getClassSchema().toString());
    }

    @Test
    void shouldRefuseWrongCredentialsAtOnceAsAnErrorNotAnOutage() {
        Map<String, Object> settings = secured(REGISTRY.registry().httpsUrl());
        settings.put(RegistryClientSettings.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO");
        settings.put(RegistryClientSettings.USER_INFO_CONFIG, USER + ":wrong");
        SchemaRegistryClient client = new SchemaRegistryClient(new RegistryClientSettings(settings));

        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOf(RegistryErrorException.class)
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("basic.auth.user.info")
                .hasMessageNotContaining("wrong");
        assertThat(client.requestCount()).as("no retries").isEqualTo(1);
    }

    @Test
    void shouldRefuseACertificateOutsideTheTrustStoreAtOnceAsAnErrorNotAnOutage() {
        Map<String, Object> settings = new HashMap<>();
        settings.put(RegistryClientSettings.URL_CONFIG, REGISTRY.registry().httpsUrl());
        SchemaRegistryClient client = new SchemaRegistryClient(new RegistryClientSettings(settings));

        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOf(RegistryTlsException.class)
                .hasMessageContaining(REGISTRY.registry().httpsUrl())
                .hasMessageContaining("PKIX path building failed");
        assertThat(client.requestCount())
                .as("no retries within the default retry time-out")
                .isEqualTo(1);
    }

    /** Settings that trust the registry's certificate (its CA's, PEM, as Kafka's ssl.* allow). */
    private static Map<String, Object> secured(String url) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(RegistryClientSettings.URL_CONFIG, url);
        settings.put("schema.registry.ssl.truststore.type", "PEM");
        settings.put(
                "schema.registry.ssl.truststore.location",
                REGISTRY.registry().directory().resolve("registry-ca.pem").toString());
        return settings;
    }

    /** A PKCS12 key store for 127.0.0.1 signed by a test CA made beside it ({@code registry-ca.pem}). */
    private static Path keyStore(Path directory) {
        try {
            Files.createDirectories(directory);
            return TestCertificates.newCa(directory, "registry").keyStore("registry", "ip:127.0.0.1", null, 2);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
