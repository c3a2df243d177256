package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.registry.RegisteredSchema;
import org.sentimentstream.registry.RegistryErrorException;
import org.sentimentstream.registry.SchemaRegistryClient;

/**
 * A registry user upgrading the service: version 1 of the output schema (as released, before
 * {@code known_token_count}) is registered under the output subject, then the service's version 2 is accepted
 * as a new version by a real registry under BACKWARD compatibility, while a version 2 whose new field had no
 * default is refused: the check is real.
 */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SentimentEventSchemaUpgradeIT {

    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();

    private static String version1() throws IOException {
        try (InputStream in =
                SentimentEventSchemaUpgradeIT.class.getResourceAsStream("/schemas/sentiment-event-v1.avsc")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldRegisterTheNewOutputSchemaAsACompatibleNewVersion() throws IOException {
        SchemaRegistryClient client = ConfluentRecords.client(REGISTRY.url());
        String subject = "upgrade-" + System.nanoTime() + "-value";
        int v1 = client.register(subject, RegisteredSchema.AVRO, version1());

        int v2 = client.register(
                subject, RegisteredSchema.AVRO, SentimentEvent.getClassSchema().toString());

        assertThat(v2).as("version 2 is a new schema under the subject").isNotEqualTo(v1);
        assertThat(client.lookup(subject, RegisteredSchema.AVRO, version1())).isEqualTo(v1);
        assertThat(client.lookup(
                        subject,
                        RegisteredSchema.AVRO,
                        SentimentEvent.getClassSchema().toString()))
                .isEqualTo(v2);
    }

    @Test
    void shouldRefuseANewFieldWithoutDefault() throws IOException {
        SchemaRegistryClient client = ConfluentRecords.client(REGISTRY.url());
        String subject = "upgrade-bad-" + System.nanoTime() + "-value";
        client.register(subject, RegisteredSchema.AVRO, version1());
        String withoutDefault = SentimentEvent.getClassSchema()
                .toString()
                .replace("\"type\":[\"null\",\"int\"],\"doc\"", "\"type\":\"int\",\"doc\"")
                .replace(",\"default\":null}]}", "}]}");
        assertThat(new Schema.Parser()
                        .parse(withoutDefault)
                        .getField("known_token_count")
                        .hasDefaultValue())
                .as("the negative control really lacks the default")
                .isFalse();

        assertThatThrownBy(() -> client.register(subject, RegisteredSchema.AVRO, withoutDefault))
                .isInstanceOfSatisfying(
                        RegistryErrorException.class,
                        e -> assertThat(e.status()).isEqualTo(409));
    }
}
