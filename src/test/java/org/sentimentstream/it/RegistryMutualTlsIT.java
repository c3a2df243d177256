package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.cli.ExitCodes;
import org.sentimentstream.localbroker.Folders;
import org.sentimentstream.registry.RegistryClientSettings;
import org.sentimentstream.registry.RegistryTlsException;
import org.sentimentstream.registry.SchemaRegistryClient;
import org.sentimentstream.serde.CodecContext;
import org.sentimentstream.serde.RecordCodec;
import org.sentimentstream.serde.TestEvents;
import org.sentimentstream.serde.WireFormat;
import org.sentimentstream.stream.Topics;

/**
 * Security matrix, registry with mutual TLS (docs/SECURITY.md): a real registry (Apicurio) behind a TLS
 * terminator that requires a client certificate signed by the test CA ({@link MutualTlsTerminator}: Apicurio
 * cannot require one itself when started from its distribution). The {@code confluent-avro} codecs and
 * {@code produce} with a client key store ({@code schema.registry.ssl.keystore.*}) register and read schemas;
 * without one, the registry client stops at once (no retry), and {@code produce} exits with code 2 and one
 * line naming the registry's URL.
 */
@Tag("integration")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class RegistryMutualTlsIT {

    @RegisterExtension
    @Order(1)
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();

    @RegisterExtension
    @Order(2)
    static final LocalBrokerExtension KAFKA = new LocalBrokerExtension();

    private static Path folder;
    private static TestCertificates ca;
    private static Path clientKeyStore;
    private static MutualTlsTerminator terminator;

    @BeforeAll
    static void startTerminator() throws IOException {
        folder = Files.createTempDirectory("registry-mtls-it");
        ca = TestCertificates.newCa(folder, "main");
        Path registryKeyStore = ca.keyStore("registry", "ip:127.0.0.1", null, 3);
        clientKeyStore = ca.keyStore("sentiment-client", null, null, 3);
        int registryPort = URI.create(REGISTRY.url()).getPort();
        terminator = MutualTlsTerminator.start(
                registryKeyStore, ca.trustStore(), TestCertificates.STORE_PASSWORD, registryPort);
    }

    @AfterAll
    static void stopTerminator() throws IOException {
        if (terminator != null) {
            terminator.close();
        }
        Folders.deleteRecursively(folder);
    }

    private static String url() {
        return "https://127.0.0.1:" + terminator.port() + "/apis/ccompat/v7";
    }

    /** Trusts the test CA (PEM), without a client certificate. */
    private static Map<String, String> trusting() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(RegistryClientSettings.URL_CONFIG, url());
        settings.put("schema.registry.ssl.truststore.type", "PEM");
        settings.put(
                "schema.registry.ssl.truststore.location", ca.caCertificate().toString());
        return settings;
    }

    private static Map<String, String> withClientCertificate() {
        Map<String, String> settings = trusting();
        settings.put("schema.registry.ssl.keystore.type", "PKCS12");
        settings.put("schema.registry.ssl.keystore.location", clientKeyStore.toString());
        settings.put("schema.registry.ssl.keystore.password", TestCertificates.STORE_PASSWORD);
        settings.put("schema.registry.ssl.key.password", TestCertificates.STORE_PASSWORD);
        return settings;
    }

    @Test
    void shouldRegisterAndReadSchemasWithAClientCertificate() throws Exception {
        Map<String, Object> settings = new LinkedHashMap<>(withClientCertificate());
        RecordCodec<TextEvent> producer =
                WireFormat.CONFLUENT_AVRO.textEventCodec(CodecContext.of(settings), "mtls-in");
        RecordCodec<TextEvent> consumer =
                WireFormat.CONFLUENT_AVRO.textEventCodec(CodecContext.of(settings), "mtls-in");
        TextEvent event = TestEvents.fullText();

        byte[] value = producer.encode(event);

        assertThat(consumer.decode(value)).isEqualTo(event);
    }

    @Test
    void shouldStopAtOnceWithoutRetryWhenTheClientHasNoCertificate() {
        SchemaRegistryClient client = new SchemaRegistryClient(new RegistryClientSettings(trusting()));

        assertThatThrownBy(() -> client.register(
                        "mtls-none-value", "AVRO", TextEvent.getClassSchema().toString()))
                .isInstanceOf(RegistryTlsException.class)
                .hasMessageContaining(url())
                .hasMessageContaining("Received fatal alert");
        assertThat(client.requestCount()).as("no retry").isEqualTo(1);
    }

    @Test
    void shouldProduceWithAClientCertificateAndExitWithCode2WithoutOne() throws Exception {
        Topics topics = ItKafka.createTopics(KAFKA.broker(), "registry-mtls", 1);

        String sent = produce(topics, withClientCertificate(), ExitCodes.OK);
        String refused = produce(topics, trusting(), ExitCodes.USAGE);

        assertThat(sent).doesNotContain("error:");
        SecuredKafkaRuns.assertOneErrorLine(
                refused,
                "produce",
                Pattern.quote("The TLS handshake with the schema registry " + url()) + ".*Received fatal alert",
                TestCertificates.STORE_PASSWORD);
    }

    /** {@code produce} of one text in the confluent-avro format, in its own JVM; returns its output. */
    private String produce(Topics topics, Map<String, String> registry, int expectedExitCode) throws Exception {
        List<String> arguments = new ArrayList<>(
                List.of("produce", "--bootstrap-servers", KAFKA.broker().bootstrapServers()));
        Map<String, String> settings = new LinkedHashMap<>(registry);
        settings.put("input.topic", topics.input());
        settings.put("input.format", "confluent-avro");
        settings.forEach((name, value) -> arguments.addAll(List.of("--set", name + "=" + value)));
        arguments.add("what a lovely day");
        Path log = folder.resolve("produce-" + UUID.randomUUID() + ".log");
        ServiceProcess process = new ServiceProcess(arguments, log);
        process.start();
        int exitCode = process.awaitExit(SecuredKafkaRuns.WAIT);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(exitCode).as("produce's exit code; output:\n%s", output).isEqualTo(expectedExitCode);
        return output;
    }
}
